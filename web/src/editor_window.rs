//! Large-file mode of the editor: above [`is_large`]'s threshold the `<textarea>` holds only a
//! window of the file's lines (the ones in view ± a margin), because Chromium takes more than a
//! second to lay out a textarea holding 1 MB. These are the pure functions behind it: lines ↔
//! byte offsets, UTF-16 (the DOM's selection offsets) ↔ bytes, and splicing an edit of the
//! window back into the whole text (whole = text before the window + textarea value + text
//! after it).

/// Files with more bytes than this are edited through a window. Measured (Chromium, load ~5–6,
/// the app's textarea with the whole text): the frame that sets the value took 57–92 ms at
/// 40–56 KB (1,660–2,330 lines), 110–126 ms at 64 KB, 160–320 ms at 200 KB.
pub const LARGE_BYTES: usize = 48 * 1024;
/// … or with more lines than this.
pub const LARGE_LINES: usize = 2_000;

/// Whether a text of `len` bytes and `lines` lines is edited through a window.
pub fn is_large(len: usize, lines: usize) -> bool {
    len > LARGE_BYTES || lines > LARGE_LINES
}

/// Where each line of a text starts: built once per text, so that mapping lines and offsets
/// during a render or an event costs a lookup, not a scan of the whole text.
#[derive(Debug, PartialEq)]
pub struct Lines {
    /// Byte offset where each line starts; the first is 0.
    starts: Vec<usize>,
    len: usize,
}

