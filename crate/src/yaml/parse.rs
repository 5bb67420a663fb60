//! Builds the [`YamlFile`] tree from the events of our YAML parser ([`super::scan`]).
//!
//! The builder is iterative (an explicit stack), so deep input cannot overflow the call stack;
//! the parser itself rejects nesting deeper than [`MAX_NESTING`]. Aliases are expanded by
//! copying the anchored node, and the number of nodes copied per file is capped by
//! [`MAX_ALIAS_NODES`], so an alias bomb is an error rather than a hang.

use std::collections::HashMap;

use compact_str::CompactString;

use crate::source::TextRange;
use crate::yaml::scan::{Event, Parser, ScanError, Style};
use crate::yaml::tree::{
    Comment, Document, Entry, Mapping, Node, Scalar, ScalarStyle, Sequence, Value, YamlError,
    YamlFile,
};

/// Deepest block or flow nesting accepted.
pub const MAX_NESTING: usize = 200;
/// Most nodes that aliases and merge keys may copy in one file.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Parses a (multi-document) YAML stream. Never fails: a document that cannot be parsed becomes
/// an entry in [`YamlFile::errors`] and parsing resumes at the next document.
pub fn parse(text: &str) -> YamlFile {
    let mut parser = Parser::new(text, MAX_NESTING);
    let mut builder = Builder::new();
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, start, end))) => {
                if let Err(error) = builder.event(event, TextRange::new(start, end)) {
                    builder.fail_document(error);
                    if !parser.proceed_next_document() {
                        break;
                    }
                }
            }
            Some(Err(error)) => {
                builder.fail_document(scan_error(text, &error));
                if !parser.proceed_next_document() {
                    break;
                }
            }
        }
    }
    builder.into_file(text)
}

fn scan_error(text: &str, error: &ScanError) -> YamlError {
    YamlError::at(text, error.pos(), error.message().to_owned())
}

/// A collection being built. Its entries or items so far sit at the top of the builder's
/// shared `entries` / `items` stacks, from index `from`: nested collections close before
/// their parent gets its next child, so each one's children are contiguous. On close they move
/// into an exactly sized boxed slice (one allocation per collection, no regrowth).
enum Open {
    Mapping {
        start: usize,
        anchor: usize,
        flow: bool,
        from: usize,
        pending_key: Option<Node>,
    },
    Sequence {
        start: usize,
        anchor: usize,
        flow: bool,
        from: usize,
    },
}

/// Turns events into the tree; shared with the differential tests' granit-fed oracle.
pub struct Builder {
    file: YamlFile,
    stack: Vec<Open>,
    /// Entries of the open mappings (see [`Open`]).
    entries: Vec<Entry>,
    /// Items of the open sequences (see [`Open`]).
    items: Vec<Node>,
    anchors: HashMap<usize, Node>,
    alias_budget: usize,
    doc_start: Option<usize>,
    doc_root: Option<Node>,
    doc_failed: bool,
    /// Ranges of quoted and block scalars, where `#` is content, not a comment.
    content_ranges: Vec<TextRange>,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    pub fn new() -> Self {
        Self {
            file: YamlFile::default(),
            stack: Vec::new(),
            entries: Vec::new(),
            items: Vec::new(),
            anchors: HashMap::new(),
            alias_budget: MAX_ALIAS_NODES,
            doc_start: None,
            doc_root: None,
            doc_failed: false,
            content_ranges: Vec::new(),
        }
    }

