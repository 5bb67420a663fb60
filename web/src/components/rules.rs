//! The rules: a list of every rule with its settings, and a page per rule from its docs
//! (loaded on first use, see [`crate::services::docs`]).

use shoal::{RuleInfo, Severity};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::markdown::RuleDocs;
use crate::model::{RuleChoice, Settings};
use crate::share::Route;

#[derive(Properties, PartialEq)]
pub struct RulesProps {
    pub settings: Settings,
    /// Show one rule's page instead of the list.
    #[prop_or_default]
    pub code: Option<AttrValue>,
    pub on_change: Callback<(String, RuleChoice)>,
}

#[function_component]
pub fn Rules(props: &RulesProps) -> Html {
    let rules = use_memo((), |_| shoal::rules());
    if let Some(code) = &props.code {
        return match rules.iter().find(|r| r.code.eq_ignore_ascii_case(code)) {
            Some(rule) => rule_page(rule, &props.settings, &props.on_change),
            None => html! {
                <main class="page"><p>{ format!("No rule {code}.") }</p>
                <a href={Route::Rules.fragment()}>{ "All rules" }</a></main>
            },
        };
    }
    html! {
        <main class="page rules-page">
            <h1>{ format!("Rules ({})", rules.len()) }</h1>
            <p>{ format!("shoal {} — enable or disable rules and change their severity; your choices stay on this device.", shoal::VERSION) }</p>
            <table class="rules">
                <thead><tr>
                    <th scope="col">{ "On" }</th><th scope="col">{ "Code" }</th><th scope="col">{ "Name" }</th>
                    <th scope="col">{ "Severity" }</th><th scope="col">{ "What it finds" }</th>
                </tr></thead>
                <tbody>
                    { for rules.iter().map(|rule| html! {
                        <tr data-testid="rule-row" data-code={rule.code}>
                            <td>{ enabled_box(rule, &props.settings, &props.on_change) }</td>
                            <td><a href={Route::Rule(rule.code.to_string()).fragment()}>{ rule.code }</a></td>
                            <td>
                                { rule.name }
                                if rule.fixable {
                                    { " " }<span class="tag" title="Has an automatic fix">{ "fix" }</span>
                                }
                            </td>
                            <td>{ severity_select(rule, &props.settings, &props.on_change) }</td>
                            <td>{ rule.summary }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </main>
    }
}

fn rule_page(
    rule: &RuleInfo,
    settings: &Settings,
    on_change: &Callback<(String, RuleChoice)>,
) -> Html {
    html! {
        <main class="page rule-page" data-testid="rule-page" data-code={rule.code}>
            <nav class="crumbs"><a href={Route::Rules.fragment()}>{ "Rules" }</a>{ " / " }{ rule.code }</nav>
            <h1>{ format!("{} {}", rule.code, rule.name) }</h1>
            <p class="summary">{ rule.summary }</p>
            <div class="rule-config">
                <label>{ enabled_box(rule, settings, on_change) }{ " Enabled" }</label>
                <label>{ "Severity " }{ severity_select(rule, settings, on_change) }</label>
                <span>{ if rule.fixable { "Has an automatic fix" } else { "Advice only (no automatic fix)" } }</span>
            </div>
            <RuleDocs code={rule.code} shift={0} />
        </main>
    }
}

fn choice(settings: &Settings, code: &str) -> RuleChoice {
    settings.rules.get(code).cloned().unwrap_or_default()
}

fn enabled_box(
    rule: &RuleInfo,
    settings: &Settings,
    on_change: &Callback<(String, RuleChoice)>,
) -> Html {
    let current = choice(settings, rule.code);
    let checked = current.enabled.unwrap_or(rule.enabled_by_default);
    let (code, default) = (rule.code.to_string(), rule.enabled_by_default);
    let onchange = on_change.reform(move |e: Event| {
        let on = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .is_some_and(|i| i.checked());
        let mut next = current.clone();
        next.enabled = (on != default).then_some(on);
        (code.clone(), next)
    });
    html! {
        <input type="checkbox" checked={checked} aria-label={format!("Enable {} {}", rule.code, rule.name)}
               data-testid="rule-enabled" {onchange} />
    }
}

fn severity_select(
    rule: &RuleInfo,
    settings: &Settings,
    on_change: &Callback<(String, RuleChoice)>,
) -> Html {
    let current = choice(settings, rule.code);
    let value = current.severity.unwrap_or(rule.severity);
    let (code, default) = (rule.code.to_string(), rule.severity);
    let onchange = on_change.reform(move |e: Event| {
        let picked = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            .and_then(|s| Severity::parse(&s.value()));
        let mut next = current.clone();
        next.severity = picked.filter(|s| *s != default);
        (code.clone(), next)
    });
    html! {
        <select aria-label={format!("Severity of {}", rule.code)} data-testid="rule-severity" {onchange}>
            { for [Severity::Error, Severity::Warning, Severity::Info].iter().map(|s| html! {
                <option value={s.as_str()} selected={*s == value}>
                    { if *s == default { format!("{s} (default)") } else { s.to_string() } }
                </option>
            }) }
        </select>
    }
}
