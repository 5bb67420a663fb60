//! The scanner: turns the input into tokens.
//!
//! It keeps libyaml's model: a queue of tokens, a stack of block indentation levels (each new
//! level queues a `BlockSequenceStart`/`BlockMappingStart`, each level left a `BlockEnd`), and
//! per flow level a possible "simple key" (a node that turns out to be a key when a `:` follows
//! on the same line, at which point a `Key` token is inserted before it).

use std::collections::VecDeque;

use super::reader::{is_blank, is_blankz, is_break, is_breakz, is_flow, Mark, Reader};
use super::{ScanError, ScanResult, Token, TokenKind};

/// A node that may turn out to be a mapping key.
#[derive(Clone, Copy, Default)]
struct SimpleKey {
    mark: Mark,
    possible: bool,
    /// A block key at the current indentation: if it is not a key, the line is invalid.
    required: bool,
    token_number: usize,
}

#[derive(Clone, Copy)]
struct Indent {
    indent: isize,
    /// Pushed by a block collection (false for the temporary one-column indent after `:`/`-`).
    needs_block_end: bool,
}

/// Whether a flow sequence entry may be, or is, an implicit single-pair mapping (`[a: b]`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Implicit {
    Possible,
    Inside(usize),
}

/// Longest implicit key, in characters.
const SIMPLE_KEY_MAX: usize = 1024;