    pub fn event(&mut self, event: Event<'_>, range: TextRange) -> Result<(), YamlError> {
        match event {
            Event::StreamEnd => {}
            Event::DocumentStart => {
                self.stack.clear();
                self.entries.clear();
                self.items.clear();
                self.anchors.clear();
                self.doc_start = Some(range.start());
                self.doc_root = None;
                self.doc_failed = false;
            }
            Event::DocumentEnd => self.end_document(range.end()),
            Event::Scalar(text, style, anchor, tag) => {
                if style != Style::Plain {
                    // A block scalar's range starts at its body, after the indicator line.
                    self.content_ranges.push(range);
                }
                let node = Node {
                    range,
                    value: Value::Scalar(Scalar {
                        text: CompactString::from(text.as_ref()),
                        style: style_of(style),
                        tag: tag.map(|t| t.as_ref().into()),
                    }),
                    via_alias: false,
                };
                self.remember(anchor, &node);
                self.push_node(node);
            }
            Event::Alias(id) => {
                let node = self.expand_alias(id, range)?;
                self.push_node(node);
            }
            Event::SequenceStart(anchor, flow) => self.stack.push(Open::Sequence {
                start: range.start(),
                anchor,
                flow,
                from: self.items.len(),
            }),
            Event::MappingStart(anchor, flow) => self.stack.push(Open::Mapping {
                start: range.start(),
                anchor,
                flow,
                from: self.entries.len(),
                pending_key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else {
                    return Ok(());
                };
                let node = self.close(open, range)?;
                self.push_node(node);
            }
        }
        Ok(())
    }

    fn close(&mut self, open: Open, end: TextRange) -> Result<Node, YamlError> {
        let (node, anchor) = match open {
            Open::Sequence {
                start,
                anchor,
                flow,
                from,
            } => {
                let items: Box<[Node]> = self.items.drain(from.min(self.items.len())..).collect();
                let last = items.last().map_or(start, |n| n.range.end());
                let end = if flow { end.end() } else { last };
                let node = Node {
                    range: TextRange::new(start, end.max(start)),
                    value: Value::Sequence(Sequence { items, flow }),
                    via_alias: false,
                };
                (node, anchor)
            }
            Open::Mapping {
                start,
                anchor,
                flow,
                from,
                pending_key,
            } => {
                if let Some(key) = pending_key {
                    let at = key.range.end();
                    self.entries.push(Entry {
                        key,
                        value: null_at(at),
                    });
                }
                let entries: Box<[Entry]> =
                    self.entries.drain(from.min(self.entries.len())..).collect();
                let last = entries
                    .last()
                    .map_or(start, |e| e.value.range.end().max(e.key.range.end()));
                let end = if flow { end.end() } else { last };
                let merged = self.merged_entries(&entries)?.into();
                let node = Node {
                    range: TextRange::new(start, end.max(start)),
                    value: Value::Mapping(Mapping {
                        entries,
                        merged,
                        flow,
                    }),
                    via_alias: false,
                };
                (node, anchor)
            }
        };
        self.remember(anchor, &node);
        Ok(node)
    }

    /// Entries brought in by `<<: *anchor` (or a list of anchors) that the mapping lacks.
    fn merged_entries(&mut self, entries: &[Entry]) -> Result<Vec<Entry>, YamlError> {
        let mut merged: Vec<Entry> = Vec::new();
        for entry in entries {
            let is_merge = entry
                .key
                .as_scalar()
                .is_some_and(|k| k.is_plain() && k.text == "<<");
            if !is_merge {
                continue;
            }
            let sources: Vec<&Node> = match &entry.value.value {
                Value::Mapping(_) => vec![&entry.value],
                Value::Sequence(s) => s.items.iter().collect(),
                Value::Scalar(_) => Vec::new(),
            };
            for source in sources {
                for candidate in source.entries() {
                    let Some(key) = candidate.key.as_scalar() else {
                        continue;
                    };
                    let present = entries
                        .iter()
                        .chain(merged.iter())
                        .any(|e| e.key.as_scalar().is_some_and(|k| k.text == key.text));
                    if !present {
                        let cost = count(&candidate.key) + count(&candidate.value);
                        self.spend(cost, candidate.key.range)?;
                        let mut copy = candidate.clone();
                        mark_alias(&mut copy.key);
                        mark_alias(&mut copy.value);
                        merged.push(copy);
                    }
                }
            }
        }
        Ok(merged)
    }

    fn spend(&mut self, cost: usize, at: TextRange) -> Result<(), YamlError> {
        self.alias_budget = self
            .alias_budget
            .checked_sub(cost)
            .ok_or_else(|| YamlError {
                range: at,
                message: format!(
                    "aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); \
                 this document is not analysed"
                ),
            })?;
        Ok(())
    }

    fn expand_alias(&mut self, id: usize, range: TextRange) -> Result<Node, YamlError> {
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(YamlError {
                range,
                message: "alias to an anchor that is not defined before it".into(),
            });
        };
        let cost = count(anchored);
        let mut node = anchored.clone();
        self.spend(cost, range)?;
        mark_alias(&mut node);
        Ok(node)
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }

