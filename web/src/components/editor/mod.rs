//! The editor: a line-number gutter with a severity marker on each affected line, and a
//! transparent `<textarea>` over a layer that underlines each finding's exact span. Gutter,
//! layer and textarea sit in one scrolling box, so they always scroll together.

use std::rc::Rc;

use shoal::Severity;
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::editor_window as ew;
use crate::model::{FileDoc, Report};
use crate::services::files;
use gutter::gutter;
use layer::{columns, layer};

mod gutter;
mod layer;

/// Height of one line in CSS pixels (`--line` in app.css).
pub const LINE_HEIGHT: f64 = 20.0;

/// Lines rendered with their marks above and below the visible ones. Gutter and layer hold
/// these lines only: the lines above and below are empty blocks of their height (`.spacer`,
/// sized in an effect: the CSP allows no style attributes), and the layer's last line is
/// spaces as wide as the widest line (see [`columns`]), so its size stays at least the
/// textarea's. Laying out a second and third copy of a 1 MB text (30,000 lines) took Chromium
/// seconds.
pub const MARGIN: usize = 100;

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
    /// Ctrl+Z and Ctrl+Shift+Z / Ctrl+Y in large-file mode (the textarea's own history only
    /// knows the window): the app's undo and redo.
    #[prop_or_default]
    pub on_undo: Callback<()>,
    #[prop_or_default]
    pub on_redo: Callback<()>,
}

/// What the last render showed: the handlers map the textarea's offsets with it.
#[derive(Clone, Default)]
struct Shown {
    text: AttrValue,
    /// Where its lines start.
    lines: Rc<ew::Lines>,
    /// Large-file mode: the textarea holds bytes `start..end` (lines `lo..=hi`) only.
    large: bool,
    lo: usize,
    start: usize,
    end: usize,
}

/// How a selection applied after a render scrolls.
#[derive(Clone, Copy, PartialEq)]
enum Scroll {
    /// Leave the scroll position alone.
    Stay,
    /// Keep this scroll position (the window moved under the view).
    Keep(i32),
    /// Show its line if it is out of view (a paste).
    IfNeeded,
    /// Put its line a third down the view (going to a finding).
    Always,
}

/// A focused textarea's selection (byte offsets in the whole text) after the window moved
/// away from it.
struct Detached {
    start: usize,
    end: usize,
    /// Where the textarea's own caret was parked in the new window (UTF-16), once rendered: a
    /// caret found elsewhere was placed since, and the detached selection is let go.
    parked: Option<u32>,
}

impl Detached {
    fn new(start: usize, end: usize) -> Detached {
        Detached {
            start,
            end,
            parked: None,
        }
    }
}

/// A selection (byte offsets in the whole text of `len` bytes) to apply once the textarea
/// shows it.
#[derive(Clone)]
struct Pending {
    start: usize,
    end: usize,
    len: usize,
    /// Move the window to it if it is outside (else, if the caret is outside, the textarea
    /// loses focus: its caret cannot stand where the textarea holds no text).
    follow: bool,
    focus: bool,
    scroll: Scroll,
}

/// The scroller's scroll position and height in CSS pixels, as last read (on mount, on each
/// scroll event) or set: reading them after a render would make the browser lay out the page
/// there and then, inside the script.
#[derive(Clone, Copy)]
struct Geometry {
    top: i32,
    height: i32,
}

impl Geometry {
    fn read(el: &HtmlElement) -> Geometry {
        Geometry {
            top: el.scroll_top(),
            height: el.client_height(),
        }
    }

    /// First line in view and how many lines the view shows.
    fn view(self) -> (usize, usize) {
        let first = (f64::from(self.top.max(0)) / LINE_HEIGHT) as usize + 1;
        let count = (f64::from(self.height.max(0)) / LINE_HEIGHT) as usize + 2;
        (first, count)
    }
}

