//! The top bar: navigation, examples, undo/redo, share, export, and the privacy toggle.

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::examples::EXAMPLES;
use crate::share::Route;

/// Export formats offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    Json,
    Sarif,
    Markdown,
    CopyMarkdown,
    FixedFile,
    CopyFixedFile,
}

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub route: Route,
    pub can_undo: bool,
    pub can_redo: bool,
    pub remember: bool,
    pub on_example: Callback<String>,
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
    pub on_share: Callback<()>,
    pub on_export: Callback<Export>,
    pub on_remember: Callback<bool>,
    pub on_forget: Callback<()>,
}

fn select_value(e: &Event) -> Option<(HtmlSelectElement, String)> {
    let select = e.target()?.dyn_into::<HtmlSelectElement>().ok()?;
    let value = select.value();
    select.set_value("");
    Some((select, value))
}

#[function_component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let on_example = props.on_example.clone();
    let onexample = Callback::from(move |e: Event| {
        if let Some((_, id)) = select_value(&e).filter(|(_, v)| !v.is_empty()) {
            on_example.emit(id);
        }
    });
    let on_export = props.on_export.clone();
    let onexport = Callback::from(move |e: Event| {
        let picked = select_value(&e).and_then(|(_, v)| match v.as_str() {
            "json" => Some(Export::Json),
            "sarif" => Some(Export::Sarif),
            "md" => Some(Export::Markdown),
            "copy-md" => Some(Export::CopyMarkdown),
            "fixed" => Some(Export::FixedFile),
            "copy-fixed" => Some(Export::CopyFixedFile),
            _ => None,
        });
        if let Some(format) = picked {
            on_export.emit(format);
        }
    });
    let nav = |route: Route, label: &str| {
        let current = match (&props.route, &route) {
            (Route::Rule(_), Route::Rules) => true,
            (a, b) => a == b,
        };
        html! { <a href={route.fragment()} aria-current={current.then_some("page")}>{ label.to_string() }</a> }
    };
    let remember = props.on_remember.reform(|e: Event| {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|i| i.checked())
    });
    html! {
        <header class="topbar">
            <a class="brand" href="#/">{ "shoal" }</a>
            <nav aria-label="Pages">
                { nav(Route::Workspace, "Workspace") }
                { nav(Route::Rules, "Rules") }
                { nav(Route::Settings, "Settings") }
            </nav>
            <div class="tools" role="toolbar" aria-label="Workspace actions">
                <select aria-label="Load an example" data-testid="examples" onchange={onexample}>
                    <option value="" selected=true>{ "Load example…" }</option>
                    { for EXAMPLES.iter().map(|e| html! { <option value={e.id}>{ e.title }</option> }) }
                </select>
                <button data-testid="undo" disabled={!props.can_undo} onclick={props.on_undo.reform(|_: MouseEvent| ())}>{ "Undo" }</button>
                <button data-testid="redo" disabled={!props.can_redo} onclick={props.on_redo.reform(|_: MouseEvent| ())}>{ "Redo" }</button>
                <button data-testid="share" onclick={props.on_share.reform(|_: MouseEvent| ())}>{ "Share link" }</button>
                <select aria-label="Export" data-testid="export" onchange={onexport}>
                    <option value="" selected=true>{ "Export…" }</option>
                    <option value="json">{ "Findings as JSON" }</option>
                    <option value="sarif">{ "Findings as SARIF" }</option>
                    <option value="md">{ "Findings as Markdown" }</option>
                    <option value="copy-md">{ "Copy Markdown (PR comment)" }</option>
                    <option value="fixed">{ "Download this file" }</option>
                    <option value="copy-fixed">{ "Copy this file" }</option>
                </select>
                <label class="remember" title="Keep the workspace in this browser's local storage">
                    <input type="checkbox" data-testid="remember-toggle" checked={props.remember} onchange={remember} />
                    { " Remember" }
                </label>
                <button class="small" data-testid="forget-workspace" onclick={props.on_forget.reform(|_: MouseEvent| ())}
                        title="Remove the workspace stored on this device">{ "Forget" }</button>
            </div>
        </header>
    }
}
