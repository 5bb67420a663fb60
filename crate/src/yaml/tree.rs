//! The YAML tree: every node knows the byte range it came from.
//!
//! Mappings keep their entries in source order, duplicates included (the last one wins on
//! lookup, as in Kubernetes' YAML decoder). Nodes copied in by an alias or a `<<` merge key are
//! marked [`Node::via_alias`]; fixes never edit them, since their text lives elsewhere.

use compact_str::CompactString;

use crate::source::TextRange;
use crate::yaml::scalar;

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A node of the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Source range of the node's content (for a collection: from its first to its last byte).
    pub range: TextRange,
    pub value: Value,
    /// The node was copied from an anchor through an alias or a merge key.
    pub via_alias: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Mapping(Mapping),
    Sequence(Sequence),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The value after escape processing and folding (short values are stored inline, without
    /// a heap allocation).
    pub text: CompactString,
    pub style: ScalarStyle,
    /// An explicit tag such as `!!str`, as its suffix (`str`), when one was written.
    pub tag: Option<Tag>,
}

/// A tag's suffix. Tags are rare, so this is one pointer wide: it keeps every scalar small.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag(Box<Box<str>>);

impl From<&str> for Tag {
    fn from(suffix: &str) -> Self {
        Tag(Box::new(suffix.into()))
    }
}

impl std::ops::Deref for Tag {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Mapping {
    /// Entries as written, in order, duplicates included.
    pub entries: Box<[Entry]>,
    /// Entries brought in by `<<` merge keys that the mapping does not override.
    pub merged: Merged,
    /// Written as `{a: 1}` rather than in block style.
    pub flow: bool,
}

/// Entries brought in by `<<` merge keys: one pointer wide, since almost no mapping has any.
/// Reads as a slice of entries.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Merged(Option<Box<Box<[Entry]>>>);

impl From<Vec<Entry>> for Merged {
    fn from(entries: Vec<Entry>) -> Self {
        if entries.is_empty() {
            Merged(None)
        } else {
            Merged(Some(Box::new(entries.into_boxed_slice())))
        }
    }
}

impl std::ops::Deref for Merged {
    type Target = [Entry];

    fn deref(&self) -> &[Entry] {
        self.0.as_deref().map_or(&[], |entries| entries)
    }
}

impl std::ops::DerefMut for Merged {
    fn deref_mut(&mut self) -> &mut [Entry] {
        self.0.as_deref_mut().map_or(&mut [], |entries| entries)
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Sequence {
    pub items: Box<[Node]>,
    /// Written as `[a, b]` rather than as `- ` items.
    pub flow: bool,
}

impl Node {
    pub fn as_mapping(&self) -> Option<&Mapping> {
        match &self.value {
            Value::Mapping(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&Sequence> {
        match &self.value {
            Value::Sequence(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The value of `key` in a mapping (the last one when the key is repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry of `key` in a mapping (key and value nodes).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_mapping()?.entry(key)
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The scalar text when the node is a non-null scalar.
    pub fn str(&self) -> Option<&str> {
        let s = self.as_scalar()?;
        (!s.is_null()).then_some(s.text.as_str())
    }

    /// The scalar's boolean value, read as Kubernetes does (YAML 1.1: `yes`/`on` are true).
    pub fn bool(&self) -> Option<bool> {
        self.as_scalar()?.as_bool()
    }

    /// The scalar's integer value (YAML 1.1: `0755` is octal, `0x1F` hex, `1_000` decimal).
    pub fn int(&self) -> Option<i64> {
        self.as_scalar()?.as_int()
    }

    /// A null, empty or absent-valued node (`key:`, `key: ~`, `key: null`).
    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(Scalar::is_null)
    }

    /// Items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Node] {
        self.as_sequence().map_or(&[], |s| &s.items)
    }

    /// Entries of a mapping as written plus merged ones (empty for anything else).
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.as_mapping()
            .into_iter()
            .flat_map(|m| m.entries.iter().chain(m.merged.iter()))
    }

    /// Is this a block-style (not flow) mapping or sequence?
    pub fn is_block(&self) -> bool {
        match &self.value {
            Value::Mapping(m) => !m.flow,
            Value::Sequence(s) => !s.flow,
            Value::Scalar(_) => false,
        }
    }
}

impl Mapping {
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.key.as_scalar().is_some_and(|k| k.text == key))
            .or_else(|| {
                self.merged
                    .iter()
                    .find(|e| e.key.as_scalar().is_some_and(|k| k.text == key))
            })
    }
}

impl Scalar {
    pub fn is_null(&self) -> bool {
        self.style == ScalarStyle::Plain && self.tag.is_none() && scalar::is_null(&self.text)
    }

    pub fn as_bool(&self) -> Option<bool> {
        if self.style != ScalarStyle::Plain || self.tag.as_deref().is_some_and(|t| t != "bool") {
            return None;
        }
        scalar::parse_bool(&self.text)
    }

    pub fn as_int(&self) -> Option<i64> {
        if self.style != ScalarStyle::Plain || self.tag.as_deref().is_some_and(|t| t != "int") {
            return None;
        }
        scalar::parse_int(&self.text)
    }

    /// Plain and untagged: Kubernetes reads it as a number, boolean or null where it can.
    pub fn is_plain(&self) -> bool {
        self.style == ScalarStyle::Plain && self.tag.is_none()
    }
}

/// One `---`-separated document of a YAML stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// 0-based position in the stream.
    pub index: usize,
    /// The root node; `None` for an empty document or one that failed to parse.
    pub root: Option<Node>,
    /// From the document's first to its last byte.
    pub range: TextRange,
}

/// A `# comment`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// From `#` to the end of the line.
    pub range: TextRange,
    /// The text after `#`.
    pub text: String,
}

/// Something that stopped a document from parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub range: TextRange,
    pub message: String,
}

impl YamlError {
    /// An error on the character at byte `offset` of `text` (clamped to a character boundary
    /// within the text; an empty range at its end).
    pub fn at(text: &str, offset: usize, message: String) -> YamlError {
        let offset = crate::source::floor_char_boundary(text, offset.min(text.len()));
        let end = text[offset..]
            .chars()
            .next()
            .map_or(offset, |c| offset + c.len_utf8());
        YamlError {
            range: TextRange::new(offset, end),
            message,
        }
    }
}

/// A parsed YAML stream.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct YamlFile {
    pub documents: Vec<Document>,
    pub comments: Vec<Comment>,
    pub errors: Vec<YamlError>,
}