/// The textarea's selection as byte offsets in the whole text.
fn selection_of(area: &HtmlTextAreaElement, shown: &Shown) -> Option<(usize, usize)> {
    let value = area.value();
    let s = area.selection_start().ok().flatten()? as usize;
    let e = area.selection_end().ok().flatten()? as usize;
    let base = if shown.large { shown.start } else { 0 };
    Some((
        base + ew::utf16_to_byte(&value, s),
        base + ew::utf16_to_byte(&value, e),
    ))
}

/// Selects `start..end` (byte offsets in the whole text, clamped to the slice) in a textarea
/// holding `slice`, which starts at byte `base` of the whole text.
fn select(area: &HtmlTextAreaElement, slice: &str, base: usize, (start, end): (usize, usize)) {
    let rel = |o: usize| ew::byte_to_utf16(slice, o.clamp(base, base + slice.len()) - base) as u32;
    let _ = area.set_selection_range(rel(start), rel(end.max(start)));
}

fn is_focused(el: &HtmlTextAreaElement) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|a| a == ***el)
}

#[function_component]
pub fn Editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let scroller = use_node_ref();
    let dragging = use_state(|| false);
    // 1-based lines [lo, hi] whose marks are rendered: the visible ones ± MARGIN; in
    // large-file mode also the lines the textarea holds. A ref, so that an edit handler can
    // move it before the render its own edit causes.
    let window = use_mut_ref(|| (1usize, 1 + 3 * MARGIN));
    let force = use_force_update();
    // Large-file mode: the selection of a focused textarea whose window moved away from it
    // (scrolled with the wheel or the scrollbar, far from the caret), as byte offsets in the
    // whole text. The textarea cannot hold a caret outside its text, so a key press first
    // brings the selection back (`reattach`).
    let detached = use_mut_ref(|| None::<Detached>);
    let geometry = use_mut_ref(|| Geometry {
        top: 0,
        height: 800,
    });
    let shown = use_mut_ref(Shown::default);
    let pending = use_mut_ref(|| None::<Pending>);
    // Large-file mode: Ctrl+A selected the whole file (not only the window).
    let all = use_mut_ref(|| false);
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

    let text: &str = &props.text;
    let lines = use_memo(props.text.clone(), |text| ew::Lines::new(text));
    let line_count = lines.count();
    let large = ew::is_large(text.len(), line_count);
    let (lo, hi) = clamp(*window.borrow(), line_count);
    let (start, end) = if large {
        lines.bounds(lo, hi)
    } else {
        (0, text.len())
    };
    *shown.borrow_mut() = Shown {
        text: props.text.clone(),
        lines: lines.clone(),
        large,
        lo,
        start,
        end,
    };
    let value = if large {
        AttrValue::from(text[start..end].to_string())
    } else {
        props.text.clone()
    };

    {
        let pending = pending.clone();
        let target = props
            .selected
            .and_then(|s| marks.iter().find(|m| m.index == s).cloned());
        let len = text.len();
        use_effect_with(props.reveal, move |_| {
            if let Some(mark) = target {
                *pending.borrow_mut() = Some(Pending {
                    start: mark.start.min(len),
                    end: mark.end.min(len),
                    len,
                    follow: true,
                    focus: true,
                    scroll: Scroll::Always,
                });
            }
        });
    }

    // Moves the window to `to`, keeping a focused textarea's selection: in the window if it is
    // near the view, else detached (the next key press brings it back).
    let move_window = {
        let (window, shown, pending, detached, textarea, geometry, force) = (
            window.clone(),
            shown.clone(),
            pending.clone(),
            detached.clone(),
            textarea.clone(),
            geometry.clone(),
            force.clone(),
        );
        Rc::new(move |to: (usize, usize)| {
            let mut to = to;
            if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                let shown = shown.borrow();
                if shown.large && is_focused(&area) && pending.borrow().is_none() {
                    let selection = detached
                        .borrow_mut()
                        .take()
                        .map(|d| (d.start, d.end))
                        .or_else(|| selection_of(&area, &shown));
                    if let Some((start, end)) = selection {
                        let line = shown.lines.of(start);
                        if line + 2 * MARGIN >= to.0 && line <= to.1 + 2 * MARGIN {
                            to = (to.0.min(line), to.1.max(line));
                            *pending.borrow_mut() = Some(Pending {
                                start,
                                end,
                                len: shown.text.len(),
                                follow: false,
                                focus: false,
                                scroll: Scroll::Keep(geometry.borrow().top),
                            });
                        } else {
                            *detached.borrow_mut() = Some(Detached::new(start, end));
                        }
                    }
                }
            }
            *window.borrow_mut() = to;
            force.force_update();
        })
    };

    // Brings a detached selection back before a key press edits or moves it: the window goes
    // around it and the textarea gets that text and selection at once (the key's own action
    // comes next and must find them), and the view scrolls to it after the render, as a
    // textarea scrolls to its caret when you type.
    let reattach = {
        let (window, shown, pending, detached, geometry, force) = (
            window.clone(),
            shown.clone(),
            pending.clone(),
            detached.clone(),
            geometry.clone(),
            force.clone(),
        );
        Rc::new(move |area: &HtmlTextAreaElement| {
            let Some(Detached { start, end, .. }) = detached.borrow_mut().take() else {
                return;
            };
            let mut sh = shown.borrow_mut();
            let (_, count) = geometry.borrow().view();
            let to = ew::showing(sh.lines.of(start), count, MARGIN, sh.lines.count());
            let (from, till) = sh.lines.bounds(to.0, to.1);
            let slice = &sh.text[from..till];
            area.set_value(slice);
            select(area, slice, from, (start, end));
            (sh.lo, sh.start, sh.end) = (to.0, from, till);
            *window.borrow_mut() = to;
            *pending.borrow_mut() = Some(Pending {
                start,
                end,
                len: sh.text.len(),
                follow: true,
                focus: false,
                scroll: Scroll::IfNeeded,
            });
            force.force_update();
        })
    };

    {
        // The view's size, once, then on each scroll event; a resized window sends the
        // scroller a scroll event (the handler reads the size and moves the window if the view
        // now shows lines outside it).
        let (scroller, geometry) = (scroller.clone(), geometry.clone());
        use_effect_with((), move |_| {
            let el = scroller.cast::<HtmlElement>();
            if let Some(el) = &el {
                *geometry.borrow_mut() = Geometry::read(el);
            }
            let window = web_sys::window();
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                if let Some(el) = &el {
                    if let Ok(event) = web_sys::Event::new("scroll") {
                        let _ = el.dispatch_event(&event);
                    }
                }
            });
            if let Some(w) = &window {
                let _ =
                    w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    {
        // (Before the effect below, which scrolls: the heights must be the new ones.)
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
        let textarea = textarea.clone();
        use_effect_with((heights, large), move |(heights, large)| {
            for (node, lines) in spacers.iter().zip(heights) {
                if let Some(el) = node.cast::<HtmlElement>() {
                    let _ = el
                        .style()
                        .set_property("height", &format!("{}px", *lines as f64 * LINE_HEIGHT));
                }
            }
            // Large-file mode: the textarea covers the window's lines only (plus its padding).
            if let Some(el) = textarea.cast::<HtmlElement>() {
                let style = el.style();
                if *large {
                    let lines = line_count - heights[0] - heights[1];
                    let _ = style
                        .set_property("top", &format!("{}px", heights[0] as f64 * LINE_HEIGHT));
                    let _ = style.set_property(
                        "height",
                        &format!("{}px", lines as f64 * LINE_HEIGHT + 16.0),
                    );
                } else {
                    let _ = style.remove_property("top");
                    let _ = style.remove_property("height");
                }
            }
        });
    }
    {
        // After every render: apply a pending selection (moving the window to it first if
        // need be), then keep the window over the view.
        let (pending, detached, shown, window, all, textarea, scroller, geometry, force) = (
            pending.clone(),
            detached.clone(),
            shown.clone(),
            window.clone(),
            all.clone(),
            textarea.clone(),
            scroller.clone(),
            geometry.clone(),
            force.clone(),
        );
        let move_window = move_window.clone();
        use_effect(move || {
            let (Some(area), Some(scroll)) = (
                textarea.cast::<HtmlTextAreaElement>(),
                scroller.cast::<HtmlElement>(),
            ) else {
                return;
            };
            let sh = shown.borrow().clone();
            let p = pending.borrow().clone();
            if let Some(p) = p.filter(|p| p.len == sh.text.len()) {
                let text: &str = &sh.text;
                if sh.large && !(sh.start <= p.start && p.start <= sh.end) {
                    if p.follow {
                        let (_, count) = geometry.borrow().view();
                        *window.borrow_mut() =
                            ew::showing(sh.lines.of(p.start), count, MARGIN, sh.lines.count());
                        force.force_update();
                        return;
                    }
                    *pending.borrow_mut() = None;
                    if is_focused(&area) {
                        *detached.borrow_mut() = Some(Detached::new(p.start, p.end));
                    }
                } else {
                    *pending.borrow_mut() = None;
                    let (base, slice) = if sh.large {
                        (sh.start, &text[sh.start..sh.end])
                    } else {
                        (0, text)
                    };
                    if p.focus {
                        let _ = area.focus();
                    }
                    if p.focus || is_focused(&area) {
                        select(&area, slice, base, (p.start, p.end));
                    }
                    let line = sh.lines.of(p.start);
                    let top = (line as f64 - 1.0) * LINE_HEIGHT;
                    let mut geometry = geometry.borrow_mut();
                    let view = f64::from(geometry.height);
                    let now = f64::from(geometry.top);
                    let to = match p.scroll {
                        Scroll::Stay => None,
                        Scroll::Keep(y) => Some(y),
                        Scroll::Always => Some((top - view / 3.0).max(0.0) as i32),
                        Scroll::IfNeeded if top < now || top + LINE_HEIGHT > now + view => {
                            Some((top - view / 3.0).max(0.0) as i32)
                        }
                        Scroll::IfNeeded => None,
                    };
                    if let Some(y) = to.filter(|y| *y != geometry.top) {
                        scroll.set_scroll_top(y);
                        geometry.top = y;
                    }
                }
            }
            if sh.large {
                if *all.borrow() && is_focused(&area) {
                    area.select();
                }
                if let Some(d) = detached
                    .borrow_mut()
                    .as_mut()
                    .filter(|d| d.parked.is_none())
                {
                    // Park the textarea's caret at the end of its new text.
                    let at = area.value().encode_utf16().count() as u32;
                    let _ = area.set_selection_range(at, at);
                    d.parked = Some(at);
                }
                let (first, count) = geometry.borrow().view();
                let lines = sh.lines.count();
                let (lo, hi) = clamp(*window.borrow(), lines);
                if ew::needs_move((lo, hi), first, count, 0, lines) {
                    move_window(ew::around(first, count, MARGIN, lines));
                }
            }
        });
    }

    let oninput = {
        let (on_input, shown, window, all, pending) = (
            props.on_input.clone(),
            shown.clone(),
            window.clone(),
            all.clone(),
            pending.clone(),
        );
        Callback::from(move |e: InputEvent| {
            let Some(area) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            else {
                return;
            };
            let sh = shown.borrow().clone();
            let value = area.value();
            if !sh.large {
                if ew::is_large(value.len(), ew::line_count(&value)) {
                    // Becomes large: keep the caret where it is once the window replaces the
                    // text (the window is around the view already).
                    if let Some((start, end)) = selection_of(&area, &sh) {
                        *pending.borrow_mut() = Some(Pending {
                            start,
                            end,
                            len: value.len(),
                            follow: true,
                            focus: false,
                            scroll: Scroll::IfNeeded,
                        });
                    }
                }
                on_input.emit(value);
                return;
            }
            let (whole, base) = if std::mem::take(&mut *all.borrow_mut()) {
                *window.borrow_mut() = (1, ew::line_count(&value));
                (value.clone(), 0)
            } else {
                let whole = ew::splice(&sh.text, sh.start, sh.end, &value);
                let lo = sh.lo;
                *window.borrow_mut() = (lo, lo + value.matches('\n').count());
                (whole, sh.start)
            };
            // The caret stays (the textarea keeps its value), also when the text becomes
            // small and the textarea gets all of it.
            if let (Ok(Some(s)), Ok(Some(e))) = (area.selection_start(), area.selection_end()) {
                *pending.borrow_mut() = Some(Pending {
                    start: base + ew::utf16_to_byte(&value, s as usize),
                    end: base + ew::utf16_to_byte(&value, e as usize),
                    len: whole.len(),
                    follow: false,
                    focus: false,
                    scroll: Scroll::Stay,
                });
            }
            on_input.emit(whole);
        })
    };
    let onpaste = {
        let (on_input, shown, window, all, pending, geometry) = (
            props.on_input.clone(),
            shown.clone(),
            window.clone(),
            all.clone(),
            pending.clone(),
            geometry.clone(),
        );
        Callback::from(move |e: Event| {
            let Some(data) = e
                .dyn_ref::<ClipboardEvent>()
                .and_then(|c| c.clipboard_data())
                .and_then(|d| d.get_data("text/plain").ok())
            else {
                return;
            };
            let Some(area) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            else {
                return;
            };
            let sh = shown.borrow().clone();
            let lines = sh.lines.count() + ew::line_count(&data);
            if !sh.large && !ew::is_large(sh.text.len() + data.len(), lines) {
                return; // the browser's own paste
            }
            e.prevent_default();
            let Some((s, end)) = (if std::mem::take(&mut *all.borrow_mut()) {
                Some((0, sh.text.len()))
            } else {
                selection_of(&area, &sh)
            }) else {
                return;
            };
            let data = ew::normalize_newlines(&data);
            let whole = ew::splice(&sh.text, s, end, &data);
            let caret = s + data.len();
            let (_, count) = geometry.borrow().view();
            *window.borrow_mut() = ew::showing(
                ew::line_of(&whole, caret),
                count,
                MARGIN,
                ew::line_count(&whole),
            );
            *pending.borrow_mut() = Some(Pending {
                start: caret,
                end: caret,
                len: whole.len(),
                follow: true,
                focus: true,
                scroll: Scroll::IfNeeded,
            });
            on_input.emit(whole);
        })
    };
    // Large-file mode: copying or cutting after Ctrl+A takes the whole file.
    let clipboard = |cut: bool| {
        let (on_input, shown, all, pending) = (
            props.on_input.clone(),
            shown.clone(),
            all.clone(),
            pending.clone(),
        );
        Callback::from(move |e: Event| {
            let sh = shown.borrow().clone();
            if !sh.large || !*all.borrow() {
                return;
            }
            let Some(data) = e
                .dyn_ref::<ClipboardEvent>()
                .and_then(|c| c.clipboard_data())
            else {
                return;
            };
            if data.set_data("text/plain", &sh.text).is_err() {
                return;
            }
            e.prevent_default();
            if cut {
                *all.borrow_mut() = false;
                *pending.borrow_mut() = Some(Pending {
                    start: 0,
                    end: 0,
                    len: 0,
                    follow: true,
                    focus: true,
                    scroll: Scroll::Always,
                });
                on_input.emit(String::new());
            }
        })
    };
    let oncopy = clipboard(false);
    let oncut = clipboard(true);
    let onkeydown = {
        let (shown, all, detached, reattach, on_undo, on_redo) = (
            shown.clone(),
            all.clone(),
            detached.clone(),
            reattach.clone(),
            props.on_undo.clone(),
            props.on_redo.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            if !shown.borrow().large {
                return;
            }
            let Some(area) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            else {
                return;
            };
            let ctrl = e.ctrl_key() || e.meta_key();
            let key = e.key().to_ascii_lowercase();
            match (ctrl, key.as_str(), e.shift_key()) {
                (_, "shift" | "control" | "alt" | "altgraph" | "meta" | "capslock" | "fn", _) => {}
                (true, "a", _) => {
                    e.prevent_default();
                    *detached.borrow_mut() = None;
                    area.select();
                    *all.borrow_mut() = true;
                }
                (true, "z", false) => {
                    e.prevent_default();
                    *detached.borrow_mut() = None;
                    on_undo.emit(());
                }
                (true, "z", true) | (true, "y", _) => {
                    e.prevent_default();
                    *detached.borrow_mut() = None;
                    on_redo.emit(());
                }
                _ if detached.borrow().is_some() => {
                    let parked = detached.borrow().as_ref().and_then(|d| d.parked);
                    let (s, e) = (area.selection_start(), area.selection_end());
                    if parked.is_none() || (Ok(parked) == s && s == e) {
                        reattach(&area);
                    } else {
                        // The caret was placed in the window meanwhile (by a script).
                        *detached.borrow_mut() = None;
                    }
                }
                _ => {
                    let whole = area.selection_start().ok().flatten() == Some(0)
                        && area.selection_end().ok().flatten()
                            == Some(area.value().encode_utf16().count() as u32);
                    if !whole {
                        *all.borrow_mut() = false;
                    }
                }
            }
        })
    };
    let onmousedown = {
        let (all, detached) = (all.clone(), detached.clone());
        Callback::from(move |_: MouseEvent| {
            *all.borrow_mut() = false;
            // The click places the caret.
            *detached.borrow_mut() = None;
        })
    };
    let onblur = {
        let detached = detached.clone();
        Callback::from(move |_: FocusEvent| *detached.borrow_mut() = None)
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
        let (window, shown, geometry, move_window) = (
            window.clone(),
            shown.clone(),
            geometry.clone(),
            move_window.clone(),
        );
        Callback::from(move |e: Event| {
            let Some(el) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
                return;
            };
            let now = Geometry::read(&el);
            *geometry.borrow_mut() = now;
            let (first, count) = now.view();
            let (lo, hi) = *window.borrow();
            let (large, lines) = {
                let sh = shown.borrow();
                (sh.large, sh.lines.count())
            };
            if large {
                // Move before the view reaches the edge, so the text is there when it does.
                if ew::needs_move(clamp((lo, hi), lines), first, count, MARGIN / 2, lines) {
                    move_window(ew::around(first, count, MARGIN, lines));
                }
            } else if first < lo || first + count > hi {
                move_window((first.saturating_sub(MARGIN).max(1), first + count + MARGIN));
            }
        })
    };
    let [gutter_top, gutter_bottom, layer_top, layer_bottom] = spacers;
    html! {
        <div class={classes!("editor", dragging.then_some("dragging"), large.then_some("large"))}
             {ondragover} {ondragleave} {ondrop}>
            <div class="scroller" ref={scroller} {onscroll}>
                { gutter(line_count, &marks, (lo, hi), &props.on_select, (gutter_top, gutter_bottom)) }
                <div class="code">
                    <pre class="layer" aria-hidden="true">{ layer(text, &lines, &marks, props.selected, (lo, hi), *width, (layer_top, layer_bottom)) }</pre>
                    <textarea
                        ref={textarea}
                        data-testid="editor"
                        data-length={text.len().to_string()}
                        data-large={large.then_some("true")}
                        data-first-line={large.then(|| lo.to_string())}
                        class="input"
                        aria-label={format!("Contents of {}", props.name)}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        value={value}
                        {oninput}
                        {onpaste}
                        {oncopy}
                        {oncut}
                        {onkeydown}
                        {onmousedown}
                        {onblur}
                        placeholder="Paste a Kubernetes manifest or a Dockerfile here, drop files, or load an example"
                    />
                </div>
            </div>
        </div>
    }
}
/// The window `(lo, hi)` within `lines` lines: `1 <= lo <= hi <= lines`.
fn clamp((lo, hi): (usize, usize), lines: usize) -> (usize, usize) {
    let hi = hi.min(lines).max(1);
    (lo.clamp(1, hi), hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_stay_within_the_text() {
        assert_eq!(clamp((1, 301), 153), (1, 153));
        assert_eq!(clamp((500, 800), 153), (153, 153));
        assert_eq!(clamp((0, 0), 1), (1, 1));
        assert_eq!(clamp((101, 401), 30_000), (101, 401));
    }
}
