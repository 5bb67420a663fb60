//! A YAML 1.2 reader of our own: a token scanner and an event parser, built for the YAML that
//! Kubernetes manifests use but reading the whole syntax.
//!
//! The design is the classic one of libyaml (and of the `granit-parser` crate it replaced, whose
//! events and byte ranges it reproduces exactly, checked by the differential tests):
//!
//! - [`reader`]: the cursor (byte offset, line, column) and YAML's character classes;
//! - [`tokens`]: the scanner, turning text into tokens (indentation, simple keys, flow levels);
//! - [`scalars`]: scanning plain, quoted and block scalars into their values;
//! - [`props`]: anchors, aliases, tags and directives;
//! - [`events`]: the parser, a state machine turning tokens into events for the tree builder.
//!
//! Scalar values borrow the input when no folding or escape changes them. Nothing recurses:
//! nesting lives in explicit stacks, capped by the caller's limit. The few hot functions that
//! are `inline(always)` natively are left to the compiler on wasm, where size matters more.

pub mod events;
mod props;
mod reader;
mod scalars;
mod tokens;

use std::borrow::Cow;

pub use events::{Event, Parser};

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// Something the input does wrong, at a byte offset (boxed: results stay one word wide on the
/// hot path, where errors never happen).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanError(Box<(usize, String)>);

impl ScanError {
    #[cold]
    pub fn new(pos: usize, message: impl Into<String>) -> Self {
        Self(Box::new((pos, message.into())))
    }

    /// The byte offset.
    pub fn pos(&self) -> usize {
        self.0 .0
    }

    pub fn message(&self) -> &str {
        &self.0 .1
    }
}

pub type ScanResult<T = ()> = Result<T, ScanError>;

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind<'a> {
    StreamStart,
    StreamEnd,
    VersionDirective(u32, u32),
    TagDirective(Cow<'a, str>, Cow<'a, str>),
    ReservedDirective,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias(&'a str),
    Anchor(&'a str),
    /// A tag's handle (`!`, `!!`, `!e!`, or empty for a verbatim tag) and suffix (boxed:
    /// tags are rare, and a small token is cheaper to queue).
    Tag(Box<(Cow<'a, str>, Cow<'a, str>)>),
    Scalar(Style, Cow<'a, str>),
}

/// A token and its byte range.
#[derive(Clone, Debug, PartialEq)]
pub struct Token<'a> {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind<'a>,
}
