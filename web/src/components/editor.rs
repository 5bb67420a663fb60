//! The editor: a line-number gutter with a severity marker on each affected line, and a
//! transparent `<textarea>` over a layer that underlines each finding's exact span. Gutter,
//! layer and textarea sit in one scrolling box, so they always scroll together.

use std::rc::Rc;

use shoal::source::floor_char_boundary;
use shoal::Severity;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::model::{FileDoc, Report};
use crate::services::files;

/// Height of one line in CSS pixels (`--line` in app.css).
pub const LINE_HEIGHT: f64 = 20.0;

/// Lines rendered with their marks above and below the visible ones. Gutter and layer hold
/// these lines only: the lines above and below are empty blocks of their height (`.spacer`,
/// sized in an effect: the CSP allows no style attributes), and the layer's last line is
/// spaces as wide as the widest line (see [`columns`]), so its size stays at least the
/// textarea's. Laying out a second and third copy of a 1 MB text (30,000 lines) took Chromium
/// seconds.
pub const MARGIN: usize = 100;

/// Tab stops in the editor (`tab-size` in app.css).
const TAB: usize = 4;

/// Columns of the widest line, never fewer than the textarea needs: tabs go to the next stop,
/// ASCII is one column and anything else counts as two (wide characters take two; an
/// overestimate only adds room on the right).
pub fn columns(text: &str) -> usize {
    text.split('\n')
        .map(|line| {
            line.chars().fold(0, |col, c| match c {
                '\t' => (col / TAB + 1) * TAB,
                c if c.is_ascii() => col + 1,
                _ => col + 2,
            })
        })
        .max()
        .unwrap_or(0)
}

/// The marks of one file of the report, sorted by position.
pub fn marks_of(report: &Report, file: Option<usize>) -> Vec<Mark> {
    let Some(file) = file else {
        return Vec::new();
    };
    report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.file == file)
        .map(|(index, f)| Mark {
            index,
            start: f.start,
            end: f.end,
            line: f.line,
            end_line: f.end_line,
            severity: f.severity,
            code: f.code.clone(),
            message: f.message.clone(),
        })
        .collect()
}

/// One underlined span.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Index of the finding in the report.
    pub index: usize,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub end_line: usize,
    pub severity: Severity,
    pub code: Rc<str>,
    pub message: Rc<str>,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub name: AttrValue,
    pub text: AttrValue,
    /// The latest report (shared) and the index of this file in it, if analysed.
    pub report: Rc<Report>,
    pub file: Option<usize>,
    pub selected: Option<usize>,
    /// Bumped to scroll to and select the selected mark.
    pub reveal: u64,
    pub on_input: Callback<String>,
    pub on_select: Callback<usize>,
    pub on_drop: Callback<(Vec<FileDoc>, usize)>,
}

