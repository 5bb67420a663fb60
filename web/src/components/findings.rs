//! The findings panel: counts, filters by severity and by rule, findings grouped by file and
//! severity in position order, and "apply all safe fixes" per file and for the workspace.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::rc::Rc;

use shoal::Severity;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::finding_item::{FindingItem, FindingView};
use crate::model::{Report, UiFinding};

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

/// Rows rendered per (file, severity) group before a "show more" button. Each row costs the
/// page about a millisecond to build and lay out (measured with a 1 MB paste: two groups of
/// 100 rows made a 180 ms frame, of 25 rows a 60 ms one), and the first rows are all that fit
/// in view.
pub const PAGE: usize = 25;

/// Rows a "show more" click adds to a group.
pub const MORE: usize = 50;

/// A file of the workspace, as the panel groups findings.
#[derive(Clone, Debug, PartialEq)]
pub struct FileFindings {
    pub id: u32,
    pub name: String,
}

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub files: Vec<FileFindings>,
    /// The report (shared: comparing it is a pointer comparison when unchanged).
    pub report: Rc<Report>,
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
    let expanded = use_reducer(Expanded::default);

    // Rows shown per (file id, severity) group, beyond the first PAGE.
    let shown = use_state(BTreeMap::<(u32, Severity), usize>::new);
    let report = &props.report;
    // Counts, rule list and groups: once per report (44,200 findings after a 1 MB paste), not
    // on every render.
    let summary = use_memo((report.clone(), props.files.clone()), |(report, files)| {
        Summary::new(report, files)
    });
    let groups: Vec<(&FileFindings, &FileSummary)> =
        props.files.iter().zip(summary.files.iter()).collect();
    let total = summary.total();
    let count = |s: Severity| summary.counts[severity_index(s)];
    let codes = &summary.codes;
    let filtered = !hidden.is_empty() || !rule.is_empty();
    let visible =
        |f: &UiFinding| !hidden.contains(&f.severity) && (rule.is_empty() || **rule == *f.code);
    let any_fix = summary.any_fix;

    // Dispatches to a reducer rather than reading a state handle, so a row that keeps an older
    // callback (see FindingItemProps' PartialEq) still toggles the current set.
    let on_toggle = {
        let expanded = expanded.dispatcher();
        Callback::from(move |i: usize| expanded.dispatch(i))
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
        <section class={classes!("findings", (!props.fixable).then_some("stale"))} aria-labelledby="findings-title">
            <header class="findings-head">
                <h2 id="findings-title">{ "Findings" }
                    <span class="total" data-testid="finding-count">{ total }</span>
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
                                { format!("{} {}", count(s), label(s, count(s))) }
                            </button>
                        }
                    }) }
                    <select aria-label="Filter by rule" data-testid="rule-filter" onchange={on_rule}>
                        <option value="" selected={rule.is_empty()}>{ "All rules" }</option>
                        { for codes.iter().map(|(code, name)| html! {
                            <option value={code.to_string()} selected={**rule == **code}>{ format!("{code} {name}") }</option>
                        }) }
                    </select>
                </div>
                <button class="primary" data-testid="fix-all" disabled={!props.fixable || !any_fix}
                        onclick={props.on_fix_all.reform(|_: MouseEvent| None)}>
                    { "Apply all safe fixes" }
                </button>
            </header>
            if total == 0 {
                <p class="empty">{ if props.pending { "Analysing…" } else { "No findings." } }</p>
            }
            if props.suppressed > 0 {
                <p class="suppressed">{ format!("{} finding(s) silenced by shoal-ignore comments.", props.suppressed) }</p>
            }
            { for groups.iter().filter(|(_, group)| group.len() > 0).map(|(file, group)| {
                let id = file.id;
                let file_fix = group.safe_fix;
                html! {
                    <section class="file-group" aria-label={format!("Findings in {}", file.name)}>
                        <header>
                            <h3>{ file.name.clone() } <span class="total">{ group.len() }</span></h3>
                            if file_fix {
                                <button class="small" data-testid="fix-file" disabled={!props.fixable}
                                        onclick={props.on_fix_all.reform(move |_: MouseEvent| Some(id))}>
                                    { "Apply safe fixes in this file" }
                                </button>
                            }
                        </header>
                        { for SEVERITIES.iter().map(|s| {
                            let s = *s;
                            let all = &group.by_severity[severity_index(s)];
                            let kept: Vec<usize>;
                            let items: &[usize] = if filtered {
                                kept = all.iter().copied().filter(|i| visible(&report.findings[*i])).collect();
                                &kept
                            } else {
                                all
                            };
                            if items.is_empty() { return html! {}; }
                            // Render the first rows only; the selected finding is always shown.
                            let mut limit = shown.get(&(id, s)).copied().unwrap_or(PAGE);
                            if let Some(at) = props.selected.and_then(|sel| items.iter().position(|i| *i == sel)) {
                                limit = limit.max(at + 1);
                            }
                            let hidden_rows = items.len().saturating_sub(limit);
                            let mut seen = HashSet::new();
                            let more = {
                                let shown = shown.clone();
                                Callback::from(move |_: MouseEvent| {
                                    let mut map = (*shown).clone();
                                    map.insert((id, s), limit + MORE);
                                    shown.set(map);
                                })
                            };
                            html! {
                                <>
                                    <h4 class={classes!("sev-head", s.as_str())}>{ format!("{} ({})", label(s, 2), items.len()) }</h4>
                                    <ul class="finding-list">
                                        { for items.iter().take(limit).map(|index| {
                                            let index = *index;
                                            // Keyed by what the finding is, not its index in the
                                            // report: a finding appearing above the others then
                                            // inserts one row instead of updating every row.
                                            let uid = uid(&report.findings[index], &mut seen);
                                            html! {
                                                <FindingItem key={uid} {uid} index={index} finding={FindingView::from(&report.findings[index])}
                                                    selected={props.selected == Some(index)}
                                                    expanded={expanded.0.contains(&index)}
                                                    on_select={props.on_select.clone()}
                                                    on_toggle={on_toggle.clone()}
                                                    on_fix={props.on_fix.clone()} />
                                            }
                                        }) }
                                    </ul>
                                    if hidden_rows > 0 {
                                        <button class="small more" data-testid="show-more" onclick={more}>
                                            { format!("Show {} more of {} {}", hidden_rows.min(MORE), hidden_rows, label(s, hidden_rows)) }
                                        </button>
                                    }
                                </>
                            }
                        }) }
                    </section>
                }
            }) }
        </section>
    }
}

