//! Node properties and directives: anchors `&a`, aliases `*a`, tags (`!local`, `!!str`,
//! `!e!name`, `!<verbatim>`, `%`-escaped characters), and the `%YAML` / `%TAG` directives.

use std::borrow::Cow;

use super::reader::{is_alpha, is_blank, is_blankz, is_breakz, is_flow, is_tag_char, is_uri_char};
use super::tokens::Scanner;
use super::{ScanError, ScanResult, Token, TokenKind};

impl<'a> Scanner<'a> {
    pub(super) fn fetch_anchor(&mut self, alias: bool) -> ScanResult {
        self.save_simple_key();
        self.disallow_simple_key();
        let start = self.r.pos;
        self.r.skip_ascii(1);
        let from = self.r.pos;
        loop {
            let c = self.r.peek();
            if c < 0x80 {
                if is_blankz(c) || is_flow(c) || !super::reader::is_printable_ascii(c) {
                    break;
                }
            } else if !self.r.printable() || self.r.is_bom() {
                break;
            }
            self.r.skip_char();
        }
        if from == self.r.pos {
            return Err(ScanError::new(
                start,
                if alias {
                    "an alias (`*`) without a name"
                } else {
                    "an anchor (`&`) without a name"
                },
            ));
        }
        let name = &self.r.text[from..self.r.pos];
        let kind = if alias {
            TokenKind::Alias(name)
        } else {
            TokenKind::Anchor(name)
        };
        self.push_token(start, kind);
        Ok(())
    }

    fn push_token(&mut self, start: usize, kind: TokenKind<'a>) {
        let end = self.r.pos;
        let index = self.token_count();
        self.insert(index, Token { start, end, kind });
    }

    pub(super) fn fetch_tag(&mut self) -> ScanResult {
        self.save_simple_key();
        self.disallow_simple_key();
        let start = self.r.pos;
        let (handle, suffix): (Cow<'a, str>, Cow<'a, str>) = if self.r.at(1) == b'<' {
            self.r.skip_ascii(2);
            let suffix = self.uri(start, false, is_uri_char)?;
            if suffix.is_empty() {
                return Err(ScanError::new(start, "a verbatim tag without a URI"));
            }
            if self.r.peek() != b'>' {
                return Err(ScanError::new(
                    start,
                    "a verbatim tag without its closing `>`",
                ));
            }
            self.r.skip_ascii(1);
            (Cow::Borrowed(""), suffix)
        } else {
            let handle = self.tag_handle();
            if handle.len() >= 2 && handle.ends_with('!') {
                let suffix = self.uri(start, false, is_tag_char)?;
                if suffix.is_empty() {
                    return Err(ScanError::new(start, "a tag without a suffix"));
                }
                (Cow::Borrowed(handle), suffix)
            } else {
                // `!name`: the "handle" read so far is `!` and the start of the suffix.
                let rest = self.uri(start, false, is_tag_char)?;
                let suffix = match rest {
                    Cow::Borrowed(_) => Cow::Borrowed(&self.r.text[start + 1..self.r.pos]),
                    Cow::Owned(rest) => Cow::Owned(format!("{}{rest}", &handle[1..])),
                };
                if suffix.is_empty() {
                    (Cow::Borrowed(""), Cow::Borrowed("!"))
                } else {
                    (Cow::Borrowed("!"), suffix)
                }
            }
        };
        let c = self.r.peek();
        if !(is_blankz(c) || (self.flow_level > 0 && matches!(c, b',' | b']' | b'}'))) {
            return Err(ScanError::new(
                start,
                "a tag must be followed by white space",
            ));
        }
        self.push_token(start, TokenKind::Tag(Box::new((handle, suffix))));
        Ok(())
    }