#[function_component]
pub fn Editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let scroller = use_node_ref();
    let dragging = use_state(|| false);
    // 1-based lines [lo, hi] whose marks are rendered: the visible ones ± MARGIN.
    let window = use_state(|| (1usize, 1 + 3 * MARGIN));
    let marks = use_memo((props.report.clone(), props.file), |(report, file)| {
        marks_of(report, *file)
    });
    let width = use_memo(props.text.clone(), |text| columns(text));
    // Spacers: gutter above and below the window, layer above and below.
    let spacers = [
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    ];

    {
        let (textarea, scroller) = (textarea.clone(), scroller.clone());
        let target = props
            .selected
            .and_then(|s| marks.iter().find(|m| m.index == s).cloned());
        let text = props.text.clone();
        use_effect_with(props.reveal, move |_| {
            if let (Some(mark), Some(area), Some(scroll)) = (
                target,
                textarea.cast::<HtmlTextAreaElement>(),
                scroller.cast::<HtmlElement>(),
            ) {
                let utf16 = |o: usize| {
                    let o = floor_char_boundary(&text, o.min(text.len()));
                    text[..o].encode_utf16().count() as u32
                };
                let _ = area.focus();
                let _ = area.set_selection_range(utf16(mark.start), utf16(mark.end));
                let top = (mark.line as f64 - 1.0) * LINE_HEIGHT;
                let view = f64::from(scroll.client_height());
                scroll.set_scroll_top((top - view / 3.0).max(0.0) as i32);
            }
        });
    }

    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            {
                on_input.emit(area.value());
            }
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let (dragging, on_drop) = (dragging.clone(), props.on_drop.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(list) = e.data_transfer().and_then(|d| d.files()) {
                if list.length() > 0 {
                    let on_drop = on_drop.clone();
                    files::read_dropped(list, move |docs, skipped| on_drop.emit((docs, skipped)));
                }
            }
        })
    };

    let onscroll = {
        let window = window.clone();
        Callback::from(move |e: Event| {
            let Some(el) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
                return;
            };
            let first = (f64::from(el.scroll_top()) / LINE_HEIGHT) as usize + 1;
            let count = (f64::from(el.client_height()) / LINE_HEIGHT) as usize + 2;
            let (lo, hi) = *window;
            if first < lo || first + count > hi {
                window.set((first.saturating_sub(MARGIN).max(1), first + count + MARGIN));
            }
        })
    };
    let text: &str = &props.text;
    let line_count = text.split('\n').count();
    let (lo, hi) = clamp(*window, line_count);
    {
        // Lines above and below the window; the layer's bottom spacer also stands for the
        // extra line after the text (the textarea shows one) and holds the width line.
        let heights = [
            lo - 1,
            line_count - hi,
            lo - 1,
            if hi < line_count {
                line_count - hi + 1
            } else {
                0
            },
        ];
        let spacers = spacers.clone();
        use_effect_with(heights, move |heights| {
            for (node, lines) in spacers.iter().zip(heights) {
                if let Some(el) = node.cast::<HtmlElement>() {
                    let _ = el
                        .style()
                        .set_property("height", &format!("{}px", *lines as f64 * LINE_HEIGHT));
                }
            }
        });
    }
    let [gutter_top, gutter_bottom, layer_top, layer_bottom] = spacers;
    html! {
        <div class={classes!("editor", dragging.then_some("dragging"))}
             {ondragover} {ondragleave} {ondrop}>
            <div class="scroller" ref={scroller} {onscroll}>
                { gutter(line_count, &marks, (lo, hi), &props.on_select, (gutter_top, gutter_bottom)) }
                <div class="code">
                    <pre class="layer" aria-hidden="true">{ layer(text, &marks, props.selected, (lo, hi), *width, (layer_top, layer_bottom)) }</pre>
                    <textarea
                        ref={textarea}
                        data-testid="editor"
                        class="input"
                        aria-label={format!("Contents of {}", props.name)}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        value={props.text.clone()}
                        {oninput}
                        placeholder="Paste a Kubernetes manifest or a Dockerfile here, drop files, or load an example"
                    />
                </div>
            </div>
        </div>
    }
}

/// Line numbers, with a focusable marker on each line of the window that has findings. Lines
/// of the window are one node each, so a change on one line re-renders that line only; the
/// lines above and below the window are the `top` and `bottom` spacers.
fn gutter(
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

/// The window `(lo, hi)` within `lines` lines: `1 <= lo <= hi <= lines`.
fn clamp((lo, hi): (usize, usize), lines: usize) -> (usize, usize) {
    let hi = hi.min(lines).max(1);
    (lo.clamp(1, hi), hi)
}

/// Byte offset where each 1-based line in `lo..=hi + 1` starts (`text.len()` past the end).
fn line_starts(text: &str, lo: usize, hi: usize) -> Vec<usize> {
    let mut starts = Vec::with_capacity(hi + 2 - lo);
    let mut line = 1;
    if lo <= 1 {
        starts.push(0);
    }
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            line += 1;
            if line > hi + 1 {
                break;
            }
            if line >= lo {
                starts.push(i + 1);
            }
        }
    }
    while starts.len() < hi + 2 - lo {
        starts.push(text.len());
    }
    starts
}

