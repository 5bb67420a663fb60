//! Byte ranges and the line index that turns them into line/column positions.
//!
//! Everything inside the engine works with byte offsets into the original text. Line and column
//! numbers are produced only at the edges: the CLI counts columns in Unicode scalar values, the
//! browser in UTF-16 code units. Both come from one [`LineIndex`].

/// A half-open byte range `start..end` into a source text.
///
/// Offsets are stored as `u32` (every YAML node carries a range, so this halves their cost);
/// a file longer than [`MAX_TEXT_LEN`] is not parsed but reported as a parse error (see
/// `ParsedFile::parse`), so offsets never need clamping (`new` would clamp them). Serialized as `{"start": …, "end": …}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct TextRange {
    start: u32,
    end: u32,
}

/// The longest text the engine reads (bytes): offsets must fit in a `u32`.
pub const MAX_TEXT_LEN: usize = u32::MAX as usize;

const fn offset32(offset: usize) -> u32 {
    if offset > MAX_TEXT_LEN {
        u32::MAX
    } else {
        offset as u32
    }
}

impl TextRange {
    pub const fn new(start: usize, end: usize) -> Self {
        Self {
            start: offset32(start),
            end: offset32(end),
        }
    }

    /// An empty range at `offset` (an insertion point).
    pub const fn empty(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    /// Byte offset of the first byte.
    pub const fn start(&self) -> usize {
        self.start as usize
    }

    /// Byte offset just past the last byte.
    pub const fn end(&self) -> usize {
        self.end as usize
    }

    pub const fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub const fn contains(&self, offset: usize) -> bool {
        self.start() <= offset && offset < self.end()
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The text this range covers, or `""` when it is out of bounds.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start()..self.end()).unwrap_or("")
    }
}

/// How columns are counted when a byte offset is turned into a line/column pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnEncoding {
    /// Unicode scalar values (what a terminal user counts; the CLI and JSON output).
    Utf32,
    /// UTF-16 code units (what the DOM and JavaScript count).
    Utf16,
    /// Bytes.
    Utf8,
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// The byte offset at which each line starts. Lines end at `\n`; a `\r` before it belongs to
/// the line's terminator, so CRLF text gets the same line numbers as LF text. A leading byte
/// order mark is counted as part of line 1 but skipped when counting columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    bom: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Self { starts, bom }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line number holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset at which the 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    /// The byte range of the 0-based `line`, without its terminator (`\n` or `\r\n`).
    pub fn line_range(&self, line: usize, text: &str) -> TextRange {
        let start = self.line_start(line);
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        TextRange::new(start, end)
    }

    /// 1-based line and column of `offset`, columns counted in `encoding`.
    /// An offset inside a multi-byte character counts from that character's start.
    pub fn line_col(&self, text: &str, offset: usize, encoding: ColumnEncoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let mut start = self.starts[line];
        if line == 0 {
            start = start.max(self.bom.min(offset));
        }
        let prefix = &text[start..offset];
        let column = match encoding {
            ColumnEncoding::Utf8 => prefix.len(),
            ColumnEncoding::Utf32 => prefix.chars().count(),
            ColumnEncoding::Utf16 => prefix.chars().map(char::len_utf16).sum(),
        };
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The byte offset of a 1-based line and column (inverse of [`LineIndex::line_col`]).
    pub fn offset(&self, text: &str, pos: LineCol, encoding: ColumnEncoding) -> Option<usize> {
        let line = pos.line.checked_sub(1)?;
        let range = self.line_range(line, text);
        let start = if line == 0 {
            range.start().max(self.bom.min(range.end()))
        } else {
            range.start()
        };
        let mut remaining = pos.column.checked_sub(1)?;
        for (i, c) in text[start..range.end()].char_indices() {
            if remaining == 0 {
                return Some(start + i);
            }
            let width = match encoding {
                ColumnEncoding::Utf8 => c.len_utf8(),
                ColumnEncoding::Utf32 => 1,
                ColumnEncoding::Utf16 => c.len_utf16(),
            };
            remaining = remaining.checked_sub(width)?;
        }
        (remaining == 0).then_some(range.end())
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| (*b == b'\n').then_some(i))
}

/// The largest char boundary not after `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_and_crlf_give_the_same_lines() {
        for text in ["a: 1\nbb: 2\n", "a: 1\r\nbb: 2\r\n"] {
            let index = LineIndex::new(text);
            let at = text.find("bb").unwrap();
            let pos = index.line_col(text, at, ColumnEncoding::Utf32);
            assert_eq!(pos, LineCol { line: 2, column: 1 });
            assert_eq!(index.line_range(0, text).slice(text), "a: 1");
        }
    }

    #[test]
    fn columns_in_each_encoding() {
        let text = "name: \"héllo😀\" x";
        let index = LineIndex::new(text);
        let at = text.find('x').unwrap();
        assert_eq!(index.line_col(text, at, ColumnEncoding::Utf32).column, 16);
        assert_eq!(index.line_col(text, at, ColumnEncoding::Utf16).column, 17);
        assert_eq!(
            index.line_col(text, at, ColumnEncoding::Utf8).column,
            at + 1
        );
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}apiVersion: v1\nkind: Pod";
        let index = LineIndex::new(text);
        let at = text.find("apiVersion").unwrap();
        assert_eq!(
            index.line_col(text, at, ColumnEncoding::Utf32),
            LineCol { line: 1, column: 1 }
        );
        assert_eq!(
            index.offset(text, LineCol { line: 1, column: 1 }, ColumnEncoding::Utf32),
            Some(at)
        );
    }

    #[test]
    fn tabs_count_as_one_column() {
        let text = "RUN\tgo build";
        let index = LineIndex::new(text);
        let at = text.find("go").unwrap();
        assert_eq!(index.line_col(text, at, ColumnEncoding::Utf32).column, 5);
    }

    #[test]
    fn offset_round_trips() {
        let text = "é\n😀x\r\nlast";
        let index = LineIndex::new(text);
        for enc in [
            ColumnEncoding::Utf8,
            ColumnEncoding::Utf16,
            ColumnEncoding::Utf32,
        ] {
            for (offset, _) in text.char_indices() {
                let pos = index.line_col(text, offset, enc);
                if text[offset..].starts_with('\n') && text[..offset].ends_with('\r') {
                    continue;
                }
                assert_eq!(
                    index.offset(text, pos, enc),
                    Some(offset),
                    "{offset} {enc:?}"
                );
            }
        }
    }
}
