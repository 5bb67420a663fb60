//! The gutter: line numbers, and a focusable marker on each line of the window that has
//! findings.

use yew::prelude::*;

use shoal::Severity;

use super::Mark;

/// Line numbers, with a focusable marker on each line of the window that has findings. Lines
/// of the window are one node each, so a change on one line re-renders that line only; the
/// lines above and below the window are the `top` and `bottom` spacers.
pub fn gutter(
    lines: usize,
    marks: &[Mark],
    (lo, hi): (usize, usize),
    on_select: &Callback<usize>,
    (top, bottom): (NodeRef, NodeRef),
) -> Html {
    let width = lines.to_string().len();
    let mut by_line: Vec<Vec<&Mark>> = vec![Vec::new(); hi + 1 - lo];
    for mark in marks.iter().filter(|m| m.line >= lo && m.line <= hi) {
        by_line[mark.line - lo].push(mark);
    }
    let mut nodes: Vec<Html> = Vec::with_capacity(hi + 3 - lo);
    nodes.push(html! { <div class="spacer" ref={top} /> });
    for (offset, list) in by_line.into_iter().enumerate() {
        let line = lo + offset;
        if list.is_empty() {
            nodes.push(Html::from(format!("  {line:>width$}\n")));
            continue;
        }
        let severity = list
            .iter()
            .map(|m| m.severity)
            .max()
            .unwrap_or(Severity::Info);
        let message = list
            .iter()
            .map(|m| format!("{} {}: {}", m.severity, m.code, m.message))
            .collect::<Vec<_>>()
            .join("\n");
        let first = list[0].index;
        let onclick = on_select.reform(move |_: MouseEvent| first);
        nodes.push(html! {
            <>
                <button class={classes!("marker", severity.as_str())} type="button" data-line={line.to_string()}
                        data-msg={message.clone()} aria-label={format!("Line {line}: {message}")} {onclick}>
                    { match severity { Severity::Error => "●", Severity::Warning => "▲", Severity::Info => "■" } }
                </button>
                { format!(" {line:>width$}\n") }
            </>
        });
    }
    nodes.push(html! { <div class="spacer" ref={bottom} /> });
    html! { <pre class="gutter" aria-label="Line numbers and finding markers">{ for nodes }</pre> }
}
