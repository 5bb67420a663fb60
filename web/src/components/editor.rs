//! The editor: a line-number gutter with a severity marker on each affected line, and a
//! transparent `<textarea>` over a layer that underlines each finding's exact span. Gutter,
//! layer and textarea sit in one scrolling box, so they always scroll together.

use std::rc::Rc;

use shoal::source::floor_char_boundary;
use shoal::Severity;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::model::FileDoc;
use crate::services::files;

/// Height of one line in CSS pixels (`--line` in app.css).
pub const LINE_HEIGHT: f64 = 20.0;

/// One underlined span.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Index of the finding in the report.
    pub index: usize,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub severity: Severity,
    pub code: String,
    pub message: String,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub name: AttrValue,
    pub text: AttrValue,
    /// Marks sorted by position.
    pub marks: Rc<Vec<Mark>>,
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

    {
        let (textarea, scroller) = (textarea.clone(), scroller.clone());
        let target = props
            .selected
            .and_then(|s| props.marks.iter().find(|m| m.index == s).cloned());
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

    let text: &str = &props.text;
    let line_count = text.split('\n').count();
    html! {
        <div class={classes!("editor", dragging.then_some("dragging"))}
             {ondragover} {ondragleave} {ondrop}>
            <div class="scroller" ref={scroller}>
                { gutter(line_count, &props.marks, &props.on_select) }
                <div class="code">
                    <pre class="layer" aria-hidden="true">{ layer(text, &props.marks, props.selected) }</pre>
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

/// Line numbers, with a focusable marker on each line that has findings.
fn gutter(lines: usize, marks: &[Mark], on_select: &Callback<usize>) -> Html {
    let width = lines.to_string().len();
    let mut by_line: Vec<(usize, Vec<&Mark>)> = Vec::new();
    for mark in marks {
        match by_line.last_mut() {
            Some((line, list)) if *line == mark.line => list.push(mark),
            _ => by_line.push((mark.line, vec![mark])),
        }
    }
    by_line.sort_by_key(|(line, _)| *line);
    by_line.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1.append(&mut b.1);
            true
        } else {
            false
        }
    });
    let mut nodes: Vec<Html> = Vec::with_capacity(by_line.len() * 2 + 1);
    let mut plain = String::new();
    let mut next = 1;
    let number = |n: usize, out: &mut String| {
        out.push_str(&format!("  {n:>width$}\n"));
    };
    for (line, list) in by_line {
        if line > lines {
            break;
        }
        while next < line {
            number(next, &mut plain);
            next += 1;
        }
        if !plain.is_empty() {
            nodes.push(Html::from(std::mem::take(&mut plain)));
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
            <button class={classes!("marker", severity.as_str())} type="button" data-line={line.to_string()}
                    data-msg={message.clone()} aria-label={format!("Line {line}: {message}")} {onclick}>
                { match severity { Severity::Error => "●", Severity::Warning => "▲", Severity::Info => "■" } }
            </button>
        });
        plain.push_str(&format!(" {line:>width$}\n"));
        next = line + 1;
    }
    while next <= lines {
        number(next, &mut plain);
        next += 1;
    }
    nodes.push(Html::from(plain));
    html! { <pre class="gutter" aria-label="Line numbers and finding markers">{ for nodes }</pre> }
}

/// The text with each finding's span wrapped in a `<mark>`; text is always a text node.
fn layer(text: &str, marks: &[Mark], selected: Option<usize>) -> Html {
    let mut nodes: Vec<Html> = Vec::with_capacity(marks.len() * 2 + 2);
    let mut at = 0;
    for mark in marks {
        let start = floor_char_boundary(text, mark.start.min(text.len())).max(at);
        let end = floor_char_boundary(text, mark.end.min(text.len()));
        if end < start || (end == start && mark.start != mark.end) {
            continue;
        }
        if start > at {
            nodes.push(Html::from(text[at..start].to_string()));
        }
        let class = classes!(
            "mark",
            mark.severity.as_str(),
            (start == end).then_some("point"),
            (selected == Some(mark.index)).then_some("selected")
        );
        nodes.push(html! { <mark {class}>{ text[start..end].to_string() }</mark> });
        at = end;
    }
    nodes.push(Html::from(format!("{}\n ", &text[at..])));
    html! { for nodes }
}
