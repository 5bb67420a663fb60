//! Physical lines, parser directives and line continuations.

/// One physical line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line {
    /// Offset of the first byte.
    pub start: usize,
    /// End of the content: before the `\n` and any `\r`s in front of it.
    pub end: usize,
}

/// Iterates over the physical lines of `text` from `pos`.
pub(crate) struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str, pos: usize) -> Self {
        Lines { text, pos }
    }

    /// Offset where the next line starts (`text.len()` at the end).
    pub fn pos(&self) -> usize {
        self.pos
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        let rest = bytes.get(start..).unwrap_or(&[]);
        let (mut end, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (start + i, start + i + 1),
            None => (bytes.len(), bytes.len()),
        };
        while end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        self.pos = next;
        Some(Line { start, end })
    }
}

/// If `line` ends with the escape character followed only by spaces and tabs, the byte offset
/// of that escape character.
pub(crate) fn continuation(line: &str, escape: char) -> Option<usize> {
    let trimmed = line.trim_end_matches([' ', '\t']);
    trimmed
        .ends_with(escape)
        .then(|| trimmed.len() - escape.len_utf8())
}

/// A parsed `# name=value` directive line (offsets relative to the line).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct DirectiveLine {
    pub name: String,
    pub value: std::ops::Range<usize>,
}

/// Matches BuildKit's `^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$`.
pub(crate) fn directive(line: &str) -> Option<DirectiveLine> {
    let bytes = line.as_bytes();
    if bytes.first() != Some(&b'#') {
        return None;
    }
    let mut i = 1;
    let skip = |i: &mut usize| {
        while matches!(bytes.get(*i), Some(b' ' | b'\t')) {
            *i += 1;
        }
    };
    skip(&mut i);
    let name_start = i;
    if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
        i += 1;
    }
    let name = line.get(name_start..i)?.to_ascii_lowercase();
    skip(&mut i);
    if bytes.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    skip(&mut i);
    let value_end = line.trim_end_matches([' ', '\t']).len();
    if value_end <= i {
        return None;
    }
    Some(DirectiveLine {
        name,
        value: i..value_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_strip_crlf() {
        let text = "a\r\nbb\n\nc";
        let v: Vec<_> = Lines::new(text, 0).map(|l| &text[l.start..l.end]).collect();
        assert_eq!(v, ["a", "bb", "", "c"]);
    }

    #[test]
    fn continuations() {
        assert_eq!(continuation("RUN a \\", '\\'), Some(6));
        assert_eq!(continuation("RUN a \\ \t", '\\'), Some(6));
        assert_eq!(continuation("RUN a", '\\'), None);
        assert_eq!(continuation("RUN a `", '`'), Some(6));
        assert_eq!(continuation("RUN a \\", '`'), None);
    }

    #[test]
    fn directives() {
        let d = directive("# Escape = ` ").unwrap();
        assert_eq!(d.name, "escape");
        assert_eq!(&"# Escape = ` "[d.value], "`");
        assert!(directive("# not a directive").is_none());
        assert!(directive("#=x").is_none());
        assert!(directive("# syntax=").is_none());
    }
}
