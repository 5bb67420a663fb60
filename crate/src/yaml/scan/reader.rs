//! The cursor over the input: byte position, line and column (in characters, as YAML counts
//! indentation), and the character classes of YAML 1.2.

/// A position in the input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    /// Byte offset.
    pub pos: usize,
    /// 0-based line.
    pub line: usize,
    /// 0-based column, in characters (a byte order mark does not count).
    pub col: usize,
}

/// Reads the input byte by byte, tracking lines and (lazily) columns.
pub struct Reader<'a> {
    pub text: &'a str,
    pub bytes: &'a [u8],
    pub pos: usize,
    pub line: usize,
    /// Where column 0 of the current line is (after a byte order mark at a line start).
    line_start: usize,
    /// Column cache: the column at `col_pos`, on the current line.
    col_pos: usize,
    col_val: usize,
    /// Only blanks and line breaks since the last line start (the current line's indentation).
    pub leading_ws: bool,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            line: 0,
            line_start: 0,
            col_pos: 0,
            col_val: 0,
            leading_ws: true,
        }
    }

    /// The byte at the cursor, 0 at the end of the input.
    #[inline]
    pub fn peek(&self) -> u8 {
        self.at(0)
    }

    /// The byte `n` bytes ahead, 0 past the end.
    #[inline]
    pub fn at(&self, n: usize) -> u8 {
        self.bytes.get(self.pos + n).copied().unwrap_or(0)
    }

    #[inline]
    pub fn is_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// The column of the cursor.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn col(&mut self) -> usize {
        if self.col_pos < self.line_start {
            self.col_pos = self.line_start;
            self.col_val = 0;
        }
        if self.col_pos < self.pos {
            self.col_val += count_chars(&self.bytes[self.col_pos..self.pos]);
            self.col_pos = self.pos;
        }
        self.col_val
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn mark(&mut self) -> Mark {
        Mark {
            pos: self.pos,
            line: self.line,
            col: self.col(),
        }
    }

    /// Consumes one blank (space or tab).
    #[inline]
    pub fn skip_blank(&mut self) {
        self.pos += 1;
    }

    /// Consumes one character that is not a blank or a line break.
    #[inline]
    pub fn skip_char(&mut self) {
        self.pos += utf8_len(self.peek());
        self.leading_ws = false;
    }

    /// Consumes `n` ASCII bytes that are not blanks.
    #[inline]
    pub fn skip_ascii(&mut self, n: usize) {
        self.pos += n;
        self.leading_ws = false;
    }

    /// Consumes a line break (`\n`, `\r` or `\r\n`) if there is one.
    #[inline]
    pub fn skip_break(&mut self) {
        match self.peek() {
            b'\r' => {
                self.pos += if self.at(1) == b'\n' { 2 } else { 1 };
            }
            b'\n' => self.pos += 1,
            _ => return,
        }
        self.new_line();
    }

    #[inline]
    fn new_line(&mut self) {
        self.line += 1;
        self.line_start = self.pos;
        self.leading_ws = true;
    }

    /// Consumes a byte order mark without moving the column (it is not content).
    pub fn skip_bom(&mut self) {
        let at_line_start = self.pos == self.line_start;
        self.pos += 3;
        if at_line_start {
            self.line_start = self.pos;
        }
    }

    /// Skips the rest of a comment, up to the line break or the end.
    #[inline]
    pub fn skip_to_break(&mut self) {
        let rest = &self.bytes[self.pos..];
        self.pos += rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r' || b == 0)
            .unwrap_or(rest.len());
    }

    /// Skips a comment's text up to the line break, the end or a character that is not
    /// printable (which the caller reports).
    pub fn skip_comment_text(&mut self) {
        loop {
            let b = self.peek();
            if b < 0x80 {
                if is_breakz(b) || !is_printable_ascii(b) {
                    return;
                }
                self.pos += 1;
            } else {
                let c = self.peek_char();
                if !is_printable(c) {
                    return;
                }
                self.pos += c.len_utf8();
            }
        }
    }

    /// The character at the cursor (`'\0'` at the end).
    pub fn peek_char(&self) -> char {
        self.text[self.pos.min(self.text.len())..]
            .chars()
            .next()
            .unwrap_or('\0')
    }

    /// `---` or `...` at the cursor followed by a blank, a break or the end.
    pub fn is_document_indicator(&self) -> bool {
        let b = self.peek();
        (b == b'-' || b == b'.') && self.at(1) == b && self.at(2) == b && is_blankz(self.at(3))
    }

    pub fn is_document_start(&self) -> bool {
        self.peek() == b'-' && self.is_document_indicator()
    }

    pub fn is_document_end(&self) -> bool {
        self.peek() == b'.' && self.is_document_indicator()
    }

    /// Whether the cursor is on a BOM (U+FEFF).
    pub fn is_bom(&self) -> bool {
        self.peek() == 0xEF && self.at(1) == 0xBB && self.at(2) == 0xBF
    }

    /// Whether the character at the cursor is printable YAML (`c-printable`); true at the end.
    #[inline]
    pub fn printable(&self) -> bool {
        let b = self.peek();
        if b < 0x80 {
            return self.is_end() || is_printable_ascii(b);
        }
        is_printable(self.peek_char())
    }
}

/// Number of characters in UTF-8 bytes (bytes that are not continuation bytes).
#[inline]
pub fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[inline]
pub fn utf8_len(b: u8) -> usize {
    match b {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

#[inline]
pub fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

#[inline]
pub fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// A line break or the end (0).
#[inline]
pub fn is_breakz(b: u8) -> bool {
    b == b'\n' || b == b'\r' || b == 0
}

/// A blank, a line break or the end (0).
#[inline]
pub fn is_blankz(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\n' || b == b'\r' || b == 0
}

#[inline]
pub fn is_flow(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

#[inline]
pub fn is_printable_ascii(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E)
}

pub fn is_printable(c: char) -> bool {
    matches!(
        c as u32,
        0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10_FFFF
    )
}

/// The first character of `s` that is not printable YAML.
pub fn find_non_printable(s: &str) -> Option<char> {
    if s.bytes().all(is_printable_ascii) {
        return None;
    }
    s.chars().find(|&c| !is_printable(c))
}

/// `[0-9a-zA-Z_-]`
#[inline]
pub fn is_alpha(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A URI character allowed in a tag (not `!` nor a flow indicator).
#[inline]
pub fn is_tag_char(b: u8) -> bool {
    (is_alpha(b) && b != b'_') || b"#;/?:@&=+$_.~*'()%".contains(&b)
}

/// A URI character (in verbatim tags and `%TAG` prefixes).
#[inline]
pub fn is_uri_char(b: u8) -> bool {
    (is_alpha(b) && b != b'_') || b"#;/?:@&=+$,_.!~*'()[]%".contains(&b)
}
