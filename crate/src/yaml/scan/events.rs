//! The parser: a state machine (libyaml's) turning tokens into events, each with its byte range.
//!
//! Empty nodes (`key:`, `- `, `? k`) become empty plain scalars (`~`) positioned where the
//! node would have been, anchors get numeric ids (aliases refer to the id, so an alias inside
//! its own anchor's node is detected by the tree builder), and tags are resolved to their
//! suffix. After an error, [`Parser::proceed_next_document`] skips to the next document.

use std::borrow::Cow;
use std::collections::HashMap;

use super::tokens::Scanner;
use super::{ScanError, ScanResult, Style, TokenKind};

/// What the parser reports.
#[derive(Clone, Debug, PartialEq)]
pub enum Event<'a> {
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    /// Value, style, anchor id (0 for none), tag suffix.
    Scalar(Cow<'a, str>, Style, usize, Option<Cow<'a, str>>),
    /// The anchor id the alias refers to.
    Alias(usize),
    /// Anchor id, flow style.
    SequenceStart(usize, bool),
    SequenceEnd,
    /// Anchor id, flow style.
    MappingStart(usize, bool),
    MappingEnd,
}

/// An event and its byte range.
pub type Spanned<'a> = (Event<'a>, usize, usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockNodeOrIndentlessSequence,
    FlowNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    IndentlessSequenceEntryNode,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

pub struct Parser<'a> {
    scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    anchors: HashMap<&'a str, usize>,
    anchor_count: usize,
    /// `%TAG` handles declared for the current document.
    tag_handles: Vec<Cow<'a, str>>,
    block_level: usize,
    max_nesting: usize,
    /// Where the empty node of an indentless sequence entry goes.
    pending_empty: (usize, usize),
    last_event_end: Option<usize>,
    failed: bool,
    stream_end_emitted: bool,
    at_document_end: bool,
    /// A `StreamEnd` seen while skipping a document.
    current_is_stream_end: bool,
    deferred_error: Option<ScanError>,
}

fn empty_scalar<'a>(at: usize) -> ScanResult<Spanned<'a>> {
    Ok((
        Event::Scalar(Cow::Borrowed("~"), Style::Plain, 0, None),
        at,
        at,
    ))
}

impl<'a> Parser<'a> {
    pub fn new(text: &'a str, max_nesting: usize) -> Self {
        Self {
            scanner: Scanner::new(text, max_nesting),
            state: State::StreamStart,
            states: Vec::new(),
            anchors: HashMap::new(),
            anchor_count: 1,
            tag_handles: Vec::new(),
            block_level: 0,
            max_nesting,
            pending_empty: (0, 0),
            last_event_end: None,
            failed: false,
            stream_end_emitted: false,
            at_document_end: false,
            current_is_stream_end: false,
            deferred_error: None,
        }
    }

