//! The findings panel: counts, filters by severity and by rule, findings grouped by file and
//! severity in position order, and "apply all safe fixes" per file and for the workspace.

use std::collections::BTreeSet;

use shoal::Severity;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::finding_item::{FindingItem, FindingView};
use crate::model::UiFinding;

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

/// A file's findings, as the panel groups them.
#[derive(Clone, Debug, PartialEq)]
pub struct FileFindings {
    pub id: u32,
    pub name: String,
    /// (index in the report, finding), in position order.
    pub findings: Vec<(usize, UiFinding)>,
}

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub files: Vec<FileFindings>,
    pub selected: Option<usize>,
    pub fixable: bool,
    /// Analysis has not caught up with the text yet.
    pub pending: bool,
    pub suppressed: usize,
    pub on_select: Callback<usize>,
    pub on_fix: Callback<usize>,
    pub on_fix_all: Callback<Option<u32>>,
}

#[function_component]
pub fn Findings(props: &FindingsProps) -> Html {
    let hidden = use_state(BTreeSet::<Severity>::new);
    let rule = use_state(String::new);
    let expanded = use_state(BTreeSet::<usize>::new);

    let all: Vec<&UiFinding> = props
        .files
        .iter()
        .flat_map(|f| f.findings.iter().map(|(_, x)| x))
        .collect();
    let count = |s: Severity| all.iter().filter(|f| f.severity == s).count();
    let mut codes: Vec<(&str, &str)> = all
        .iter()
        .map(|f| (f.code.as_str(), f.name.as_str()))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let visible =
        |f: &UiFinding| !hidden.contains(&f.severity) && (rule.is_empty() || *rule == f.code);
    let any_fix = all.iter().any(|f| f.fix.as_ref().is_some_and(|x| x.safe));

    let on_toggle = {
        let expanded = expanded.clone();
        Callback::from(move |i: usize| {
            let mut set = (*expanded).clone();
            if !set.remove(&i) {
                set.insert(i);
            }
            expanded.set(set);
        })
    };
    let on_rule = {
        let rule = rule.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                rule.set(select.value());
            }
        })
    };

    html! {
        <section class="findings" aria-labelledby="findings-title">
            <header class="findings-head">
                <h2 id="findings-title">{ "Findings" }
                    <span class="total" data-testid="finding-count">{ all.len() }</span>
                    if props.pending { <span class="pending" aria-hidden="true">{ "…" }</span> }
                </h2>
                <div class="filters" role="group" aria-label="Filter findings">
                    { for SEVERITIES.iter().map(|s| {
                        let s = *s;
                        let on = !hidden.contains(&s);
                        let onclick = {
                            let hidden = hidden.clone();
                            Callback::from(move |_: MouseEvent| {
                                let mut set = (*hidden).clone();
                                if !set.remove(&s) { set.insert(s); }
                                hidden.set(set);
                            })
                        };
                        html! {
                            <button class={classes!("chip", s.as_str(), on.then_some("on"))} aria-pressed={on.to_string()}
                                    data-testid={format!("filter-{s}")} {onclick}>
                                { format!("{} {}", count(s), label(s)) }
                            </button>
                        }
                    }) }
                    <select aria-label="Filter by rule" data-testid="rule-filter" onchange={on_rule}>
                        <option value="" selected={rule.is_empty()}>{ "All rules" }</option>
                        { for codes.iter().map(|(code, name)| html! {
                            <option value={code.to_string()} selected={*rule == *code}>{ format!("{code} {name}") }</option>
                        }) }
                    </select>
                </div>
                <button class="primary" data-testid="fix-all" disabled={!props.fixable || !any_fix}
                        onclick={props.on_fix_all.reform(|_: MouseEvent| None)}>
                    { "Apply all safe fixes" }
                </button>
            </header>
            if all.is_empty() {
                <p class="empty">{ if props.pending { "Analysing…" } else { "No findings." } }</p>
            }
            if props.suppressed > 0 {
                <p class="suppressed">{ format!("{} finding(s) silenced by shoal-ignore comments.", props.suppressed) }</p>
            }
            { for props.files.iter().filter(|f| !f.findings.is_empty()).map(|file| {
                let id = file.id;
                let file_fix = file.findings.iter().any(|(_, f)| f.fix.as_ref().is_some_and(|x| x.safe));
                html! {
                    <section class="file-group" aria-label={format!("Findings in {}", file.name)}>
                        <header>
                            <h3>{ file.name.clone() } <span class="total">{ file.findings.len() }</span></h3>
                            if file_fix {
                                <button class="small" data-testid="fix-file" disabled={!props.fixable}
                                        onclick={props.on_fix_all.reform(move |_: MouseEvent| Some(id))}>
                                    { "Apply safe fixes in this file" }
                                </button>
                            }
                        </header>
                        { for SEVERITIES.iter().map(|s| {
                            let items: Vec<&(usize, UiFinding)> = file.findings.iter()
                                .filter(|(_, f)| f.severity == *s && visible(f)).collect();
                            if items.is_empty() { return html! {}; }
                            html! {
                                <>
                                    <h4 class={classes!("sev-head", s.as_str())}>{ format!("{} ({})", label(*s), items.len()) }</h4>
                                    <ul class="finding-list">
                                        { for items.into_iter().map(|(index, f)| html! {
                                            <FindingItem key={*index} index={*index} finding={FindingView::from(f)}
                                                selected={props.selected == Some(*index)}
                                                expanded={expanded.contains(index)}
                                                fixable={props.fixable}
                                                on_select={props.on_select.clone()}
                                                on_toggle={on_toggle.clone()}
                                                on_fix={props.on_fix.clone()} />
                                        }) }
                                    </ul>
                                </>
                            }
                        }) }
                    </section>
                }
            }) }
        </section>
    }
}

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "errors",
        Severity::Warning => "warnings",
        Severity::Info => "info",
    }
}