pub struct Scanner<'a> {
    pub(super) r: Reader<'a>,
    tokens: VecDeque<Token<'a>>,
    tokens_parsed: usize,
    /// The front token is ready for the parser (no pending simple key can precede it).
    token_available: bool,
    stream_start_produced: bool,
    pub(super) stream_end_produced: bool,
    pub(super) indent: isize,
    indents: Vec<Indent>,
    block_level: usize,
    pub(super) flow_level: usize,
    simple_keys: Vec<SimpleKey>,
    first_simple_key: Option<usize>,
    simple_key_allowed: bool,
    flow_markers: Vec<(Mark, u8)>,
    flow_mapping_started: Vec<bool>,
    implicit_states: Vec<Implicit>,
    pub(super) adjacent_value_allowed_at: usize,
    document_prefix_allowed: bool,
    pub(super) interrupted_plain_by_comment: Option<Mark>,
    explicit_key_tab_check_pending: bool,
    pub(super) in_directive_prefix: bool,
    max_nesting: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str, max_nesting: usize) -> Self {
        Self {
            r: Reader::new(text),
            tokens: VecDeque::new(),
            tokens_parsed: 0,
            token_available: false,
            stream_start_produced: false,
            stream_end_produced: false,
            indent: -1,
            indents: Vec::new(),
            block_level: 0,
            flow_level: 0,
            simple_keys: Vec::new(),
            first_simple_key: None,
            simple_key_allowed: false,
            flow_markers: Vec::new(),
            flow_mapping_started: Vec::new(),
            implicit_states: Vec::new(),
            adjacent_value_allowed_at: usize::MAX,
            document_prefix_allowed: true,
            interrupted_plain_by_comment: None,
            explicit_key_tab_check_pending: false,
            in_directive_prefix: false,
            max_nesting,
        }
    }

    pub(super) fn error(&self, message: &str) -> ScanError {
        ScanError::new(self.r.pos, message)
    }

    /// The next token, without consuming it.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn peek(&mut self) -> ScanResult<&Token<'a>> {
        if !self.token_available {
            self.fetch_more()?;
            self.token_available = true;
        }
        Ok(self.tokens.front().expect("fetch_more queues a token"))
    }

    /// Consumes the token returned by the last [`Self::peek`].
    #[inline]
    pub fn skip(&mut self) {
        self.tokens.pop_front();
        self.tokens_parsed += 1;
        self.token_available = false;
    }

    /// Consumes and returns the next token (after a successful [`Self::peek`]).
    #[inline]
    pub fn take(&mut self) -> Token<'a> {
        self.tokens_parsed += 1;
        self.token_available = false;
        self.tokens.pop_front().expect("peeked")
    }

    fn needs_more(&mut self) -> ScanResult<bool> {
        self.stale_simple_keys()?;
        Ok(self
            .first_simple_key
            .is_some_and(|i| self.simple_keys[i].token_number == self.tokens_parsed))
    }

    #[inline(never)]
    fn fetch_more(&mut self) -> ScanResult {
        loop {
            let need_more = self.tokens.is_empty() || self.needs_more()?;
            if matches!(
                self.tokens.back().map(|t| &t.kind),
                Some(TokenKind::DocumentEnd | TokenKind::DocumentStart)
            ) {
                break;
            }
            if !need_more {
                break;
            }
            self.fetch_next_token()?;
        }
        Ok(())
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn stale_simple_keys(&mut self) -> ScanResult {
        let Some(index) = self.first_simple_key else {
            return Ok(());
        };
        let sk = &self.simple_keys[index];
        if (self.flow_level > 0 || sk.mark.line >= self.r.line)
            && self.r.pos - sk.mark.pos <= SIMPLE_KEY_MAX
        {
            return Ok(());
        }
        self.stale_simple_keys_slow()
    }

    #[cold]
    #[inline(never)]
    fn stale_simple_keys_slow(&mut self) -> ScanResult {
        while let Some(index) = self.first_simple_key {
            let line = self.r.line;
            let pos = self.r.pos;
            let sk = self.simple_keys[index];
            let line_stale = self.flow_level == 0 && sk.mark.line < line;
            let length_stale = pos - sk.mark.pos > SIMPLE_KEY_MAX
                && super::reader::count_chars(&self.r.bytes[sk.mark.pos..pos]) > SIMPLE_KEY_MAX;
            if !line_stale && !length_stale {
                break;
            }
            if sk.required {
                return Err(simple_key_expected(sk.mark));
            }
            self.simple_keys[index].possible = false;
            self.first_simple_key = self.simple_keys[index + 1..]
                .iter()
                .position(|k| k.possible)
                .map(|o| index + 1 + o);
        }
        Ok(())
    }

    fn fetch_next_token(&mut self) -> ScanResult {
        if !self.stream_start_produced {
            self.stream_start_produced = true;
            self.indent = -1;
            self.simple_key_allowed = true;
            self.push(0, 0, TokenKind::StreamStart);
            self.simple_keys.push(SimpleKey::default());
            return Ok(());
        }
        loop {
            let saw_comment = self.skip_to_next_token()?;
            if saw_comment && !self.tokens.is_empty() {
                return Ok(());
            }
            if !saw_comment {
                break;
            }
        }
        self.stale_simple_keys()?;
        let col = self.r.col();
        self.unroll_indent(col as isize);

        if self.r.is_end() {
            return self.fetch_stream_end();
        }
        self.ensure_printable()?;
        let c = self.r.peek();
        if col == 0 {
            if c == b'%' {
                self.in_directive_prefix = true;
                return self.fetch_directive();
            }
            if self.r.is_document_start() {
                return self.fetch_document_indicator(TokenKind::DocumentStart);
            }
            if self.r.is_document_end() {
                self.fetch_document_indicator(TokenKind::DocumentEnd)?;
                self.skip_ws_to_eol(true)?;
                if !is_breakz(self.r.peek()) {
                    return Err(self.error("invalid content after document end marker"));
                }
                return Ok(());
            }
        }
        self.in_directive_prefix = false;
        self.document_prefix_allowed = false;

        let nc = self.r.at(1);
        match c {
            b'[' => self.fetch_flow_collection_start(TokenKind::FlowSequenceStart),
            b'{' => self.fetch_flow_collection_start(TokenKind::FlowMappingStart),
            b']' => self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd, b'['),
            b'}' => self.fetch_flow_collection_end(TokenKind::FlowMappingEnd, b'{'),
            b',' => self.fetch_flow_entry(),
            b'-' if is_blankz(nc) => self.fetch_block_entry(),
            b'?' if is_blankz(nc) => self.fetch_key(),
            b':' if is_blankz(nc) => self.fetch_value(),
            b':' if self.flow_level > 0
                && (is_flow(nc) || self.r.pos == self.adjacent_value_allowed_at) =>
            {
                self.fetch_flow_value()
            }
            b'*' => self.fetch_anchor(true),
            b'&' => self.fetch_anchor(false),
            b'!' => self.fetch_tag(),
            b'|' if self.flow_level == 0 => self.fetch_block_scalar(true),
            b'>' if self.flow_level == 0 => self.fetch_block_scalar(false),
            b'\'' => self.fetch_flow_scalar(true),
            b'"' => self.fetch_flow_scalar(false),
            b'-' => self.fetch_plain_scalar(),
            b':' | b'?' if self.flow_level == 0 => self.fetch_plain_scalar(),
            _ if self.r.is_bom() => Err(self.error("a byte order mark inside a document")),
            b'|' | b'>' | b'%' | b'@' | b'`' => Err(self.error(&format!(
                "unexpected character `{}`: it cannot start a plain scalar",
                c as char
            ))),
            _ => self.fetch_plain_scalar(),
        }
    }

    #[inline]
    pub(super) fn ensure_printable(&self) -> ScanResult {
        let b = self.r.peek();
        if (0x20..0x7F).contains(&b) || self.r.printable() {
            Ok(())
        } else {
            Err(self.unprintable())
        }
    }

    #[cold]
    fn unprintable(&self) -> ScanError {
        self.error(&format!(
            "unexpected character {:?} (not printable)",
            self.r.peek_char()
        ))
    }

    #[inline]
    fn push(&mut self, start: usize, end: usize, kind: TokenKind<'a>) {
        self.tokens.push_back(Token { start, end, kind });
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(super) fn insert(&mut self, index: usize, token: Token<'a>) {
        let len = self.tokens.len();
        if index == len {
            self.tokens.push_back(token);
        } else if index + 1 == len {
            // A key before the scalar just scanned: the common case, cheaper than `insert`.
            let last = self.tokens.pop_back().expect("len > 0");
            self.tokens.push_back(token);
            self.tokens.push_back(last);
        } else {
            self.tokens.insert(index, token);
        }
    }

    pub(super) fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// Skips blanks, line breaks and one comment. Returns whether it stopped after a comment.
    pub(super) fn skip_to_next_token(&mut self) -> ScanResult<bool> {
        let mut saw_comment = false;
        loop {
            let ch = self.r.peek();
            if self.explicit_key_tab_check_pending {
                match ch {
                    b'\t' => {
                        self.skip_explicit_key_tab()?;
                        continue;
                    }
                    b' ' | b'\n' | b'\r' | b'#' => {}
                    _ => self.explicit_key_tab_check_pending = false,
                }
            }
            match ch {
                b'\t' => {
                    if !self.indents.is_empty()
                        && self.r.leading_ws
                        && (self.r.col() as isize) < self.indent
                    {
                        self.skip_blanks(true);
                        if self.r.peek() == b'#' {
                            continue;
                        }
                        if !is_breakz(self.r.peek()) {
                            return Err(
                                self.error("a tab character used as indentation (use spaces)")
                            );
                        }
                        if is_break(self.r.peek()) {
                            self.consume_line_break();
                        }
                    } else {
                        self.r.skip_blank();
                    }
                }
                b' ' => self.r.skip_blank(),
                b'\n' | b'\r' => self.consume_line_break(),
                0xEF if self.document_prefix_allowed
                    && self.flow_level == 0
                    && self.r.col() == 0
                    && self.r.is_bom() =>
                {
                    self.r.skip_bom();
                }
                b'#' => {
                    saw_comment = true;
                    self.r.pos += 1;
                    self.r.skip_comment_text();
                    self.ensure_printable()?;
                    if is_break(self.r.peek()) {
                        self.consume_line_break();
                    }
                    return Ok(saw_comment);
                }
                _ => break,
            }
        }
        if let Some(err_mark) = self.interrupted_plain_by_comment.take() {
            if self.flow_level == 0
                && self.r.line == err_mark.line + 1
                && (self.r.col() as isize) > self.indent
                && !self.r.is_end()
                && !self.r.is_document_indicator()
                && self.can_be_plain(false)
            {
                return Err(ScanError::new(
                    err_mark.pos,
                    "a comment cannot interrupt a multi-line plain scalar",
                ));
            }
        }
        Ok(saw_comment)
    }

    #[inline]
    fn consume_line_break(&mut self) {
        self.r.skip_break();
        if self.flow_level == 0 {
            self.simple_key_allowed = true;
        }
    }

    /// Can the cursor continue (or start) a plain scalar?
    #[inline]
    pub(super) fn can_be_plain(&self, in_flow: bool) -> bool {
        let c = self.r.peek();
        let nc = self.r.at(1);
        match c {
            b':' if is_blankz(nc) || (in_flow && is_flow(nc)) => false,
            _ if in_flow && is_flow(c) => false,
            _ => true,
        }
    }

    /// Skips spaces (and tabs when `tabs`). Returns (found tabs, found spaces).
    #[inline]
    pub(super) fn skip_blanks(&mut self, tabs: bool) -> (bool, bool) {
        let (mut found_tabs, mut found_spaces) = (false, false);
        loop {
            match self.r.peek() {
                b' ' => found_spaces = true,
                b'\t' if tabs => found_tabs = true,
                _ => break,
            }
            self.r.pos += 1;
        }
        (found_tabs, found_spaces)
    }

    /// Skips blanks and a comment up to the end of the line. Returns whether tabs were seen.
    pub(super) fn skip_ws_to_eol(&mut self, tabs: bool) -> ScanResult<bool> {
        let (found_tabs, found_spaces) = self.skip_blanks(tabs);
        if self.r.peek() == b'#' {
            if !found_tabs && !found_spaces {
                return Err(
                    self.error("a comment must be separated from other tokens by white space")
                );
            }
            self.r.pos += 1;
            self.r.skip_comment_text();
            self.ensure_printable()?;
        }
        Ok(found_tabs)
    }

    fn skip_explicit_key_tab(&mut self) -> ScanResult {
        if self.r.leading_ws && (self.r.col() as isize) <= self.indent {
            let at = self.r.pos;
            self.skip_blanks(true);
            if self.r.peek() != b'#' && !is_breakz(self.r.peek()) {
                return Err(ScanError::new(at, "tabs are not allowed here"));
            }
        } else {
            self.r.skip_blank();
        }
        self.simple_key_allowed = false;
        Ok(())
    }

    /// After `?`: blanks, line breaks and comments; a blank or break must follow the `?`.
    fn skip_yaml_whitespace(&mut self) -> ScanResult<bool> {
        let mut need_ws = true;
        loop {
            match self.r.peek() {
                b' ' => {
                    self.r.skip_blank();
                    need_ws = false;
                }
                b'\t' => {
                    self.skip_explicit_key_tab()?;
                    need_ws = false;
                }
                b'\n' | b'\r' => {
                    self.consume_line_break();
                    need_ws = false;
                }
                b'#' => {
                    self.r.pos += 1;
                    self.r.skip_comment_text();
                    self.ensure_printable()?;
                    if !need_ws {
                        return Ok(true);
                    }
                }
                _ => break,
            }
        }
        if need_ws && !self.r.is_end() {
            Err(self.error("expected white space after `?`"))
        } else {
            Ok(false)
        }
    }

    fn fetch_stream_end(&mut self) -> ScanResult {
        if let Some((mark, bracket)) = self.flow_markers.pop() {
            return Err(unclosed(mark, bracket));
        }
        for sk in &mut self.simple_keys {
            if sk.required && sk.possible {
                return Err(simple_key_expected(sk.mark));
            }
            sk.possible = false;
        }
        self.first_simple_key = None;
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let pos = self.r.pos;
        self.push(pos, pos, TokenKind::StreamEnd);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind<'a>) -> ScanResult {
        self.in_directive_prefix = false;
        if let Some((mark, bracket)) = self.flow_markers.pop() {
            return Err(unclosed(mark, bracket));
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.r.pos;
        self.r.skip_ascii(3);
        self.document_prefix_allowed = matches!(kind, TokenKind::DocumentEnd);
        self.push(start, self.r.pos, kind);
        Ok(())
    }

    fn fetch_directive(&mut self) -> ScanResult {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let index = self.tokens.len();
        let token = self.scan_directive()?;
        self.insert(index, token);
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind<'a>) -> ScanResult {
        self.save_simple_key();
        let start = self.r.mark();
        let bracket = self.r.peek();
        self.flow_markers.push((start, bracket));
        self.roll_one_col_indent();
        if self.flow_level >= self.max_nesting {
            return Err(self.error("the flow collections are nested too deeply"));
        }
        self.simple_keys.push(SimpleKey::default());
        self.flow_level += 1;
        self.simple_key_allowed = true;
        self.r.skip_ascii(1);
        let end = self.r.pos;
        if matches!(kind, TokenKind::FlowMappingStart) {
            self.flow_mapping_started.push(true);
        } else {
            self.flow_mapping_started.push(false);
            self.implicit_states.push(Implicit::Possible);
        }
        let index = self.tokens.len();
        self.skip_ws_to_eol(true)?;
        self.insert(
            index,
            Token {
                start: start.pos,
                end,
                kind,
            },
        );
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind<'a>, open: u8) -> ScanResult {
        if self.flow_level == 0 {
            return Err(self.error("a closing bracket without an opening one"));
        }
        let Some((open_mark, open_ch)) = self.flow_markers.pop() else {
            return Err(self.error("a closing bracket without an opening one"));
        };
        if open_ch != open {
            return Err(ScanError::new(
                open_mark.pos,
                format!(
                    "`{}` is closed by `{}`",
                    open_ch as char,
                    self.r.peek() as char
                ),
            ));
        }
        let level = self.flow_level;
        self.remove_simple_key()?;
        if matches!(kind, TokenKind::FlowSequenceEnd) {
            let pos = self.r.pos;
            self.end_implicit_mapping(pos, level);
            self.implicit_states.pop();
        }
        self.flow_mapping_started.pop();
        if self.flow_level > 0 {
            self.flow_level -= 1;
            self.simple_keys.pop();
        }
        self.simple_key_allowed = false;
        let start = self.r.pos;
        self.r.skip_ascii(1);
        let end = self.r.pos;
        let index = self.tokens.len();
        self.skip_ws_to_eol(true)?;
        if self.flow_level > 0 {
            self.adjacent_value_allowed_at = self.r.pos;
        }
        self.insert(index, Token { start, end, kind });
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> ScanResult {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let pos = self.r.pos;
        self.end_implicit_mapping(pos, self.flow_level);
        if self.current_flow_is_sequence() {
            self.set_flow_mapping_started(false);
        }
        let start = self.r.pos;
        self.r.skip_ascii(1);
        let end = self.r.pos;
        let index = self.tokens.len();
        self.skip_ws_to_eol(true)?;
        self.insert(
            index,
            Token {
                start,
                end,
                kind: TokenKind::FlowEntry,
            },
        );
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> ScanResult {
        if self.flow_level > 0 {
            return Err(self.error("a block sequence entry (`- `) inside a flow collection"));
        }
        if !self.simple_key_allowed {
            return Err(self.error("a block sequence entry (`- `) is not allowed here"));
        }
        let mark = self.r.mark();
        self.r.skip_ascii(1);
        self.roll_indent(mark.col, None, TokenKind::BlockSequenceStart, mark)?;
        let index = self.tokens.len();
        let found_tabs = self.skip_ws_to_eol(true)?;
        if found_tabs && self.r.peek() == b'-' && is_blankz(self.r.at(1)) {
            return Err(self.error("tabs cannot separate nested block sequence entries"));
        }
        self.skip_ws_to_eol(false)?;
        if is_break(self.r.peek()) || is_flow(self.r.peek()) {
            self.roll_one_col_indent();
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let pos = self.r.pos;
        self.insert(
            index,
            Token {
                start: pos,
                end: pos,
                kind: TokenKind::BlockEntry,
            },
        );
        Ok(())
    }

    fn fetch_key(&mut self) -> ScanResult {
        let start = self.r.mark();
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(self.error("a mapping key (`? `) is not allowed here"));
            }
            self.roll_indent(start.col, None, TokenKind::BlockMappingStart, start)?;
        } else {
            self.set_flow_mapping_started(true);
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        self.r.skip_ascii(1);
        let end = self.r.pos;
        let index = self.tokens.len();
        self.explicit_key_tab_check_pending = false;
        if self.flow_level == 0 {
            self.explicit_key_tab_check_pending = self.skip_yaml_whitespace()?;
        }
        self.insert(
            index,
            Token {
                start: start.pos,
                end,
                kind: TokenKind::Key,
            },
        );
        Ok(())
    }

    fn fetch_flow_value(&mut self) -> ScanResult {
        let nc = self.r.at(1);
        if self.r.pos != self.adjacent_value_allowed_at && (nc == b'[' || nc == b'{') {
            return Err(self.error("a flow collection right after `:` needs a space before it"));
        }
        self.fetch_value()
    }

    fn fetch_value(&mut self) -> ScanResult {
        let sk = *self
            .simple_keys
            .last()
            .expect("a simple key slot per level");
        let start = self.r.mark();
        let implicit_flow = self.current_flow_is_sequence()
            && !self.flow_mapping_started.last().copied().unwrap_or(false)
            && !self.implicit_states.is_empty();
        if implicit_flow {
            *self.implicit_states.last_mut().expect("non-empty") =
                Implicit::Inside(self.flow_level);
        }
        self.r.skip_ascii(1);
        let mut found_tabs = false;
        if is_blank(self.r.peek()) {
            found_tabs = self.skip_ws_to_eol(true)?;
        }
        if sk.possible {
            let block_indent = self.flow_block_indent();
            if self.flow_level > 0
                && sk.mark.line < start.line
                && (sk.mark.col as isize) <= block_indent
            {
                return Err(invalid_colon(start));
            }
            let index = sk
                .token_number
                .checked_sub(self.tokens_parsed)
                .filter(|i| *i <= self.tokens.len())
                .ok_or_else(|| ScanError::new(start.pos, "invalid implicit key"))?;
            self.validate_flow_key_indentation(&sk, index, start)?;
            self.insert(
                index,
                Token {
                    start: sk.mark.pos,
                    end: sk.mark.pos,
                    kind: TokenKind::Key,
                },
            );
            if implicit_flow {
                if sk.mark.line < start.line {
                    return Err(invalid_colon(start));
                }
                self.insert(
                    index,
                    Token {
                        start: sk.mark.pos,
                        end: sk.mark.pos,
                        kind: TokenKind::FlowMappingStart,
                    },
                );
            }
            self.roll_indent(
                sk.mark.col,
                Some(sk.token_number),
                TokenKind::BlockMappingStart,
                sk.mark,
            )?;
            self.roll_one_col_indent();
            self.clear_simple_key();
            self.simple_key_allowed = false;
        } else {
            if implicit_flow {
                self.push(start.pos, start.pos, TokenKind::FlowMappingStart);
            }
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    return Err(ScanError::new(
                        start.pos,
                        "a mapping value (`: `) is not allowed here",
                    ));
                }
                self.roll_indent(start.col, None, TokenKind::BlockMappingStart, start)?;
            }
            self.roll_one_col_indent();
            self.simple_key_allowed = self.flow_level == 0 && !found_tabs;
        }
        self.push(start.pos, start.pos, TokenKind::Value);
        Ok(())
    }

    fn validate_flow_key_indentation(
        &self,
        key: &SimpleKey,
        index: usize,
        colon: Mark,
    ) -> ScanResult {
        if self.flow_level == 0 || key.mark.line == colon.line {
            return Ok(());
        }
        let block_indent = self.flow_block_indent();
        let mut under = [key.mark.col, colon.col]
            .iter()
            .any(|&c| (c as isize) <= block_indent);
        for token in self.tokens.iter().skip(index) {
            let col = column_of(self.r.bytes, token.start);
            under |= (col as isize) <= block_indent;
            if !matches!(token.kind, TokenKind::Anchor(_) | TokenKind::Tag(..)) {
                break;
            }
        }
        if under {
            return Err(invalid_colon(colon));
        }
        Ok(())
    }

    fn flow_block_indent(&self) -> isize {
        self.indents
            .last()
            .filter(|i| !i.needs_block_end)
            .map_or(self.indent, |i| i.indent)
    }

    fn roll_indent(
        &mut self,
        col: usize,
        number: Option<usize>,
        kind: TokenKind<'a>,
        mark: Mark,
    ) -> ScanResult {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent <= col as isize {
            if let Some(last) = self.indents.last() {
                if !last.needs_block_end {
                    self.indent = last.indent;
                    self.indents.pop();
                }
            }
        }
        if self.indent < col as isize {
            if self.block_level >= self.max_nesting {
                return Err(ScanError::new(
                    mark.pos,
                    "the block collections are nested too deeply",
                ));
            }
            self.indents.push(Indent {
                indent: self.indent,
                needs_block_end: true,
            });
            self.block_level += 1;
            self.indent = col as isize;
            let token = Token {
                start: mark.pos,
                end: mark.pos,
                kind,
            };
            match number {
                Some(n) => self.insert(n - self.tokens_parsed, token),
                None => self.tokens.push_back(token),
            }
        }
        Ok(())
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn unroll_indent(&mut self, col: isize) {
        if self.flow_level == 0 && self.indent > col {
            self.unroll_indent_slow(col);
        }
    }

    #[inline(never)]
    fn unroll_indent_slow(&mut self, col: isize) {
        while self.indent > col {
            let Some(indent) = self.indents.pop() else {
                break;
            };
            self.indent = indent.indent;
            if indent.needs_block_end {
                self.block_level -= 1;
                let pos = self.r.pos;
                self.push(pos, pos, TokenKind::BlockEnd);
            }
        }
    }

    fn roll_one_col_indent(&mut self) {
        if self.flow_level == 0 && self.indents.last().is_some_and(|i| i.needs_block_end) {
            self.indents.push(Indent {
                indent: self.indent,
                needs_block_end: false,
            });
            self.indent += 1;
        }
    }

    pub(super) fn unroll_non_block_indents(&mut self) {
        while let Some(last) = self.indents.last() {
            if last.needs_block_end {
                break;
            }
            self.indent = last.indent;
            self.indents.pop();
        }
    }

    #[inline]
    pub(super) fn save_simple_key(&mut self) {
        if self.simple_key_allowed {
            let mark = self.r.mark();
            let required = self.flow_level == 0
                && self.indent == mark.col as isize
                && self.indents.last().is_some_and(|i| i.needs_block_end);
            let token_number = self.tokens_parsed + self.tokens.len();
            if let Some(last) = self.simple_keys.last_mut() {
                *last = SimpleKey {
                    mark,
                    possible: true,
                    required,
                    token_number,
                };
                self.first_simple_key.get_or_insert(self.flow_level);
            }
        }
    }

    fn remove_simple_key(&mut self) -> ScanResult {
        let last = self
            .simple_keys
            .last()
            .expect("a simple key slot per level");
        if last.possible && last.required {
            return Err(simple_key_expected(last.mark));
        }
        self.clear_simple_key();
        Ok(())
    }

    fn clear_simple_key(&mut self) {
        if let Some(last) = self.simple_keys.last_mut() {
            last.possible = false;
        }
        if self.first_simple_key == Some(self.flow_level) {
            self.first_simple_key = None;
        }
    }

    pub(super) fn allow_simple_key(&mut self) {
        self.simple_key_allowed = true;
    }

    pub(super) fn disallow_simple_key(&mut self) {
        self.simple_key_allowed = false;
    }

    fn end_implicit_mapping(&mut self, pos: usize, level: usize) {
        if self.implicit_states.last() == Some(&Implicit::Inside(level)) {
            *self.implicit_states.last_mut().expect("non-empty") = Implicit::Possible;
            self.set_flow_mapping_started(false);
            self.push(pos, pos, TokenKind::FlowMappingEnd);
        }
    }

    fn current_flow_is_sequence(&self) -> bool {
        self.flow_markers.last().is_some_and(|(_, b)| *b == b'[')
    }

    fn set_flow_mapping_started(&mut self, started: bool) {
        if let Some(last) = self.flow_mapping_started.last_mut() {
            *last = started;
        }
    }

    /// Skips to the next document after an error: to the first `---` or `...` already queued,
    /// or else to the next line starting with one. The scanner starts afresh there.
    pub fn recover(&mut self, pending: Option<Token<'a>>) {
        let pos = self.r.pos;
        let line = self.r.line;
        let at_line_end = self.r.is_end() || is_break(self.r.peek());
        let boundary = pending
            .into_iter()
            .chain(self.tokens.drain(..))
            .find(|t| match t.kind {
                TokenKind::DocumentStart => true,
                TokenKind::DocumentEnd => {
                    line > line_of(self.r.bytes, t.end, pos, line) || at_line_end
                }
                TokenKind::StreamEnd => true,
                _ => false,
            });
        self.reset();
        if let Some(token) = boundary {
            self.queue_boundary(token);
            return;
        }
        loop {
            if self.r.is_end() {
                let pos = self.r.pos;
                self.queue_boundary(Token {
                    start: pos,
                    end: pos,
                    kind: TokenKind::StreamEnd,
                });
                return;
            }
            if self.r.col() == 0 {
                if self.r.is_bom() {
                    self.r.skip_bom();
                    continue;
                }
                let start = self.r.is_document_start();
                if start || self.r.is_document_end() {
                    let from = self.r.pos;
                    self.r.skip_ascii(3);
                    let separated = self.r.is_end()
                        || super::reader::is_blankz(self.r.peek()) && self.r.peek() != 0;
                    let token = Token {
                        start: from,
                        end: self.r.pos,
                        kind: if start {
                            TokenKind::DocumentStart
                        } else {
                            TokenKind::DocumentEnd
                        },
                    };
                    if start && separated {
                        self.queue_boundary(token);
                        return;
                    }
                    if !start && separated && self.skip_recovery_end_line() {
                        self.queue_boundary(token);
                        return;
                    }
                }
            }
            if is_break(self.r.peek()) {
                self.r.skip_break();
            } else if !self.r.is_end() {
                self.r.skip_char();
            }
        }
    }

    fn skip_recovery_end_line(&mut self) -> bool {
        let mut comment = false;
        loop {
            if self.r.is_end() || is_break(self.r.peek()) {
                return true;
            }
            let c = self.r.peek();
            if !self.r.printable() {
                return false;
            }
            if comment || is_blank(c) {
                self.r.skip_char();
            } else if c == b'#' {
                comment = true;
                self.r.skip_char();
            } else {
                return false;
            }
        }
    }

    fn reset(&mut self) {
        self.tokens.clear();
        self.stream_start_produced = true;
        self.stream_end_produced = false;
        self.document_prefix_allowed = true;
        self.in_directive_prefix = false;
        self.adjacent_value_allowed_at = 0;
        self.simple_key_allowed = true;
        self.simple_keys.clear();
        let mark = self.r.mark();
        self.simple_keys.push(SimpleKey {
            mark,
            ..SimpleKey::default()
        });
        self.first_simple_key = None;
        self.indent = -1;
        self.indents.clear();
        self.flow_level = 0;
        self.block_level = 0;
        self.tokens_parsed = 0;
        self.token_available = false;
        self.r.leading_ws = mark.col == 0;
        self.flow_mapping_started.clear();
        self.implicit_states.clear();
        self.flow_markers.clear();
        self.interrupted_plain_by_comment = None;
        self.explicit_key_tab_check_pending = false;
    }

    fn queue_boundary(&mut self, token: Token<'a>) {
        self.document_prefix_allowed = matches!(token.kind, TokenKind::DocumentEnd);
        self.simple_key_allowed = false;
        self.tokens.push_back(token);
        self.token_available = true;
    }
}

/// The column of byte `pos` (characters since the line start).
fn column_of(bytes: &[u8], pos: usize) -> usize {
    let line_start = bytes[..pos]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    super::reader::count_chars(&bytes[line_start..pos])
}

/// The line of byte `at`, knowing that byte `pos` (at or after it) is on line `line`.
fn line_of(bytes: &[u8], at: usize, pos: usize, line: usize) -> usize {
    let breaks = (at.min(pos)..pos)
        .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    line.saturating_sub(breaks)
}

fn simple_key_expected(mark: Mark) -> ScanError {
    ScanError::new(
        mark.pos,
        "could not find the expected `:` of this mapping key (or the line is indented wrongly)",
    )
}

fn unclosed(mark: Mark, bracket: u8) -> ScanError {
    ScanError::new(
        mark.pos,
        format!("this `{}` is never closed", bracket as char),
    )
}

fn invalid_colon(mark: Mark) -> ScanError {
    ScanError::new(
        mark.pos,
        "the `:` of a multi-line implicit key in a flow collection",
    )
}
