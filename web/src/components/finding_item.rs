//! One finding in the panel: where, what, its explanation on demand, and its fix.

use yew::prelude::*;

use shoal::Severity;

use super::markdown::{code_spans, RuleDocs};
use crate::model::UiFinding;
use crate::share::Route;

/// What an item shows: no byte offsets, so typing elsewhere on the same lines does not
/// re-render the items it did not change.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingView {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
    /// Title and safety of the fix.
    pub fix: Option<(String, bool)>,
}

impl From<&UiFinding> for FindingView {
    fn from(f: &UiFinding) -> Self {
        FindingView {
            code: f.code.to_string(),
            name: f.name.to_string(),
            severity: f.severity,
            line: f.line,
            column: f.column,
            message: f.message.to_string(),
            help: f.help.to_string(),
            fix: f.fix.as_ref().map(|x| (x.title.to_string(), x.safe)),
        }
    }
}

/// Compared without the callbacks: the panel creates them anew on every render, but they only
/// dispatch (to the app's reducer, or the panel's) and never capture render-time state, so an
/// item whose finding did not change is not re-rendered.
#[derive(Properties)]
pub struct FindingItemProps {
    pub index: usize,
    /// Stable identity of the finding across reports (its key; names its details element).
    pub uid: u64,
    pub finding: FindingView,
    pub selected: bool,
    pub expanded: bool,
    pub on_select: Callback<usize>,
    pub on_toggle: Callback<usize>,
    pub on_fix: Callback<usize>,
}

impl PartialEq for FindingItemProps {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
            && self.uid == other.uid
            && self.finding == other.finding
            && self.selected == other.selected
            && self.expanded == other.expanded
    }
}

#[function_component]
pub fn FindingItem(props: &FindingItemProps) -> Html {
    let item = use_node_ref();
    {
        let item = item.clone();
        use_effect_with(props.selected, move |selected| {
            if *selected {
                if let Some(el) = item.cast::<web_sys::Element>() {
                    el.scroll_into_view_with_bool(false);
                }
            }
        });
    }
    let f = &props.finding;
    let index = props.index;
    let details_id = format!("finding-details-{:x}", props.uid);
    html! {
        <li ref={item} class={classes!("finding", f.severity.as_str(), props.selected.then_some("selected"))}
            data-testid="finding" data-code={f.code.clone()} data-line={f.line.to_string()}
            data-severity={f.severity.as_str()}
            data-fix={f.fix.as_ref().map(|(_, safe)| if *safe { "safe" } else { "unsafe" })}
            aria-current={props.selected.then_some("true")}>
            <button class="goto" onclick={props.on_select.reform(move |_: MouseEvent| index)}
                    aria-label={format!("{} {} at line {}, column {}: {}", f.severity, f.code, f.line, f.column, f.message)}>
                <span class={classes!("sev", f.severity.as_str())}>{ f.severity.as_str() }</span>
                <span class="pos">{ format!("{}:{}", f.line, f.column) }</span>
                <span class="code">{ f.code.clone() }</span>
                <span class="message">{ code_spans(&f.message) }</span>
            </button>
            <div class="actions">
                <button class="link" aria-expanded={props.expanded.to_string()} aria-controls={details_id.clone()}
                        data-testid="explain" onclick={props.on_toggle.reform(move |_: MouseEvent| index)}>
                    { if props.expanded { "Hide explanation" } else { "Explain" } }
                </button>
                if let Some((title, safe)) = &f.fix {
                    <button class="fix" data-testid="apply-fix"
                            title={format!("{title} ({})", if *safe { "safe" } else { "unsafe: review it" })}
                            onclick={props.on_fix.reform(move |_: MouseEvent| index)}>
                        { if *safe { "Apply fix…" } else { "Apply fix (unsafe)…" } }
                    </button>
                }
                <a class="rule-link" href={Route::Rule(f.code.clone()).fragment()}>{ format!("{} {}", f.code, f.name) }</a>
            </div>
            if props.expanded {
                <div class="details" id={details_id} data-testid="explanation">
                    <p class="help"><strong>{ "What to do: " }</strong>{ code_spans(&f.help) }</p>
                    <RuleDocs code={f.code.clone()} shift={1} />
                </div>
            }
        </li>
    }
}
