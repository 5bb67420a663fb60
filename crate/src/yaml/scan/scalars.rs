//! Scanning scalars: plain (multi-line folding, the `: ` and ` #` rules), single- and
//! double-quoted (escapes, folding, escaped line breaks), literal and folded block scalars
//! (chomping, indentation indicators, more-indented lines).
//!
//! A scalar whose value is a slice of the input (no folding, no escapes) borrows it.

use std::borrow::Cow;

use super::reader::{find_non_printable, is_blank, is_blankz, is_break, is_breakz, is_flow};
use super::tokens::Scanner;
use super::{ScanError, ScanResult, Style, Token, TokenKind};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomping {
    Strip,
    Clip,
    Keep,
}

impl<'a> Scanner<'a> {
    pub(super) fn fetch_plain_scalar(&mut self) -> ScanResult {
        self.save_simple_key();
        self.disallow_simple_key();
        let index = self.token_count();
        let token = self.scan_plain_scalar()?;
        self.insert(index, token);
        Ok(())
    }

    fn scan_plain_scalar(&mut self) -> ScanResult<Token<'a>> {
        self.unroll_non_block_indents();
        let indent = self.indent + 1;
        let start = self.r.mark();
        let in_flow = self.flow_level > 0;
        let text = self.r.text;
        let bytes = self.r.bytes;
        // `None` while the value is the slice `start..end` of the input.
        let mut owned: Option<String> = None;
        let mut has_content = false;
        let mut end = start.pos;
        // Blanks after content on the current line: `ws_start..self.r.pos` when `has_ws`.
        let mut ws_start = 0;
        let mut has_ws = false;
        let mut leading_break = false;
        let mut trailing_breaks = 0usize;
        // A control or non-ASCII character was seen (checked for printability at the end).
        let mut special = false;