/// The text of the window's lines with each finding's span wrapped in a `<mark>`; text is
/// always a text node. Lines of the window are one node each (a change on one line re-renders
/// that line only); the lines above and below the window are the `top` and `bottom` spacers,
/// and the last line is `width` spaces.
fn layer(
    text: &str,
    marks: &[Mark],
    selected: Option<usize>,
    (lo, hi): (usize, usize),
    width: usize,
    (top, bottom): (NodeRef, NodeRef),
) -> Html {
    let starts = line_starts(text, lo, hi);
    let (from, to) = (starts[0], starts[starts.len() - 1]);
    // Pieces of [from, to): plain text (`None`) or a mark's span, in order.
    let mut pieces: Vec<(usize, usize, Option<&Mark>)> = Vec::new();
    let mut at = from;
    for mark in marks.iter().filter(|m| m.end_line >= lo && m.line <= hi) {
        let start = floor_char_boundary(text, mark.start.min(text.len()));
        let end = floor_char_boundary(text, mark.end.min(text.len()));
        if end < start || (end == start && mark.start != mark.end) {
            continue;
        }
        let (start, end) = (start.max(at), end.min(to));
        if end < start || start > to || (start == end && mark.start != mark.end) {
            continue;
        }
        if start > at {
            pieces.push((at, start, None));
        }
        pieces.push((start, end, Some(mark)));
        at = end;
    }
    if to > at {
        pieces.push((at, to, None));
    }
    let mut nodes: Vec<Html> = Vec::with_capacity(starts.len() + 1);
    nodes.push(html! { <div class="spacer" ref={top} /> });
    let mut p = 0;
    for w in starts.windows(2) {
        let (ls, le) = (w[0], w[1]);
        let last = le == to;
        let mut line: Vec<Html> = Vec::new();
        while p < pieces.len() {
            let (s, e, mark) = pieces[p];
            if s > le || (s == le && !(last && s == e)) {
                break;
            }
            let (cs, ce) = (s.max(ls), e.min(le));
            match mark {
                None if ce > cs => line.push(Html::from(text[cs..ce].to_string())),
                None => {}
                Some(mark) => {
                    let class = classes!(
                        "mark",
                        mark.severity.as_str(),
                        (s == e).then_some("point"),
                        (selected == Some(mark.index)).then_some("selected")
                    );
                    if ce > cs || s == e {
                        line.push(html! { <mark {class}>{ text[cs..ce].to_string() }</mark> });
                    }
                }
            }
            if e > le {
                break;
            }
            p += 1;
        }
        nodes.push(html! { <>{ for line }</> });
    }
    let spaces = " ".repeat(width.max(1));
    if to < text.len() {
        // The window ends with its last line's newline; the spacer is the rest.
        nodes.push(html! { <div class="spacer" ref={bottom}>{ spaces }</div> });
    } else {
        // The window reaches the end: the extra line after the text is the width line.
        nodes.push(Html::from(format!("\n{spaces}")));
    }
    html! { for nodes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_cover_the_widest_line() {
        assert_eq!(columns(""), 0);
        assert_eq!(columns("ab\nabcd\n"), 4);
        assert_eq!(columns("\tx"), 5);
        assert_eq!(columns("ab\tx"), 5);
        assert_eq!(columns("é😀"), 4, "non-ASCII counts two columns");
    }

    #[test]
    fn windows_stay_within_the_text() {
        assert_eq!(clamp((1, 301), 153), (1, 153));
        assert_eq!(clamp((500, 800), 153), (153, 153));
        assert_eq!(clamp((0, 0), 1), (1, 1));
        assert_eq!(clamp((101, 401), 30_000), (101, 401));
    }

    #[test]
    fn line_starts_of_a_window() {
        let text = "a\nbb\nccc\n";
        assert_eq!(line_starts(text, 1, 2), [0, 2, 5]);
        assert_eq!(line_starts(text, 2, 3), [2, 5, 9]);
        assert_eq!(line_starts(text, 3, 10), [5, 9, 9, 9, 9, 9, 9, 9, 9]);
    }
}