    fn push_node(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.doc_root = Some(node),
            Some(Open::Sequence { .. }) => self.items.push(node),
            Some(Open::Mapping { pending_key, .. }) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => self.entries.push(Entry { key, value: node }),
            },
        }
    }

    fn end_document(&mut self, end: usize) {
        let start = self.doc_start.take().unwrap_or(end);
        let root = self.doc_root.take();
        let range = TextRange::new(start.min(end), end.max(start));
        if !self.doc_failed {
            self.file.documents.push(Document {
                index: self.file.documents.len(),
                root,
                range,
            });
        }
        self.doc_failed = false;
        self.stack.clear();
        self.entries.clear();
        self.items.clear();
        self.anchors.clear();
    }

    pub fn fail_document(&mut self, error: YamlError) {
        let start = self.doc_start.take().unwrap_or(error.range.start());
        self.file.documents.push(Document {
            index: self.file.documents.len(),
            root: None,
            range: TextRange::new(start.min(error.range.start()), error.range.end()),
        });
        self.file.errors.push(error);
        self.doc_failed = true;
        self.doc_root = None;
        self.stack.clear();
        self.entries.clear();
        self.items.clear();
        self.anchors.clear();
    }

    /// The finished file, with the comments of `text` found outside quoted and block scalars.
    pub fn into_file(self, text: &str) -> YamlFile {
        let (mut file, mut content) = (self.file, self.content_ranges);
        content.sort_by_key(|r| r.start());
        file.comments = scan_comments(text, &content);
        file
    }
}

fn style_of(style: Style) -> ScalarStyle {
    match style {
        Style::Plain => ScalarStyle::Plain,
        Style::SingleQuoted => ScalarStyle::SingleQuoted,
        Style::DoubleQuoted => ScalarStyle::DoubleQuoted,
        Style::Literal => ScalarStyle::Literal,
        Style::Folded => ScalarStyle::Folded,
    }
}

fn null_at(offset: usize) -> Node {
    Node {
        range: TextRange::empty(offset),
        value: Value::Scalar(Scalar {
            text: CompactString::default(),
            style: ScalarStyle::Plain,
            tag: None,
        }),
        via_alias: false,
    }
}

/// Number of nodes in a subtree (iterative).
fn count(node: &Node) -> usize {
    let mut total = 0;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        total += 1;
        match &n.value {
            Value::Scalar(_) => {}
            Value::Sequence(s) => stack.extend(s.items.iter()),
            Value::Mapping(m) => {
                for e in m.entries.iter().chain(m.merged.iter()) {
                    stack.push(&e.key);
                    stack.push(&e.value);
                }
            }
        }
    }
    total
}

/// Marks a subtree as copied through an alias (iterative).
fn mark_alias(node: &mut Node) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        n.via_alias = true;
        match &mut n.value {
            Value::Scalar(_) => {}
            Value::Sequence(s) => stack.extend(s.items.iter_mut()),
            Value::Mapping(m) => {
                for e in m.entries.iter_mut().chain(m.merged.iter_mut()) {
                    stack.push(&mut e.key);
                    stack.push(&mut e.value);
                }
            }
        }
    }
}

/// Finds `# comments`: a `#` at the start of a line or after white space, outside quoted and
/// block scalars (`content`, sorted by start), running to the end of the line.
fn scan_comments(text: &str, content: &[TextRange]) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut comments = Vec::new();
    let mut next_content = 0;
    let mut from = bom;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find('#')) {
        let at = from + found;
        from = at + 1;
        let starts_token = at == bom || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r');
        if !starts_token {
            continue;
        }
        while content.get(next_content).is_some_and(|r| r.end() <= at) {
            next_content += 1;
        }
        if content
            .get(next_content)
            .is_some_and(|r| r.start() <= at && at < r.end())
        {
            continue;
        }
        let mut end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        if end > at && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        comments.push(Comment {
            range: TextRange::new(at, end),
            text: text[at + 1..end].to_string(),
        });
        from = end;
    }
    comments
}