        loop {
            let c = self.r.peek();
            if c == b'#'
                || ((c == b'-' || c == b'.') && self.r.col() == 0 && self.r.is_document_indicator())
            {
                if c == b'#' && has_content && has_ws && !in_flow {
                    self.interrupted_plain_by_comment = Some(self.r.mark());
                }
                break;
            }
            if !has_content && in_flow && c == b'-' && is_flow(self.r.at(1)) {
                return Err(
                    self.error("a plain scalar cannot start with `-` followed by a flow indicator")
                );
            }
            if !is_blankz(c) && self.can_be_plain(in_flow) {
                if self.r.leading_ws {
                    if has_content && owned.is_none() {
                        owned = Some(text[start.pos..end].to_owned());
                    }
                    if let Some(out) = owned.as_mut() {
                        if !leading_break {
                            push_breaks(out, trailing_breaks);
                        } else if trailing_breaks == 0 {
                            out.push(' ');
                        } else {
                            push_breaks(out, trailing_breaks);
                        }
                    }
                    trailing_breaks = 0;
                    leading_break = false;
                    self.r.leading_ws = false;
                } else if has_ws {
                    if let Some(out) = owned.as_mut() {
                        out.push_str(&text[ws_start..self.r.pos]);
                    }
                }
                has_ws = false;
                has_content = true;
                // The run of content characters.
                let from = self.r.pos;
                let mut i = from;
                loop {
                    let b = bytes.get(i).copied().unwrap_or(0);
                    match b {
                        b' ' | b'\t' | b'\n' | b'\r' | 0 => break,
                        b':' => {
                            let n = bytes.get(i + 1).copied().unwrap_or(0);
                            if is_blankz(n) || (in_flow && is_flow(n)) {
                                break;
                            }
                        }
                        b',' | b'[' | b']' | b'{' | b'}' if in_flow => break,
                        0x21..=0x7E => {}
                        _ => special = true,
                    }
                    i += 1;
                }
                // `i` stops on an ASCII byte (or the end), so it is a char boundary.
                if let Some(out) = owned.as_mut() {
                    out.push_str(&text[from..i]);
                }
                self.r.pos = i;
                self.r.leading_ws = false;
                end = i;
            }
            let c = self.r.peek();
            if !(is_blank(c) || is_break(c)) {
                break;
            }
            loop {
                let c = self.r.peek();
                if is_blank(c) {
                    if !self.r.leading_ws {
                        if !has_ws {
                            has_ws = true;
                            ws_start = self.r.pos;
                        }
                        self.r.skip_blank();
                    } else if c == b'\t' && (self.r.col() as isize) < indent {
                        self.skip_ws_to_eol(true)?;
                        if !is_breakz(self.r.peek()) {
                            return Err(ScanError::new(
                                start.pos,
                                "a tab character used as indentation in a plain scalar",
                            ));
                        }
                    } else {
                        self.r.skip_blank();
                    }
                } else if is_break(c) {
                    if self.r.leading_ws {
                        trailing_breaks += 1;
                    } else {
                        has_ws = false;
                        leading_break = true;
                    }
                    self.r.skip_break();
                } else {
                    break;
                }
            }
            if !in_flow && (self.r.col() as isize) < indent {
                break;
            }
        }
        if self.r.leading_ws {
            self.allow_simple_key();
        }
        if let Some(c) = special
            .then(|| find_non_printable(&text[start.pos..end]))
            .flatten()
        {
            return Err(ScanError::new(
                start.pos,
                format!("unexpected character {c:?} (not printable)"),
            ));
        }
        self.ensure_printable()?;
        if !has_content {
            return Err(ScanError::new(start.pos, "unexpected end of plain scalar"));
        }
        let value = match owned {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(&text[start.pos..end]),
        };
        Ok(Token {
            start: start.pos,
            end,
            kind: TokenKind::Scalar(Style::Plain, value),
        })
    }

    pub(super) fn fetch_flow_scalar(&mut self, single: bool) -> ScanResult {
        self.save_simple_key();
        self.disallow_simple_key();
        let index = self.token_count();
        let token = self.scan_flow_scalar(single)?;
        let saw_comment = self.skip_to_next_token()?;
        self.adjacent_value_allowed_at = if saw_comment { usize::MAX } else { self.r.pos };
        self.insert(index, token);
        Ok(())
    }

    fn scan_flow_scalar(&mut self, single: bool) -> ScanResult<Token<'a>> {
        let start = self.r.mark();
        let text = self.r.text;
        let bytes = self.r.bytes;
        let quote = if single { b'\'' } else { b'"' };
        self.r.skip_ascii(1);
        let content_start = self.r.pos;
        // `None` while the value is the slice `content_start..borrowed_end`.
        let mut owned: Option<String> = None;
        let mut borrowed_end = content_start;

        loop {
            if self.r.col() == 0 && self.r.is_document_indicator() {
                return Err(ScanError::new(
                    start.pos,
                    "a document marker inside a quoted scalar",
                ));
            }
            if self.r.is_end() {
                return Err(ScanError::new(
                    start.pos,
                    "this quoted scalar is never closed",
                ));
            }
            self.ensure_printable()?;
            let mut leading_blanks = false;
            // Non-blank characters.
            loop {
                let c = self.r.peek();
                if is_blankz(c) {
                    break;
                }
                if c >= 0x80 {
                    if !self.r.printable() {
                        break;
                    }
                } else if !super::reader::is_printable_ascii(c) {
                    break;
                }
                if single && c == b'\'' && self.r.at(1) == b'\'' {
                    let out =
                        owned.get_or_insert_with(|| text[content_start..borrowed_end].to_owned());
                    out.push('\'');
                    self.r.skip_ascii(2);
                    continue;
                }
                if c == quote {
                    break;
                }
                if !single && c == b'\\' {
                    let out =
                        owned.get_or_insert_with(|| text[content_start..borrowed_end].to_owned());
                    if is_break(self.r.at(1)) {
                        self.r.skip_ascii(1);
                        self.r.skip_break();
                        leading_blanks = true;
                        break;
                    }
                    let ch = self.escape(start.pos)?;
                    out.push(ch);
                    continue;
                }
                // A run of ordinary characters.
                let from = self.r.pos;
                let mut i = from;
                while let Some(&b) = bytes.get(i) {
                    if b < 0x80 {
                        if b == quote
                            || b == b'\\'
                            || b == b'\''
                            || is_blank(b)
                            || !super::reader::is_printable_ascii(b)
                            || is_break(b)
                        {
                            break;
                        }
                        i += 1;
                    } else {
                        let ch = text[i..].chars().next().unwrap_or('\0');
                        if !super::reader::is_printable(ch) {
                            break;
                        }
                        i += ch.len_utf8();
                    }
                }
                if i == from {
                    // A lone `'` in a double-quoted or `\` in a single-quoted scalar.
                    i = from + 1;
                }
                match owned.as_mut() {
                    Some(out) => out.push_str(&text[from..i]),
                    None => borrowed_end = i,
                }
                self.r.pos = i;
                self.r.leading_ws = false;
            }
            if self.r.peek() == quote && !leading_blanks {
                break;
            }
            // Blanks and line breaks.
            let mut trailing_ws: Option<usize> = None;
            let mut has_leading_break = false;
            let mut has_trailing_breaks = false;
            loop {
                let c = self.r.peek();
                if is_blank(c) {
                    if leading_blanks {
                        self.r.skip_blank();
                    } else {
                        match owned.as_mut() {
                            Some(out) => {
                                trailing_ws.get_or_insert(out.len());
                                out.push(c as char);
                            }
                            None => {
                                trailing_ws.get_or_insert(self.r.pos);
                            }
                        }
                        self.r.skip_blank();
                        if owned.is_none() {
                            // Kept only if content follows on this line.
                        }
                    }
                } else if is_break(c) {
                    if leading_blanks {
                        let out = owned
                            .get_or_insert_with(|| text[content_start..borrowed_end].to_owned());
                        out.push('\n');
                        self.r.skip_break();
                        has_trailing_breaks = true;
                    } else {
                        match owned.as_mut() {
                            Some(out) => {
                                if let Some(at) = trailing_ws.take() {
                                    out.truncate(at);
                                }
                            }
                            None => {
                                trailing_ws = None;
                                owned = Some(text[content_start..borrowed_end].to_owned());
                            }
                        }
                        self.r.skip_break();
                        has_leading_break = true;
                        leading_blanks = true;
                    }
                } else {
                    break;
                }
            }
            if owned.is_none() && trailing_ws.is_some() {
                // Blanks followed by more content on the same line: part of the slice.
                borrowed_end = self.r.pos;
            }
            if leading_blanks && has_leading_break && !has_trailing_breaks {
                owned
                    .get_or_insert_with(|| text[content_start..borrowed_end].to_owned())
                    .push(' ');
            }
        }
        self.r.skip_ascii(1);
        let end = self.r.pos;
        self.skip_ws_to_eol(true)?;
        self.ensure_printable()?;
        let c = self.r.peek();
        let ok = match c {
            b',' | b'}' | b']' => self.flow_level > 0,
            b':' => self.flow_level > 0 || start.line == self.r.line,
            _ => is_breakz(c),
        };
        if !ok {
            return Err(self.error(if single {
                "unexpected content after a single-quoted scalar"
            } else {
                "unexpected content after a double-quoted scalar"
            }));
        }
        let value = match owned {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(&text[content_start..borrowed_end]),
        };
        let style = if single {
            Style::SingleQuoted
        } else {
            Style::DoubleQuoted
        };
        Ok(Token {
            start: start.pos,
            end,
            kind: TokenKind::Scalar(style, value),
        })
    }

    /// Reads an escape sequence (`\n`, `\x41`, `\u263A`, ...) at the cursor.
    fn escape(&mut self, scalar_start: usize) -> ScanResult<char> {
        let invalid = |message: &str| ScanError::new(scalar_start, message.to_owned());
        let at = self.r.pos;
        let code_length = match self.r.at(1) {
            b'0' => return self.simple_escape('\0'),
            b'a' => return self.simple_escape('\x07'),
            b'b' => return self.simple_escape('\x08'),
            b't' | b'\t' => return self.simple_escape('\t'),
            b'n' => return self.simple_escape('\n'),
            b'v' => return self.simple_escape('\x0b'),
            b'f' => return self.simple_escape('\x0c'),
            b'r' => return self.simple_escape('\r'),
            b'e' => return self.simple_escape('\x1b'),
            b' ' => return self.simple_escape(' '),
            b'"' => return self.simple_escape('"'),
            b'/' => return self.simple_escape('/'),
            b'\\' => return self.simple_escape('\\'),
            b'N' => return self.simple_escape('\u{85}'),
            b'_' => return self.simple_escape('\u{a0}'),
            b'L' => return self.simple_escape('\u{2028}'),
            b'P' => return self.simple_escape('\u{2029}'),
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => {
                return Err(ScanError::new(
                    at,
                    format!(
                        "unknown escape sequence `\\{}` in a double-quoted scalar",
                        self.r.text[at + 1..].chars().next().unwrap_or(' ')
                    ),
                ))
            }
        };
        self.r.skip_ascii(2);
        let mut value = self
            .hex(code_length)
            .ok_or_else(|| invalid("invalid hexadecimal escape in a double-quoted scalar"))?;
        if code_length == 4 && (0xD800..=0xDBFF).contains(&value) {
            if self.r.peek() == b'\\' && self.r.at(1) == b'u' {
                self.r.skip_ascii(2);
                let low = self
                    .hex(4)
                    .ok_or_else(|| invalid("invalid low surrogate escape"))?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(invalid("invalid low surrogate"));
                }
                value = 0x10000 + (((value - 0xD800) << 10) | (low - 0xDC00));
            } else {
                return Err(invalid("a high surrogate escape without its low surrogate"));
            }
        } else if code_length == 4 && (0xDC00..=0xDFFF).contains(&value) {
            return Err(invalid("a low surrogate escape without its high surrogate"));
        }
        char::from_u32(value).ok_or_else(|| invalid("an escape that is not a Unicode character"))
    }

    fn simple_escape(&mut self, c: char) -> ScanResult<char> {
        self.r.skip_ascii(2);
        Ok(c)
    }

    fn hex(&mut self, digits: usize) -> Option<u32> {
        let mut value = 0u32;
        for i in 0..digits {
            let d = (self.r.at(i) as char).to_digit(16)?;
            value = (value << 4) | d;
        }
        self.r.skip_ascii(digits);
        Some(value)
    }

    pub(super) fn fetch_block_scalar(&mut self, literal: bool) -> ScanResult {
        self.save_simple_key();
        self.allow_simple_key();
        let index = self.token_count();
        let token = self.scan_block_scalar(literal)?;
        self.insert(index, token);
        Ok(())
    }

    fn scan_block_scalar(&mut self, literal: bool) -> ScanResult<Token<'a>> {
        let indicator = self.r.mark();
        let style = if literal {
            Style::Literal
        } else {
            Style::Folded
        };
        let mut chomping = Chomping::Clip;
        let mut increment = 0usize;
        self.r.skip_ascii(1);
        self.unroll_non_block_indents();
        let header = |c: u8| match c {
            b'+' => Some(Chomping::Keep),
            b'-' => Some(Chomping::Strip),
            _ => None,
        };
        if let Some(c) = header(self.r.peek()) {
            chomping = c;
            self.r.skip_ascii(1);
            if self.r.peek().is_ascii_digit() {
                if self.r.peek() == b'0' {
                    return Err(zero_indent(indicator.pos));
                }
                increment = (self.r.peek() - b'0') as usize;
                self.r.skip_ascii(1);
            }
        } else if self.r.peek().is_ascii_digit() {
            if self.r.peek() == b'0' {
                return Err(zero_indent(indicator.pos));
            }
            increment = (self.r.peek() - b'0') as usize;
            self.r.skip_ascii(1);
            if let Some(c) = header(self.r.peek()) {
                chomping = c;
                self.r.skip_ascii(1);
            }
        }
        self.skip_ws_to_eol(true)?;
        self.ensure_printable()?;
        if !is_breakz(self.r.peek()) {
            return Err(ScanError::new(
                indicator.pos,
                "invalid block scalar header (expected `|` or `>`, then chomping `+`/`-` and an indentation digit)",
            ));
        }
        let mut chomping_break = false;
        if is_break(self.r.peek()) {
            self.r.skip_break();
            chomping_break = true;
        }
        self.ensure_printable()?;
        if self.r.peek() == b'\t' {
            return Err(ScanError::new(
                indicator.pos,
                "a tab at the start of a block scalar",
            ));
        }
        let mut indent = 0usize;
        if increment > 0 {
            indent = if self.indent >= 0 {
                (self.indent + increment as isize) as usize
            } else {
                increment
            };
        }
        let mut trailing_breaks = 0usize;
        if indent == 0 {
            let mut max_indent = 0;
            loop {
                while self.r.peek() == b' ' {
                    self.r.skip_blank();
                }
                max_indent = max_indent.max(self.r.col());
                if is_break(self.r.peek()) {
                    self.r.skip_break();
                    trailing_breaks += 1;
                } else {
                    break;
                }
            }
            indent = max_indent.max((self.indent + 1) as usize);
        } else {
            self.skip_block_indent(indent, &mut trailing_breaks);
        }
        self.ensure_printable()?;

        if self.r.is_end() {
            let value = match chomping {
                Chomping::Strip => String::new(),
                _ if self.r.line == indicator.line => String::new(),
                Chomping::Clip => String::new(),
                Chomping::Keep if trailing_breaks == 0 && self.r.col() > 0 => {
                    if chomping_break {
                        "\n".into()
                    } else {
                        String::new()
                    }
                }
                Chomping::Keep => "\n".repeat(trailing_breaks),
            };
            return Ok(Token {
                start: indicator.pos,
                end: self.r.pos,
                kind: TokenKind::Scalar(style, Cow::Owned(value)),
            });
        }

        let col = self.r.col();
        if col < indent && (col as isize) > self.indent {
            let root_end = self.indent < 0
                && col == 0
                && (self.r.is_document_start()
                    || self.r.is_document_end()
                    || self.r.peek() == b'#');
            if !root_end {
                return Err(self.error("a block scalar line is less indented than its first line"));
            }
        }

        let start = self.r.pos;
        let text = self.r.text;
        let mut out = String::new();
        let mut leading_break = false;
        let mut leading_blank = false;
        while self.r.col() == indent && !self.r.is_end() {
            self.ensure_printable()?;
            if indent == 0 && self.r.is_document_indicator() {
                break;
            }
            let trailing_blank = is_blank(self.r.peek());
            if !literal && leading_break && !leading_blank && !trailing_blank {
                push_breaks(&mut out, trailing_breaks);
                if trailing_breaks == 0 {
                    out.push(' ');
                }
            } else {
                if leading_break {
                    out.push('\n');
                }
                push_breaks(&mut out, trailing_breaks);
            }
            leading_break = false;
            trailing_breaks = 0;
            leading_blank = is_blank(self.r.peek());
            // The line's content.
            let from = self.r.pos;
            self.r.skip_to_break();
            out.push_str(&text[from..self.r.pos]);
            if self.r.is_end() {
                break;
            }
            self.ensure_printable()?;
            self.r.skip_break();
            leading_break = true;
            self.skip_block_indent(indent, &mut trailing_breaks);
        }
        self.ensure_printable()?;
        if chomping != Chomping::Strip {
            if !leading_break && self.r.is_end() && self.r.col() >= indent.max(1) {
                out.push('\n');
            }
            if leading_break {
                out.push('\n');
            }
        }
        if chomping == Chomping::Keep {
            push_breaks(&mut out, trailing_breaks);
        }
        if let Some(c) = find_non_printable(&out) {
            return Err(ScanError::new(
                start,
                format!("unexpected character {c:?} (not printable)"),
            ));
        }
        Ok(Token {
            start,
            end: self.r.pos,
            kind: TokenKind::Scalar(style, Cow::Owned(out)),
        })
    }

    /// Skips the indentation (up to `indent` spaces) and the empty lines of a block scalar.
    fn skip_block_indent(&mut self, indent: usize, breaks: &mut usize) {
        loop {
            while self.r.peek() == b' ' && self.r.col() < indent {
                self.r.skip_blank();
            }
            if is_break(self.r.peek()) {
                self.r.skip_break();
                *breaks += 1;
            } else {
                break;
            }
        }
    }
}

fn push_breaks(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push('\n');
    }
}

fn zero_indent(pos: usize) -> ScanError {
    ScanError::new(pos, "a block scalar indentation indicator cannot be 0")
}