    /// `!`, then word characters, then an optional `!`.
    fn tag_handle(&mut self) -> &'a str {
        let start = self.r.pos;
        self.r.skip_ascii(1);
        while is_alpha(self.r.peek()) {
            self.r.skip_ascii(1);
        }
        if self.r.peek() == b'!' {
            self.r.skip_ascii(1);
        }
        &self.r.text[start..self.r.pos]
    }

    /// URI characters accepted by `ok`, decoding `%` escapes.
    fn uri(
        &mut self,
        start: usize,
        _directive: bool,
        ok: fn(u8) -> bool,
    ) -> ScanResult<Cow<'a, str>> {
        let from = self.r.pos;
        let mut owned: Option<String> = None;
        while ok(self.r.peek()) {
            if self.r.peek() == b'%' {
                let out = owned.get_or_insert_with(|| self.r.text[from..self.r.pos].to_owned());
                let c = uri_escape(self, start)?;
                out.push(c);
            } else {
                if let Some(out) = owned.as_mut() {
                    out.push(self.r.peek() as char);
                }
                self.r.skip_ascii(1);
            }
        }
        Ok(match owned {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(&self.r.text[from..self.r.pos]),
        })
    }

    pub(super) fn scan_directive(&mut self) -> ScanResult<Token<'a>> {
        let start = self.r.pos;
        self.r.skip_ascii(1);
        let name_start = self.r.pos;
        while !is_blankz(self.r.peek()) && self.r.printable() && !self.r.is_bom() {
            self.r.skip_char();
        }
        let name = &self.r.text[name_start..self.r.pos];
        if name.is_empty() {
            return Err(ScanError::new(start, "a directive without a name"));
        }
        if !is_blankz(self.r.peek()) {
            return Err(ScanError::new(start, "an invalid directive name"));
        }
        let mut separated_comment = false;
        let kind = match name {
            "YAML" => {
                self.skip_blanks(true);
                let major = self.version_number(start)?;
                if self.r.peek() != b'.' {
                    return Err(ScanError::new(start, "a %YAML version without `.`"));
                }
                self.r.skip_ascii(1);
                let minor = self.version_number(start)?;
                TokenKind::VersionDirective(major, minor)
            }
            "TAG" => {
                self.skip_blanks(true);
                if self.r.peek() != b'!' {
                    return Err(ScanError::new(start, "a %TAG handle must start with `!`"));
                }
                let handle = self.tag_handle();
                if handle != "!" && !handle.ends_with('!') {
                    return Err(ScanError::new(start, "a %TAG handle must end with `!`"));
                }
                self.skip_blanks(true);
                let c = self.r.peek();
                let prefix = if c == b'!' {
                    let from = self.r.pos;
                    self.r.skip_ascii(1);
                    let rest = self.uri(start, true, is_uri_char)?;
                    match rest {
                        Cow::Borrowed(_) => Cow::Borrowed(&self.r.text[from..self.r.pos]),
                        Cow::Owned(rest) => Cow::Owned(format!("!{rest}")),
                    }
                } else if !is_tag_char(c) {
                    return Err(ScanError::new(start, "an invalid %TAG prefix"));
                } else {
                    self.uri(start, true, is_uri_char)?
                };
                if !is_blankz(self.r.peek()) {
                    return Err(ScanError::new(
                        start,
                        "unexpected content after a %TAG directive",
                    ));
                }
                TokenKind::TagDirective(Cow::Borrowed(handle), prefix)
            }
            _ => {
                while is_blank(self.r.peek()) {
                    self.skip_blanks(true);
                    if self.r.peek() == b'#' {
                        separated_comment = true;
                        break;
                    }
                    while !is_blankz(self.r.peek()) && self.r.printable() && !self.r.is_bom() {
                        self.r.skip_char();
                    }
                }
                TokenKind::ReservedDirective
            }
        };
        let end = self.r.pos;
        if separated_comment {
            self.r.skip_comment_text();
            self.ensure_printable()?;
        } else {
            self.skip_ws_to_eol(true)?;
        }
        if is_breakz(self.r.peek()) {
            self.r.skip_break();
            Ok(Token { start, end, kind })
        } else {
            Err(ScanError::new(
                start,
                "unexpected content after a directive",
            ))
        }
    }

    fn version_number(&mut self, start: usize) -> ScanResult<u32> {
        let mut value = 0u32;
        let mut length = 0;
        while self.r.peek().is_ascii_digit() {
            length += 1;
            if length > 9 {
                return Err(ScanError::new(
                    start,
                    "a %YAML version number that is too long",
                ));
            }
            value = value * 10 + u32::from(self.r.peek() - b'0');
            self.r.skip_ascii(1);
        }
        if length == 0 {
            return Err(ScanError::new(start, "a %YAML directive without a version"));
        }
        Ok(value)
    }
}

/// A `%XX` escape (several for a multi-byte UTF-8 character) in a tag.
fn uri_escape(s: &mut Scanner<'_>, start: usize) -> ScanResult<char> {
    let invalid = || ScanError::new(start, "an invalid `%` escape in a tag");
    let mut bytes = [0u8; 4];
    let mut width = 0;
    let mut i = 0;
    loop {
        if s.r.peek() != b'%' {
            return Err(invalid());
        }
        let hi = (s.r.at(1) as char).to_digit(16).ok_or_else(invalid)?;
        let lo = (s.r.at(2) as char).to_digit(16).ok_or_else(invalid)?;
        let b = (hi * 16 + lo) as u8;
        if width == 0 {
            width = match b {
                0x00..=0x7F => 1,
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => return Err(invalid()),
            };
        } else if b & 0xC0 != 0x80 {
            return Err(invalid());
        }
        bytes[i] = b;
        i += 1;
        s.r.skip_ascii(3);
        if i == width {
            break;
        }
    }
    std::str::from_utf8(&bytes[..width])
        .ok()
        .and_then(|t| t.chars().next())
        .ok_or_else(invalid)
}
