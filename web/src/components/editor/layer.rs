//! The highlight layer under the transparent textarea: the window's lines with each finding's
//! span wrapped in a `<mark>`, and how wide the layer must be.

use shoal::source::floor_char_boundary;
use yew::prelude::*;

use super::Mark;
use crate::editor_window as ew;

/// Tab stops in the editor (`tab-size` in app.css).
const TAB: usize = 4;

/// Columns of the widest line, never fewer than the textarea needs: tabs go to the next stop,
/// ASCII is one column and anything else counts as two (wide characters take two; an
/// overestimate only adds room on the right).
pub fn columns(text: &str) -> usize {
    // Bytes, not chars (a 1 MB text is scanned on each edit): a character's first byte
    // counts, its continuation bytes (0b10xx_xxxx) do not.
    let (mut widest, mut col) = (0, 0);
    for b in text.bytes() {
        match b {
            b'\n' => {
                widest = widest.max(col);
                col = 0;
            }
            b'\t' => col = (col / TAB + 1) * TAB,
            0..=0x7f => col += 1,
            0x80..=0xbf => {}
            _ => col += 2,
        }
    }
    widest.max(col)
}

/// The text of the window's lines with each finding's span wrapped in a `<mark>`; text is
/// always a text node. Lines of the window are one node each (a change on one line re-renders
/// that line only); the lines above and below the window are the `top` and `bottom` spacers,
/// and the last line is `width` spaces.
pub fn layer(
    text: &str,
    lines: &ew::Lines,
    marks: &[Mark],
    selected: Option<usize>,
    (lo, hi): (usize, usize),
    width: usize,
    (top, bottom): (NodeRef, NodeRef),
) -> Html {
    // Where each line of lo..=hi + 1 starts (the text's length past the end).
    let starts: Vec<usize> = (lo..=hi + 1).map(|line| lines.start(line)).collect();
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
}