/// The lines of an empty text.
impl Default for Lines {
    fn default() -> Lines {
        Lines::new("")
    }
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines (1 for an empty text).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where 1-based `line` starts (the text's length past the last line).
    pub fn start(&self, line: usize) -> usize {
        self.starts
            .get(line.max(1) - 1)
            .copied()
            .unwrap_or(self.len)
    }

    /// Byte offset where 1-based `line` ends: its `\n`, or the text's length for the last line.
    pub fn end(&self, line: usize) -> usize {
        self.starts
            .get(line.max(1))
            .map_or(self.len, |next| next - 1)
    }

    /// The bytes `[start, end)` of lines `lo..=hi`, without the newline that ends line `hi`:
    /// what the textarea holds. The text before `start` is empty or ends with `\n` and the
    /// text after `end` is empty or starts with `\n`, so an edit of the window never merges
    /// lines across its edges, and after the edit the window is lines
    /// `lo..=lo + newlines(value)`.
    pub fn bounds(&self, lo: usize, hi: usize) -> (usize, usize) {
        let start = self.start(lo);
        (start, self.end(hi.max(lo)).max(start))
    }

    /// 1-based line of byte offset `at`.
    pub fn of(&self, at: usize) -> usize {
        self.starts.partition_point(|s| *s <= at).max(1)
    }
}

/// 1-based line of byte offset `at` in `text` (one scan; [`Lines::of`] for repeated lookups).
pub fn line_of(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Number of lines of `text` (1 for an empty text).
pub fn line_count(text: &str) -> usize {
    text.bytes().filter(|b| *b == b'\n').count() + 1
}

/// The window of lines `(lo, hi)` for a view whose first line is `first` and which shows
/// `count` lines, `margin` lines either side, within `lines`.
pub fn around(first: usize, count: usize, margin: usize, lines: usize) -> (usize, usize) {
    let lo = first.saturating_sub(margin).max(1);
    let hi = (first + count + margin).min(lines.max(1));
    (lo.min(hi), hi)
}

/// The window of lines for a view of `count` lines that shows `line` a third of the way
/// down (where a jump, a paste or a returning caret puts it), `margin` lines either side.
pub fn showing(line: usize, count: usize, margin: usize, lines: usize) -> (usize, usize) {
    around(line.saturating_sub(count / 3), count, margin, lines)
}

/// Whether the window `(lo, hi)` should move for a view showing lines `first..first + count`:
/// when the view comes within `slack` lines of an edge that is not the file's.
pub fn needs_move(
    (lo, hi): (usize, usize),
    first: usize,
    count: usize,
    slack: usize,
    lines: usize,
) -> bool {
    (lo > 1 && first < lo + slack) || (hi < lines && first + count + slack > hi)
}

/// Largest char boundary of `text` at or below `at`.
pub fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Byte offset in `text` of UTF-16 offset `u` (the DOM's selection offsets), clamped.
pub fn utf16_to_byte(text: &str, u: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= u {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// UTF-16 offset of byte offset `at` in `text`.
pub fn byte_to_utf16(text: &str, at: usize) -> usize {
    text[..floor(text, at)].encode_utf16().count()
}

/// `text` with bytes `[start, end)` replaced by `insert`.
pub fn splice(text: &str, start: usize, end: usize, insert: &str) -> String {
    let start = floor(text, start);
    let end = floor(text, end).max(start);
    let mut out = String::with_capacity(text.len() - (end - start) + insert.len());
    out.push_str(&text[..start]);
    out.push_str(insert);
    out.push_str(&text[end..]);
    out
}

/// Text pasted into the editor as a textarea would take it: line breaks become `\n`.
pub fn normalize_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert!(!is_large(10, 10));
        assert!(!is_large(LARGE_BYTES, LARGE_LINES));
        assert!(is_large(LARGE_BYTES + 1, 1));
        assert!(is_large(10, LARGE_LINES + 1));
    }

    #[test]
    fn lines_and_offsets() {
        let text = "a\nbb\nccc";
        let lines = Lines::new(text);
        assert_eq!(lines.start(1), 0);
        assert_eq!(lines.start(2), 2);
        assert_eq!(lines.start(3), 5);
        assert_eq!(lines.start(4), 8);
        assert_eq!(lines.end(1), 1);
        assert_eq!(lines.end(3), 8);
        for (at, line) in [(0, 1), (1, 1), (2, 2), (4, 2), (5, 3), (8, 3), (99, 3)] {
            assert_eq!(lines.of(at), line, "offset {at}");
            assert_eq!(line_of(text, at), line, "offset {at}");
        }
        assert_eq!(lines.count(), 3);
        assert_eq!(line_count(text), 3);
        assert_eq!(Lines::new("").count(), 1);
        assert_eq!(line_count(""), 1);
        assert_eq!(Lines::new("x\n").count(), 2);
        assert_eq!(Lines::new("x\n").start(2), 2);
        assert_eq!(Lines::new("x\n").end(2), 2);
    }

    #[test]
    fn window_bounds_exclude_the_last_newline() {
        let text = "a\nbb\nccc\nd";
        let lines = Lines::new(text);
        assert_eq!(lines.bounds(1, 1), (0, 1));
        assert_eq!(lines.bounds(2, 3), (2, 8));
        assert_eq!(&text[2..8], "bb\nccc");
        assert_eq!(lines.bounds(3, 10), (5, 10));
        assert_eq!(lines.bounds(1, 4), (0, text.len()));
        // Past the end: an empty window at the end.
        assert_eq!(lines.bounds(9, 12), (10, 10));
        // An empty last line.
        assert_eq!(Lines::new("a\n").bounds(2, 2), (2, 2));
    }

    #[test]
    fn editing_the_window_splices_the_whole_text() {
        let text = "l1\nl2\nl3\nl4\nl5";
        let (s, e) = Lines::new(text).bounds(2, 3);
        let value = "l2\nnew\nl3!";
        let whole = format!("{}{}{}", &text[..s], value, &text[e..]);
        assert_eq!(whole, "l1\nl2\nnew\nl3!\nl4\nl5");
        // The window now spans lines 2..=2 + newlines(value) and holds exactly the value.
        let hi = 2 + value.matches('\n').count();
        let (s2, e2) = Lines::new(&whole).bounds(2, hi);
        assert_eq!(&whole[s2..e2], value);
        // Deleting the whole window's text.
        let whole = format!("{}{}", &text[..s], &text[e..]);
        assert_eq!(whole, "l1\n\nl4\nl5");
        assert_eq!(Lines::new(&whole).bounds(2, 2), (3, 3));
    }

    #[test]
    fn windows_around_the_view() {
        assert_eq!(around(1, 40, 100, 30_000), (1, 141));
        assert_eq!(around(500, 40, 100, 30_000), (400, 640));
        assert_eq!(around(29_990, 40, 100, 30_000), (29_890, 30_000));
        assert_eq!(around(5, 40, 100, 1), (1, 1));
        assert_eq!(showing(500, 30, 100, 30_000), (390, 620));
        assert_eq!(showing(5, 30, 100, 30_000), (1, 130));
        assert!(!needs_move((1, 141), 1, 40, 30, 30_000));
        assert!(needs_move((1, 141), 80, 40, 30, 30_000));
        assert!(!needs_move((400, 640), 450, 40, 30, 30_000));
        assert!(needs_move((400, 640), 420, 40, 30, 30_000));
        assert!(!needs_move((29_890, 30_000), 29_960, 40, 30, 30_000));
    }

    #[test]
    fn utf16_offsets() {
        let text = "aé😀b";
        assert_eq!(utf16_to_byte(text, 0), 0);
        assert_eq!(utf16_to_byte(text, 1), 1);
        assert_eq!(utf16_to_byte(text, 2), 3);
        assert_eq!(utf16_to_byte(text, 4), 7);
        assert_eq!(utf16_to_byte(text, 5), 8);
        assert_eq!(utf16_to_byte(text, 99), 8);
        assert_eq!(byte_to_utf16(text, 3), 2);
        assert_eq!(byte_to_utf16(text, 7), 4);
        assert_eq!(byte_to_utf16(text, 5), 2, "inside a char: its start");
    }

    #[test]
    fn splicing() {
        assert_eq!(splice("hello", 1, 3, "EY"), "hEYlo");
        assert_eq!(splice("", 0, 0, "x"), "x");
        assert_eq!(splice("abc", 0, 3, ""), "");
        assert_eq!(splice("abc", 5, 9, "d"), "abcd");
        assert_eq!(normalize_newlines("a\r\nb\rc"), "a\nb\nc");
    }
}
