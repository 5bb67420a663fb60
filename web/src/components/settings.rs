//! Settings: the Go version to assume, what is remembered on this device, resetting.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::model::Settings as Values;
use crate::share::Route;

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: Values,
    pub on_go_version: Callback<String>,
    pub on_remember: Callback<bool>,
    pub on_forget: Callback<()>,
    pub on_reset: Callback<()>,
}

#[function_component]
pub fn Settings(props: &SettingsProps) -> Html {
    let on_go = props.on_go_version.reform(|e: Event| {
        e.target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default()
    });
    let changed = props.settings.rules.len();
    html! {
        <main class="page settings-page">
            <h1>{ "Settings" }</h1>
            <section>
                <h2>{ "Go version" }</h2>
                <label for="go-version">{ "Go version of the services, when no Dockerfile tells (e.g. 1.22): " }</label>
                <input id="go-version" data-testid="go-version" placeholder="unknown" size="8"
                       value={props.settings.go_version.clone()} onchange={on_go} />
                <p class="hint">{ "GOMAXPROCS and GOMEMLIMIT advice depends on it: Go 1.25 sizes GOMAXPROCS from the CPU limit itself, Go 1.19 added GOMEMLIMIT. A Dockerfile in the workspace overrides this." }</p>
            </section>
            <section>
                <h2>{ "Rules" }</h2>
                <p>{ match changed {
                        0 => "Every rule has its default setting. ".to_string(),
                        1 => "1 rule differs from its default. ".to_string(),
                        n => format!("{n} rules differ from their defaults. "),
                    } }
                   <a href={Route::Rules.fragment()}>{ "Choose rules and severities" }</a></p>
                <button data-testid="reset-settings" onclick={props.on_reset.reform(|_: MouseEvent| ())}>{ "Reset rules and Go version" }</button>
            </section>
            <section>
                <h2>{ "Privacy" }</h2>
                <p>{ "Everything runs in this page: what you paste is never sent anywhere. Settings are kept in this browser's local storage." }</p>
                <label>
                    <input type="checkbox" data-testid="remember" checked={props.settings.remember}
                           onchange={props.on_remember.reform(|e: Event| e.target()
                               .and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked()))} />
                    { " Remember the workspace on this device" }
                </label>
                <p><button data-testid="forget" onclick={props.on_forget.reform(|_: MouseEvent| ())}>
                    { "Forget everything stored on this device" }</button></p>
            </section>
        </main>
    }
}