    /// The next event; `None` after the end of the stream or an error (see
    /// [`Self::proceed_next_document`]).
    pub fn next_event(&mut self) -> Option<ScanResult<Spanned<'a>>> {
        if self.stream_end_emitted {
            return None;
        }
        let result = self.next_event_impl();
        if matches!(result, Ok((Event::StreamEnd, _, _)) | Err(_)) {
            self.stream_end_emitted = true;
        }
        Some(result)
    }

    fn next_event_impl(&mut self) -> ScanResult<Spanned<'a>> {
        let result = match self.deferred_error.take() {
            Some(error) => Err(error),
            None => self.parse(),
        };
        match result {
            Ok(event) => {
                self.last_event_end = Some(event.2);
                if matches!(event.0, Event::DocumentStart | Event::DocumentEnd) {
                    self.at_document_end = matches!(event.0, Event::DocumentEnd);
                }
                Ok(event)
            }
            Err(error) => {
                self.failed = true;
                Err(error)
            }
        }
    }

    /// Skips the rest of the current document (after an error) and tells whether another one
    /// follows.
    pub fn proceed_next_document(&mut self) -> bool {
        if self.stream_end_emitted && !self.failed {
            return false;
        }
        if self.skip_document().is_err() {
            self.stream_end_emitted = true;
            return false;
        }
        if self.current_is_stream_end {
            return false;
        }
        loop {
            match self.scanner.peek() {
                Err(error) => {
                    self.deferred_error = Some(error);
                    return true;
                }
                Ok(token) => match token.kind {
                    TokenKind::StreamEnd => {
                        self.at_document_end = true;
                        return false;
                    }
                    TokenKind::DocumentEnd => self.scanner.skip(),
                    _ => return true,
                },
            }
        }
    }

    fn skip_document(&mut self) -> ScanResult {
        loop {
            if !self.failed {
                if self.at_document_end {
                    self.at_document_end = false;
                    return Ok(());
                }
                loop {
                    match self.next_event_impl() {
                        Ok((Event::DocumentEnd, _, _)) => {
                            self.at_document_end = false;
                            return Ok(());
                        }
                        Ok((Event::StreamEnd, _, _)) => {
                            self.current_is_stream_end = true;
                            return Ok(());
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
            }
            let failed_header = matches!(
                self.state,
                State::ImplicitDocumentStart | State::DocumentStart
            ) && self.scanner.in_directive_prefix;
            self.recover();
            if !failed_header || !matches!(self.scanner.peek()?.kind, TokenKind::DocumentStart) {
                return Ok(());
            }
        }
    }

    fn recover(&mut self) {
        self.scanner.recover(None);
        self.failed = false;
        self.at_document_end = false;
        self.stream_end_emitted = false;
        self.anchors.clear();
        self.tag_handles.clear();
        self.states.clear();
        self.state = State::ImplicitDocumentStart;
        self.block_level = 0;
        self.last_event_end = None;
        self.deferred_error = None;
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn parse(&mut self) -> ScanResult<Spanned<'a>> {
        match self.state {
            State::End => {
                let pos = self.scanner.r.pos;
                Ok((Event::StreamEnd, pos, pos))
            }
            State::StreamStart => {
                let token = self.scanner.peek()?;
                if !matches!(token.kind, TokenKind::StreamStart) {
                    return Err(ScanError::new(token.start, "did not find the stream start"));
                }
                self.scanner.skip();
                self.state = State::ImplicitDocumentStart;
                self.parse()
            }
            State::ImplicitDocumentStart => self.document_start(true),
            State::DocumentStart => self.document_start(false),
            State::DocumentContent => self.document_content(),
            State::DocumentEnd => self.document_end(),
            State::BlockNode => self.parse_node(true, false),
            State::BlockNodeOrIndentlessSequence => self.parse_node(true, true),
            State::FlowNode => self.parse_node(false, false),
            State::BlockMappingFirstKey | State::BlockMappingKey => self.block_mapping_key(),
            State::BlockMappingValue => self.block_mapping_value(),
            State::BlockSequenceFirstEntry | State::BlockSequenceEntry => {
                self.block_sequence_entry()
            }
            State::IndentlessSequenceEntry => self.indentless_sequence_entry(),
            State::IndentlessSequenceEntryNode => {
                self.scanner.peek()?;
                let mark = self.pending_empty;
                self.indentless_entry_node(mark)
            }
            State::FlowSequenceFirstEntry => self.flow_sequence_entry(true),
            State::FlowSequenceEntry => self.flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => {
                self.state = State::FlowSequenceEntry;
                let at = self.scanner.peek()?.start;
                Ok((Event::MappingEnd, at, at))
            }
            State::FlowMappingFirstKey => self.flow_mapping_key(true),
            State::FlowMappingKey => self.flow_mapping_key(false),
            State::FlowMappingValue => self.flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.flow_mapping_value(true),
        }
    }

    fn document_start(&mut self, implicit: bool) -> ScanResult<Spanned<'a>> {
        while matches!(self.scanner.peek()?.kind, TokenKind::DocumentEnd) {
            self.scanner.skip();
        }
        self.anchors.clear();
        let token = self.scanner.peek()?;
        let (start, end) = (token.start, token.end);
        match token.kind {
            TokenKind::StreamEnd => {
                self.state = State::End;
                self.scanner.skip();
                Ok((Event::StreamEnd, start, end))
            }
            TokenKind::VersionDirective(..)
            | TokenKind::TagDirective(..)
            | TokenKind::ReservedDirective
            | TokenKind::DocumentStart => self.explicit_document_start(),
            _ if implicit => {
                self.tag_handles.clear();
                self.states.push(State::DocumentEnd);
                self.state = State::BlockNode;
                Ok((Event::DocumentStart, start, end))
            }
            _ => self.explicit_document_start(),
        }
    }

    fn explicit_document_start(&mut self) -> ScanResult<Spanned<'a>> {
        self.tag_handles.clear();
        let mut version = false;
        loop {
            let token = self.scanner.peek()?;
            let start = token.start;
            match &token.kind {
                TokenKind::VersionDirective(major, _) => {
                    if version {
                        return Err(ScanError::new(start, "a duplicate %YAML directive"));
                    }
                    if *major != 1 {
                        return Err(ScanError::new(start, "an unsupported YAML major version"));
                    }
                    version = true;
                }
                TokenKind::TagDirective(handle, _) => {
                    if self.tag_handles.contains(handle) {
                        return Err(ScanError::new(start, "a duplicate %TAG directive"));
                    }
                    let handle = handle.clone();
                    self.tag_handles.push(handle);
                }
                TokenKind::ReservedDirective => {}
                _ => break,
            }
            self.scanner.skip();
        }
        let token = self.scanner.peek()?;
        if !matches!(token.kind, TokenKind::DocumentStart) {
            return Err(ScanError::new(
                token.start,
                "expected a document start (`---`)",
            ));
        }
        let (start, end) = (token.start, token.end);
        self.states.push(State::DocumentEnd);
        self.state = State::DocumentContent;
        self.scanner.skip();
        Ok((Event::DocumentStart, start, end))
    }

    fn document_content(&mut self) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        if matches!(
            token.kind,
            TokenKind::VersionDirective(..)
                | TokenKind::TagDirective(..)
                | TokenKind::ReservedDirective
                | TokenKind::DocumentStart
                | TokenKind::DocumentEnd
                | TokenKind::StreamEnd
        ) {
            let at = self.last_event_end.unwrap_or(token.start);
            self.pop_state();
            return empty_scalar(at);
        }
        self.state = State::BlockNode;
        self.parse_node(true, false)
    }

    fn document_end(&mut self) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        let explicit = matches!(token.kind, TokenKind::DocumentEnd);
        let (start, end) = if explicit {
            let span = (token.start, token.end);
            self.scanner.skip();
            span
        } else {
            let at = self.last_event_end.unwrap_or(token.start);
            (at, at)
        };
        self.tag_handles.clear();
        if explicit {
            self.state = State::ImplicitDocumentStart;
        } else {
            let token = self.scanner.peek()?;
            if matches!(
                token.kind,
                TokenKind::VersionDirective(..)
                    | TokenKind::TagDirective(..)
                    | TokenKind::ReservedDirective
            ) {
                return Err(ScanError::new(
                    token.start,
                    "a directive needs the previous document to end with `...`",
                ));
            }
            self.state = State::DocumentStart;
        }
        Ok((Event::DocumentEnd, start, end))
    }

    fn register_anchor(&mut self, name: &'a str) -> usize {
        let id = self.anchor_count;
        self.anchor_count += 1;
        self.anchors.insert(name, id);
        id
    }

    fn resolve_tag(
        &self,
        start: usize,
        handle: &str,
        suffix: Cow<'a, str>,
    ) -> ScanResult<Cow<'a, str>> {
        if handle.len() >= 2
            && handle != "!!"
            && handle.starts_with('!')
            && handle.ends_with('!')
            && !self.tag_handles.iter().any(|h| h == handle)
        {
            return Err(ScanError::new(
                start,
                format!("the tag handle `{handle}` is not declared by a %TAG directive"),
            ));
        }
        Ok(suffix)
    }

    fn start_block_collection(&mut self, at: usize) -> ScanResult {
        if self.block_level >= self.max_nesting {
            return Err(ScanError::new(
                at,
                "the block collections are nested too deeply",
            ));
        }
        self.block_level += 1;
        Ok(())
    }

    fn end_block_collection(&mut self) {
        self.block_level = self.block_level.saturating_sub(1);
    }

    fn parse_node(&mut self, block: bool, indentless: bool) -> ScanResult<Spanned<'a>> {
        let mut anchor = 0;
        let mut has_anchor = false;
        let mut tag: Option<Cow<'a, str>> = None;
        let mut property_end: Option<usize> = None;
        match self.scanner.peek()?.kind {
            TokenKind::Alias(_) => {
                self.pop_state();
                let token = self.scanner.take();
                let TokenKind::Alias(name) = token.kind else {
                    unreachable!("peeked an alias")
                };
                return match self.anchors.get(name) {
                    Some(&id) => Ok((Event::Alias(id), token.start, token.end)),
                    None => Err(ScanError::new(
                        token.start,
                        format!("unknown anchor `{name}`"),
                    )),
                };
            }
            TokenKind::Anchor(_) => {
                let token = self.scanner.take();
                let TokenKind::Anchor(name) = token.kind else {
                    unreachable!("peeked an anchor")
                };
                anchor = self.register_anchor(name);
                has_anchor = true;
                property_end = Some(token.end);
                if matches!(self.scanner.peek()?.kind, TokenKind::Tag(..)) {
                    let token = self.scanner.take();
                    let TokenKind::Tag(tag_box) = token.kind else {
                        unreachable!("peeked a tag")
                    };
                    let (handle, suffix) = *tag_box;
                    tag = Some(self.resolve_tag(token.start, &handle, suffix)?);
                    property_end = Some(token.end);
                }
            }
            TokenKind::Tag(..) => {
                let token = self.scanner.take();
                let TokenKind::Tag(tag_box) = token.kind else {
                    unreachable!("peeked a tag")
                };
                let (handle, suffix) = *tag_box;
                property_end = Some(token.end);
                tag = Some(self.resolve_tag(token.start, &handle, suffix)?);
                if matches!(self.scanner.peek()?.kind, TokenKind::Anchor(_)) {
                    let token = self.scanner.take();
                    let TokenKind::Anchor(name) = token.kind else {
                        unreachable!("peeked an anchor")
                    };
                    anchor = self.register_anchor(name);
                    has_anchor = true;
                    property_end = Some(token.end);
                }
            }
            _ => {}
        }
        let token = self.scanner.peek()?;
        let (start, end) = (token.start, token.end);
        match token.kind {
            TokenKind::BlockEntry if indentless => {
                self.start_block_collection(start)?;
                self.scanner.skip();
                self.pending_empty = (start, end);
                self.state = State::IndentlessSequenceEntryNode;
                Ok((Event::SequenceStart(anchor, false), start, end))
            }
            TokenKind::Scalar(..) => {
                self.pop_state();
                let token = self.scanner.take();
                let TokenKind::Scalar(style, value) = token.kind else {
                    unreachable!("peeked a scalar")
                };
                Ok((Event::Scalar(value, style, anchor, tag), start, end))
            }
            TokenKind::FlowSequenceStart => {
                self.state = State::FlowSequenceFirstEntry;
                self.scanner.skip();
                Ok((Event::SequenceStart(anchor, true), start, end))
            }
            TokenKind::FlowMappingStart => {
                self.state = State::FlowMappingFirstKey;
                self.scanner.skip();
                Ok((Event::MappingStart(anchor, true), start, end))
            }
            TokenKind::BlockSequenceStart if block => {
                self.start_block_collection(start)?;
                self.state = State::BlockSequenceFirstEntry;
                self.scanner.skip();
                Ok((Event::SequenceStart(anchor, false), start, end))
            }
            TokenKind::BlockMappingStart if block => {
                self.start_block_collection(start)?;
                self.state = State::BlockMappingFirstKey;
                self.scanner.skip();
                Ok((Event::MappingStart(anchor, false), start, end))
            }
            _ if tag.is_some() || has_anchor => {
                self.pop_state();
                let at = property_end.unwrap_or(start);
                let value = if tag.is_some() {
                    Cow::Borrowed("")
                } else {
                    Cow::Borrowed("~")
                };
                Ok((Event::Scalar(value, Style::Plain, anchor, tag), at, at))
            }
            _ => Err(ScanError::new(start, self.unexpected_message())),
        }
    }

    fn unexpected_message(&self) -> &'static str {
        match self.state {
            State::FlowSequenceFirstEntry | State::FlowSequenceEntry => {
                "did not find the expected node content in a flow sequence"
            }
            State::FlowMappingFirstKey
            | State::FlowMappingKey
            | State::FlowMappingValue
            | State::FlowMappingEmptyValue => {
                "did not find the expected node content in a flow mapping"
            }
            State::FlowSequenceEntryMappingKey
            | State::FlowSequenceEntryMappingValue
            | State::FlowSequenceEntryMappingEnd
            | State::FlowNode => "did not find the expected node content in a flow collection",
            State::BlockSequenceFirstEntry | State::BlockSequenceEntry | State::BlockNode => {
                "did not find the expected node content (a block sequence entry?)"
            }
            State::BlockMappingFirstKey
            | State::BlockMappingKey
            | State::BlockMappingValue
            | State::BlockNodeOrIndentlessSequence => {
                "did not find the expected node content (a mapping value?)"
            }
            _ => "did not find the expected node content",
        }
    }

    /// Parses the node and comes back to `return_state`.
    fn defer(
        &mut self,
        node_state: State,
        return_state: State,
        block: bool,
        indentless: bool,
    ) -> ScanResult<Spanned<'a>> {
        self.states.push(return_state);
        self.state = node_state;
        self.parse_node(block, indentless)
    }

    fn block_mapping_key(&mut self) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        let (start, end) = (token.start, token.end);
        match token.kind {
            TokenKind::Key => {
                self.scanner.skip();
                let token = self.scanner.peek()?;
                if matches!(
                    token.kind,
                    TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
                ) {
                    let at = token.start;
                    self.state = State::BlockMappingValue;
                    return empty_scalar(at);
                }
                self.defer(
                    State::BlockNodeOrIndentlessSequence,
                    State::BlockMappingValue,
                    true,
                    true,
                )
            }
            TokenKind::Value => {
                self.state = State::BlockMappingValue;
                empty_scalar(start)
            }
            TokenKind::BlockEnd => {
                self.end_block_collection();
                self.pop_state();
                self.scanner.skip();
                Ok((Event::MappingEnd, start, end))
            }
            _ => Err(ScanError::new(
                start,
                "did not find the expected mapping key (is this line indented wrongly?)",
            )),
        }
    }

    fn block_mapping_value(&mut self) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        let start = token.start;
        if matches!(token.kind, TokenKind::Value) {
            let mark = (token.start, token.end);
            self.scanner.skip();
            let token = self.scanner.peek()?;
            if matches!(
                token.kind,
                TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
            ) {
                self.state = State::BlockMappingKey;
                return Ok((
                    Event::Scalar(Cow::Borrowed("~"), Style::Plain, 0, None),
                    mark.0,
                    mark.1,
                ));
            }
            return self.defer(
                State::BlockNodeOrIndentlessSequence,
                State::BlockMappingKey,
                true,
                true,
            );
        }
        self.state = State::BlockMappingKey;
        empty_scalar(start)
    }

    fn block_sequence_entry(&mut self) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        let (start, end) = (token.start, token.end);
        match token.kind {
            TokenKind::BlockEnd => {
                self.end_block_collection();
                self.pop_state();
                self.scanner.skip();
                Ok((Event::SequenceEnd, start, end))
            }
            TokenKind::BlockEntry => {
                self.scanner.skip();
                if matches!(
                    self.scanner.peek()?.kind,
                    TokenKind::BlockEntry | TokenKind::BlockEnd
                ) {
                    self.state = State::BlockSequenceEntry;
                    return Ok((
                        Event::Scalar(Cow::Borrowed("~"), Style::Plain, 0, None),
                        start,
                        end,
                    ));
                }
                self.defer(State::BlockNode, State::BlockSequenceEntry, true, false)
            }
            _ => Err(ScanError::new(
                start,
                "did not find the expected `- ` of a block sequence entry",
            )),
        }
    }

    fn indentless_sequence_entry(&mut self) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        let (start, end) = (token.start, token.end);
        if matches!(token.kind, TokenKind::BlockEntry) {
            self.scanner.skip();
            return self.indentless_entry_node((start, end));
        }
        self.end_block_collection();
        self.pop_state();
        Ok((Event::SequenceEnd, start, start))
    }

    fn indentless_entry_node(&mut self, mark: (usize, usize)) -> ScanResult<Spanned<'a>> {
        if matches!(
            self.scanner.peek()?.kind,
            TokenKind::BlockEntry | TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
        ) {
            self.state = State::IndentlessSequenceEntry;
            return Ok((
                Event::Scalar(Cow::Borrowed("~"), Style::Plain, 0, None),
                mark.0,
                mark.1,
            ));
        }
        self.defer(
            State::BlockNode,
            State::IndentlessSequenceEntry,
            true,
            false,
        )
    }

    fn flow_sequence_entry(&mut self, first: bool) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        let (start, end) = (token.start, token.end);
        match token.kind {
            TokenKind::FlowSequenceEnd => {
                self.pop_state();
                self.scanner.skip();
                return Ok((Event::SequenceEnd, start, end));
            }
            TokenKind::FlowEntry if !first => self.scanner.skip(),
            _ if !first => {
                return Err(ScanError::new(
                    start,
                    "did not find the expected `,` or `]` of a flow sequence",
                ))
            }
            _ => {}
        }
        let token = self.scanner.peek()?;
        let (start, end) = (token.start, token.end);
        match token.kind {
            TokenKind::FlowSequenceEnd => {
                self.pop_state();
                self.scanner.skip();
                Ok((Event::SequenceEnd, start, end))
            }
            TokenKind::Key => {
                self.state = State::FlowSequenceEntryMappingKey;
                self.scanner.skip();
                Ok((Event::MappingStart(0, true), start, end))
            }
            _ => self.defer(State::FlowNode, State::FlowSequenceEntry, false, false),
        }
    }

    fn flow_sequence_entry_mapping_key(&mut self) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        if matches!(
            token.kind,
            TokenKind::FlowEntry | TokenKind::FlowSequenceEnd
        ) {
            let at = token.start;
            self.state = State::FlowSequenceEntryMappingValue;
            return empty_scalar(at);
        }
        self.defer(
            State::FlowNode,
            State::FlowSequenceEntryMappingValue,
            false,
            false,
        )
    }

    fn flow_sequence_entry_mapping_value(&mut self) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        if matches!(token.kind, TokenKind::Value) {
            self.scanner.skip();
            let token = self.scanner.peek()?;
            if matches!(
                token.kind,
                TokenKind::FlowEntry | TokenKind::FlowSequenceEnd
            ) {
                let at = token.start;
                self.state = State::FlowSequenceEntryMappingEnd;
                return empty_scalar(at);
            }
            return self.defer(
                State::FlowNode,
                State::FlowSequenceEntryMappingEnd,
                false,
                false,
            );
        }
        let at = token.start;
        self.state = State::FlowSequenceEntryMappingEnd;
        empty_scalar(at)
    }

    fn flow_mapping_key(&mut self, first: bool) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        if !matches!(token.kind, TokenKind::FlowMappingEnd) {
            if !first {
                if matches!(token.kind, TokenKind::FlowEntry) {
                    self.scanner.skip();
                } else {
                    return Err(ScanError::new(
                        token.start,
                        "did not find the expected `,` or `}` of a flow mapping",
                    ));
                }
            }
            let token = self.scanner.peek()?;
            match token.kind {
                TokenKind::Key => {
                    self.scanner.skip();
                    let token = self.scanner.peek()?;
                    if matches!(
                        token.kind,
                        TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowMappingEnd
                    ) {
                        let at = token.start;
                        self.state = State::FlowMappingValue;
                        return empty_scalar(at);
                    }
                    return self.defer(State::FlowNode, State::FlowMappingValue, false, false);
                }
                TokenKind::Value => {
                    let at = token.start;
                    self.state = State::FlowMappingValue;
                    return empty_scalar(at);
                }
                TokenKind::FlowMappingEnd => {}
                _ => {
                    return self.defer(State::FlowNode, State::FlowMappingEmptyValue, false, false)
                }
            }
        }
        let token = self.scanner.peek()?;
        let (start, end) = (token.start, token.end);
        self.pop_state();
        self.scanner.skip();
        Ok((Event::MappingEnd, start, end))
    }

    fn flow_mapping_value(&mut self, empty: bool) -> ScanResult<Spanned<'a>> {
        let token = self.scanner.peek()?;
        let (start, end) = (token.start, token.end);
        if empty {
            self.state = State::FlowMappingKey;
            return empty_scalar(start);
        }
        if matches!(token.kind, TokenKind::Value) {
            self.scanner.skip();
            if matches!(
                self.scanner.peek()?.kind,
                TokenKind::FlowEntry | TokenKind::FlowMappingEnd
            ) {
                self.state = State::FlowMappingKey;
                return Ok((
                    Event::Scalar(Cow::Borrowed("~"), Style::Plain, 0, None),
                    start,
                    end,
                ));
            }
            return self.defer(State::FlowNode, State::FlowMappingKey, false, false);
        }
        self.state = State::FlowMappingKey;
        empty_scalar(start)
    }
}