/// What the panel shows of a report, computed once per report.
#[derive(PartialEq)]
struct Summary {
    /// Per file of the panel, in its order.
    files: Vec<FileSummary>,
    /// Findings per severity (index: [`severity_index`]).
    counts: [usize; 3],
    /// (code, name) of every rule with findings, sorted by code.
    codes: Vec<(Rc<str>, Rc<str>)>,
    /// Some finding has a safe fix.
    any_fix: bool,
}

#[derive(PartialEq, Default)]
struct FileSummary {
    /// Indexes into the report's findings per severity (index: [`severity_index`]), in
    /// position order.
    by_severity: [Vec<usize>; 3],
    /// Some finding of the file has a safe fix.
    safe_fix: bool,
}

impl FileSummary {
    fn len(&self) -> usize {
        self.by_severity.iter().map(Vec::len).sum()
    }
}

impl Summary {
    fn new(report: &Report, files: &[FileFindings]) -> Self {
        // Report file index → panel file index.
        let slot: Vec<Option<usize>> = report
            .ids
            .iter()
            .map(|id| files.iter().position(|f| f.id == *id))
            .collect();
        let mut out: Vec<FileSummary> = files.iter().map(|_| FileSummary::default()).collect();
        let mut counts = [0; 3];
        // (code, name) in order of appearance; codes are shared strings, so the pointer
        // usually answers (a report has tens of rules and up to many thousands of findings).
        let mut codes: Vec<(&Rc<str>, &Rc<str>)> = Vec::new();
        for (i, f) in report.findings.iter().enumerate() {
            let Some(Some(at)) = slot.get(f.file) else {
                continue;
            };
            let sev = severity_index(f.severity);
            out[*at].by_severity[sev].push(i);
            out[*at].safe_fix |= f.fix.as_ref().is_some_and(|x| x.safe);
            counts[sev] += 1;
            if !codes
                .iter()
                .any(|(c, _)| Rc::ptr_eq(c, &f.code) || c[..] == f.code[..])
            {
                codes.push((&f.code, &f.name));
            }
        }
        codes.sort_unstable_by(|a, b| a.0.cmp(b.0));
        Summary {
            any_fix: out.iter().any(|f| f.safe_fix),
            files: out,
            counts,
            codes: codes
                .into_iter()
                .map(|(code, name)| (code.clone(), name.clone()))
                .collect(),
        }
    }

    fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// Indexes of the findings whose explanation is open; an action toggles one.
#[derive(Default, PartialEq)]
struct Expanded(BTreeSet<usize>);

impl Reducible for Expanded {
    type Action = usize;

    fn reduce(self: Rc<Self>, index: usize) -> Rc<Self> {
        let mut set = self.0.clone();
        if !set.remove(&index) {
            set.insert(index);
        }
        Rc::new(Expanded(set))
    }
}

/// A finding's identity: a hash of its rule, position and message, unique within `seen`.
fn uid(f: &UiFinding, seen: &mut HashSet<u64>) -> u64 {
    let mut h = DefaultHasher::new();
    (&f.code, f.line, f.column, &f.message).hash(&mut h);
    let mut uid = h.finish();
    while !seen.insert(uid) {
        uid = uid.wrapping_add(1);
    }
    uid
}

/// What `n` findings of severity `s` are called: "1 error", "2 errors".
fn label(s: Severity, n: usize) -> &'static str {
    match (s, n == 1) {
        (Severity::Error, true) => "error",
        (Severity::Error, false) => "errors",
        (Severity::Warning, true) => "warning",
        (Severity::Warning, false) => "warnings",
        (Severity::Info, _) => "info",
    }
}
