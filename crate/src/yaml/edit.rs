//! Small text edits on YAML that keep every other byte as it was.
//!
//! A fix never re-serialises a document: it inserts or replaces one range of the original text,
//! so comments, indentation, quoting and line endings elsewhere stay untouched. New text is
//! rendered to match its surroundings: block style at the file's indentation step (and its habit
//! of indenting `- ` under a key or not) inside block collections, flow style inside `{…}` and
//! `[…]`, and the file's line ending.
//!
//! Every function returns one [`Edit`] or `None` when the change cannot be made safely (the
//! target came in through an alias, something on the way is not a mapping, …). None of them
//! panics, whatever the input.

use crate::finding::Edit;
use crate::source::TextRange;
use crate::yaml::scalar;
use crate::yaml::{parse, Entry, Node, ScalarStyle, Value};

/// A YAML value to write: rendered in block or flow style to match where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frag {
    /// Already-valid YAML scalar text, e.g. `true`, `"2"`, `limits.memory`.
    Scalar(String),
    /// A mapping; keys are plain strings, quoted on output only when needed.
    Map(Vec<(String, Frag)>),
    /// A sequence.
    Seq(Vec<Frag>),
}

impl Frag {
    /// A scalar from already-valid YAML scalar text (see [`scalar_text`] to quote a string).
    pub fn scalar(s: impl Into<String>) -> Frag {
        Frag::Scalar(s.into())
    }

    /// A mapping from `(key, value)` pairs, in order.
    pub fn map<'a>(entries: impl IntoIterator<Item = (&'a str, Frag)>) -> Frag {
        Frag::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    /// A sequence of items.
    pub fn seq(items: impl IntoIterator<Item = Frag>) -> Frag {
        Frag::Seq(items.into_iter().collect())
    }

    /// Does it render on lines of its own below a key (a non-empty block collection)?
    fn is_multiline_block(&self) -> bool {
        match self {
            Frag::Scalar(_) => false,
            Frag::Map(e) => !e.is_empty(),
            Frag::Seq(i) => !i.is_empty(),
        }
    }
}

/// Renders a plain string as a YAML scalar, quoting it only when needed: when it would otherwise
/// read as a boolean, number or null in YAML 1.1 (`yes`, `on`, `0755`, `2`, `~`), is empty, has
/// leading or trailing white space, contains `: `, ` #`, a flow indicator (`,[]{}`), a line
/// break or a control character, or starts with an indicator character. Quoted values use
/// double quotes with escapes.
pub fn scalar_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_scalar(&mut out, value);
    out
}

/// Replaces a scalar's value, keeping its quoting style: double-quoted stays double-quoted (with
/// escaping), single-quoted stays single-quoted (double-quoted when the value has a line break
/// or control character), plain stays plain unless the new value needs quotes. An empty null
/// value (`key:`) gets ` value` after its colon. `None` if the node came through an alias, is not
/// a scalar, or is a block scalar (`|`, `>`).
pub fn replace_scalar(text: &str, node: &Node, value: &str) -> Option<Edit> {
    if node.via_alias {
        return None;
    }
    let s = node.as_scalar()?;
    let range = node.range;
    text.get(range.start()..range.end())?;
    let content = match s.style {
        ScalarStyle::Literal | ScalarStyle::Folded => return None,
        ScalarStyle::Plain => scalar_text(value),
        ScalarStyle::SingleQuoted => {
            if value.chars().any(|c| c.is_control() || is_special_char(c)) {
                double_quoted(value)
            } else {
                format!("'{}'", value.replace('\'', "''"))
            }
        }
        ScalarStyle::DoubleQuoted => double_quoted(value),
    };
    if range.is_empty() {
        // `key:` — the parser puts the empty value right after the key, before the colon.
        let at = after_colon(text, range.start()).unwrap_or(range.start());
        let before = text.get(..at)?.chars().next_back();
        let space = if before.is_some_and(|c| c != ' ' && c != '\t') {
            " "
        } else {
            ""
        };
        return Some(Edit::insert(at, format!("{space}{content}")));
    }
    Some(Edit::replace(range, content))
}

/// Adds `key: value` to a mapping.
///
/// Block mapping: a new line after the line holding the end of the last entry (so a trailing
/// comment on it stays put; a nested block or block scalar is passed over), indented like the
/// mapping's keys, nested maps and sequences in block style at the file's indentation step.
/// Flow mapping: `, key: value` after the last entry (or `key: value` inside an empty `{}`), in
/// flow style. `None` when the mapping came through an alias or is not a mapping.
pub fn insert_entry(text: &str, mapping: &Node, key: &str, value: &Frag) -> Option<Edit> {
    if mapping.via_alias {
        return None;
    }
    let m = mapping.as_mapping()?;
    if m.flow {
        let mut item = String::new();
        push_scalar(&mut item, key);
        item.push_str(": ");
        write_flow(&mut item, value);
        return flow_append(
            text,
            mapping.range,
            m.entries.last().map(entry_end),
            item,
            '{',
        );
    }
    let first = m.entries.first()?;
    let col = column(text, first.key.range.start())?;
    let layout = Layout::detect(text, Some(mapping.range));
    let mut line = " ".repeat(col);
    push_scalar(&mut line, key);
    line.push(':');
    write_after_key(&mut line, value, col, &layout);
    insert_line_after(text, mapping.range.end(), line, &layout)
}

/// Appends an item to a sequence. Block: a new `- item` line after the last item at the same
/// dash column (a map item renders as `- k: v` with continuation lines at the column after
/// `- `). Flow: `, item` after the last item (or `item` inside an empty `[]`). `None` when the
/// sequence came through an alias or is not a sequence.
pub fn append_item(text: &str, seq: &Node, item: &Frag) -> Option<Edit> {
    if seq.via_alias {
        return None;
    }
    let s = seq.as_sequence()?;
    if s.flow {
        let mut rendered = String::new();
        write_flow(&mut rendered, item);
        return flow_append(
            text,
            seq.range,
            s.items.last().map(|n| n.range.end()),
            rendered,
            '[',
        );
    }
    let first = s.items.first()?;
    let dash = dash_offset(text, first.range.start())?;
    let col = column(text, dash)?;
    let layout = Layout::detect(text, None);
    let mut line = " ".repeat(col);
    write_seq(&mut line, std::slice::from_ref(item), col, &layout);
    let end = s.items.last().map_or(seq.range.end(), |n| n.range.end());
    insert_line_after(text, end.max(seq.range.end()), line, &layout)
}

/// Sets `path` (a chain of mapping keys below `mapping`) to `value`, creating what is missing.
///
/// * `path[0]` absent: it is inserted with a nested map built from the rest of the path.
/// * `path[0]` present but null (`key:`, `key: ~`) or an empty `{}`: filled in (a block written
///   below the key, or entries written inside the braces).
/// * `path[0]` present as a mapping: the rest of the path is set inside it.
/// * The last key present: its value is replaced; a scalar keeps its quoting style where the new
///   value allows (see [`replace_scalar`]), anything else is replaced by a rendering of `value`
///   at that position.
///
/// `None` if something on the path is not a mapping (a scalar, a sequence), came through an
/// alias, or `path` is empty.
pub fn set_path(text: &str, mapping: &Node, path: &[&str], value: &Frag) -> Option<Edit> {
    let (key, rest) = path.split_first()?;
    if mapping.via_alias {
        return None;
    }
    let m = mapping.as_mapping()?;
    let Some(entry) = own_entry(mapping, key) else {
        if m.entry(key).is_some() {
            // Only present through a `<<` merge: overriding it would drop the merged siblings.
            return None;
        }
        return insert_entry(text, mapping, key, &nest(rest, value));
    };
    if entry.value.via_alias || entry.key.via_alias {
        return None;
    }
    if rest.is_empty() {
        return replace_value(text, mapping, entry, value);
    }
    match &entry.value.value {
        Value::Mapping(_) => set_path(text, &entry.value, rest, value),
        Value::Scalar(_) if entry.value.is_null() => {
            fill_null(text, mapping, entry, &nest(rest, value))
        }
        _ => None,
    }
}

/// Appends `item` to the sequence at `key` of `mapping`, creating the key (`key:` with a block
/// `- item` below, per the file's habit, or `key: [item]` in a flow mapping) when it is absent
/// or null. `None` when the value is something else or came through an alias.
pub fn append_to_list(text: &str, mapping: &Node, key: &str, item: &Frag) -> Option<Edit> {
    if mapping.via_alias {
        return None;
    }
    let m = mapping.as_mapping()?;
    let list = Frag::Seq(vec![item.clone()]);
    let Some(entry) = own_entry(mapping, key) else {
        if m.entry(key).is_some() {
            return None;
        }
        return insert_entry(text, mapping, key, &list);
    };
    if entry.value.via_alias {
        return None;
    }
    match &entry.value.value {
        Value::Sequence(_) => append_item(text, &entry.value, item),
        Value::Scalar(_) if entry.value.is_null() => fill_null(text, mapping, entry, &list),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Setting values

/// `{k1: {k2: … value}}` for the remaining keys of a path.
fn nest(rest: &[&str], value: &Frag) -> Frag {
    rest.iter().rev().fold(value.clone(), |inner, key| {
        Frag::Map(vec![((*key).to_string(), inner)])
    })
}

/// The last entry written in the mapping itself (not merged in) with this key.
fn own_entry<'n>(mapping: &'n Node, key: &str) -> Option<&'n Entry> {
    mapping
        .as_mapping()?
        .entries
        .iter()
        .rev()
        .find(|e| e.key.as_scalar().is_some_and(|k| k.text == key))
}

/// Replaces the value of an existing entry.
fn replace_value(text: &str, mapping: &Node, entry: &Entry, value: &Frag) -> Option<Edit> {
    let old = &entry.value;
    if old.is_null() {
        return fill_null(text, mapping, entry, value);
    }
    if let (Some(_), Frag::Scalar(new)) = (old.as_scalar(), value) {
        if let Some(edit) = replace_scalar_with_frag(text, old, new) {
            return Some(edit);
        }
    }
    let flow = mapping.as_mapping()?.flow;
    if flow || !value.is_multiline_block() && !old.is_block() && !is_block_scalar(old) {
        // Same line, same place: swap the value text.
        let mut content = String::new();
        if flow {
            write_flow(&mut content, value);
        } else {
            write_after_key(&mut content, value, 0, &Layout::detect(text, None));
            content = content.trim_start().to_string();
        }
        text.get(old.range.start()..old.range.end())?;
        return Some(Edit::replace(old.range, content));
    }
    // Block value, or a block replacing a scalar: rewrite everything after the colon.
    let colon = after_colon(text, entry.key.range.end())?;
    if has_properties(text.get(colon..old.range.start())?) {
        // An anchor (other nodes may use it) or a tag: leave the value alone.
        return None;
    }
    let end = trim_line_breaks(text, colon, value_end(text, old));
    let col = column(text, entry.key.range.start())?;
    let layout = Layout::detect(text, Some(old.range));
    let mut content = String::new();
    write_after_key(&mut content, value, col, &layout);
    text.get(colon..end)?;
    Some(Edit::replace(TextRange::new(colon, end), content))
}

/// A scalar replaced by Frag scalar text: a plain value that YAML reads as a string keeps the
/// old quoting style; a quoted value is a string (quoted only if the style needs it); a plain
/// boolean, number or null replaces the text as is (dropping quotes, so its type changes).
fn replace_scalar_with_frag(text: &str, old: &Node, new: &str) -> Option<Edit> {
    let old_scalar = old.as_scalar()?;
    if matches!(old_scalar.style, ScalarStyle::Literal | ScalarStyle::Folded) {
        return None;
    }
    let quoted = new.starts_with('"') || new.starts_with('\'');
    if quoted {
        let decoded = decode_scalar(new)?;
        if old_scalar.style == ScalarStyle::Plain {
            // The caller wants a string: write the text as given.
            text.get(old.range.start()..old.range.end())?;
            return Some(Edit::replace(old.range, new));
        }
        return replace_scalar(text, old, &decoded);
    }
    if needs_quotes(new) {
        // A plain bool/number/null (or text YAML would read oddly): written as given.
        text.get(old.range.start()..old.range.end())?;
        return Some(Edit::replace(old.range, new));
    }
    replace_scalar(text, old, new)
}

/// The string value of one YAML scalar's text.
fn decode_scalar(scalar_text: &str) -> Option<String> {
    let doc = format!("k: {scalar_text}\n");
    let file = parse(&doc);
    if !file.errors.is_empty() {
        return None;
    }
    let root = file.documents.first()?.root.as_ref()?;
    Some(root.get("k")?.as_scalar()?.text.to_string())
}

/// Fills the null value of `entry` (`key:`, `key: ~`) with `value`.
fn fill_null(text: &str, mapping: &Node, entry: &Entry, value: &Frag) -> Option<Edit> {
    let old = &entry.value;
    let colon = after_colon(text, entry.key.range.end())?;
    let flow = mapping.as_mapping()?.flow;
    let mut content = String::new();
    if flow {
        write_flow(&mut content, value);
        if old.range.is_empty() {
            return Some(Edit::insert(colon, format!(" {content}")));
        }
        return Some(Edit::replace(old.range, content));
    }
    let col = column(text, entry.key.range.start())?;
    let layout = Layout::detect(text, None);
    write_after_key(&mut content, value, col, &layout);
    if !old.range.is_empty() {
        // `key: ~`: replace from the colon through the `~`.
        let end = old.range.end().max(colon);
        text.get(colon..end)?;
        return Some(Edit::replace(TextRange::new(colon, end), content));
    }
    if value.is_multiline_block() {
        // After the key's line, so a comment on it stays on it.
        let at = line_content_end(text, colon);
        return Some(Edit::insert(at, content));
    }
    Some(Edit::insert(colon, content))
}

/// Does the text between a colon and its value hold an anchor (`&a`) or a tag (`!t`), outside
/// comments?
fn has_properties(gap: &str) -> bool {
    gap.lines().any(|line| {
        line.split('#')
            .next()
            .is_some_and(|code| code.contains(['&', '!']))
    })
}

fn is_block_scalar(node: &Node) -> bool {
    node.as_scalar()
        .is_some_and(|s| matches!(s.style, ScalarStyle::Literal | ScalarStyle::Folded))
}

/// Where a value's text ends (a block sequence: the end of its last item).
fn value_end(text: &str, node: &Node) -> usize {
    let end = node
        .items()
        .last()
        .map_or(node.range.end(), |n| n.range.end().max(node.range.end()));
    end.min(text.len())
}

/// `end` moved back over trailing line breaks (a block scalar's range includes them), not
/// before `floor`.
fn trim_line_breaks(text: &str, floor: usize, mut end: usize) -> usize {
    while end > floor && matches!(text.as_bytes().get(end - 1), Some(b'\n' | b'\r')) {
        end -= 1;
    }
    end
}

// ---------------------------------------------------------------------------------------------
// Positions

/// The end of a mapping entry (its value, or its key when the value is empty).
fn entry_end(entry: &Entry) -> usize {
    entry.key.range.end().max(entry.value.range.end())
}

/// The offset just after the `:` that follows a key ending at `key_end` (white space and a
/// closing quote may sit in between). `None` if no colon follows on that line.
fn after_colon(text: &str, key_end: usize) -> Option<usize> {
    let rest = text.get(key_end..)?;
    for (i, c) in rest.char_indices() {
        match c {
            ':' => return Some(key_end + i + 1),
            ' ' | '\t' => {}
            _ => return None,
        }
    }
    None
}

/// Number of characters between the start of the line holding `offset` and `offset`.
fn column(text: &str, offset: usize) -> Option<usize> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = before.get(line_start..)?;
    Some(prefix.trim_start_matches('\u{feff}').chars().count())
}

/// The end of the line holding `offset`, before its `\n` or `\r\n`.
fn line_content_end(text: &str, offset: usize) -> usize {
    let offset = crate::source::floor_char_boundary(text, offset.min(text.len()));
    let rest = text.get(offset..).unwrap_or("");
    let end = rest.find('\n').map_or(text.len(), |i| offset + i);
    if end > offset && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// The `-` of the block sequence item whose content starts at `item_start`.
fn dash_offset(text: &str, item_start: usize) -> Option<usize> {
    let before = text.get(..item_start)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.get(line_start..)?;
    // The nearest `-` followed by white space (anchors and tags may sit between it and the
    // content).
    let bytes = line.as_bytes();
    (0..bytes.len())
        .rev()
        .find(|&i| bytes[i] == b'-' && bytes.get(i + 1).is_none_or(|b| matches!(b, b' ' | b'\t')))
        .map(|i| line_start + i)
}

/// Inserts `line` (without line ending) as a new line after the line holding `end`.
fn insert_line_after(text: &str, end: usize, line: String, layout: &Layout) -> Option<Edit> {
    let end = end.min(text.len());
    text.get(..end)?;
    if end == 0 || text.as_bytes().get(end - 1) == Some(&b'\n') {
        return Some(Edit::insert(end, format!("{line}{}", layout.nl)));
    }
    match text.get(end..)?.find('\n') {
        Some(i) => Some(Edit::insert(end + i + 1, format!("{line}{}", layout.nl))),
        None => Some(Edit::insert(text.len(), format!("{}{line}", layout.nl))),
    }
}

/// Adds a rendered item to a flow collection spanning `range`: after the last item, or inside
/// the empty brackets.
fn flow_append(
    text: &str,
    range: TextRange,
    last_end: Option<usize>,
    item: String,
    open: char,
) -> Option<Edit> {
    match last_end {
        Some(end) => {
            text.get(..end)?;
            Some(Edit::insert(end, format!(", {item}")))
        }
        None => {
            if !text.get(range.start()..)?.starts_with(open) {
                return None;
            }
            Some(Edit::insert(range.start() + 1, item))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Layout detection

/// How the file lays out its block collections.
struct Layout {
    /// `"\r\n"` or `"\n"`.
    nl: &'static str,
    /// Indentation step of nested mappings.
    step: usize,
    /// `- ` is indented by the step under its key (rather than at the key's column).
    seq_indent: bool,
}

impl Layout {
    /// Looks at the text; `target` is the range of the mapping being edited, whose own step
    /// (its key column minus its parent key's) wins over the file's first one.
    ///
    /// This scans lines rather than parsing, so building a fix stays cheap on large files: the
    /// own step from the lines just above the target, the file's habits from its first lines.
    fn detect(text: &str, target: Option<TextRange>) -> Layout {
        let nl = match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') => "\r\n",
            _ => "\n",
        };
        let own_step = target.and_then(|t| own_step(text, t.start()));
        let (first_step, seq_indent) = file_habits(text);
        Layout {
            nl,
            step: own_step.or(first_step).unwrap_or(2).clamp(1, 16),
            seq_indent: seq_indent.unwrap_or(true),
        }
    }
}

/// How many lines [`file_habits`] looks at.
const HABIT_LINES: usize = 2_000;

/// A content line: its indentation (a leading `- ` counts as indentation), whether it starts
/// with `- `, and whether it ends with `key:` and nothing else (a comment aside).
struct LineShape {
    indent: usize,
    dash: Option<usize>,
    opens_block: bool,
}

fn line_shape(line: &str) -> Option<LineShape> {
    let line = line.as_bytes();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let spaces = line.iter().take_while(|&&b| b == b' ').count();
    let rest = &line[spaces..];
    if rest.is_empty() || rest[0] == b'#' || rest.starts_with(b"---") || rest.starts_with(b"...") {
        return None;
    }
    let (dash, indent) = match rest.strip_prefix(b"- ") {
        Some(after) => (
            Some(spaces),
            spaces + 2 + (after.len() - after.trim_ascii_start().len()),
        ),
        None => (None, spaces),
    };
    // The content before a ` #` comment; most lines have no `#` at all.
    let content = match rest.iter().position(|&b| b == b'#') {
        None => rest,
        Some(_) => rest
            .windows(2)
            .position(|w| w == b" #")
            .map_or(rest, |at| &rest[..at]),
    };
    Some(LineShape {
        indent,
        dash,
        opens_block: content.trim_ascii_end().ends_with(b":"),
    })
}

/// The step between the mapping starting at `start` and the key it is the value of.
fn own_step(text: &str, start: usize) -> Option<usize> {
    let col = column(text, start)?;
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    // Only a mapping that is the value of a key (not a `- ` item) has a step of its own.
    if !text.get(line_start..start)?.bytes().all(|b| b == b' ') {
        return None;
    }
    let before = text.get(..line_start)?;
    let parent = before.lines().rev().find_map(line_shape)?;
    if !parent.opens_block {
        return None;
    }
    col.checked_sub(parent.indent).filter(|s| *s > 0)
}

/// The file's first nested-mapping step, and whether its block sequences indent `- ` under
/// their key.
fn file_habits(text: &str) -> (Option<usize>, Option<bool>) {
    let mut step = None;
    let mut seq_indent = None;
    let mut previous: Option<LineShape> = None;
    for line in text.split('\n').take(HABIT_LINES) {
        let Some(shape) = line_shape(line) else {
            continue;
        };
        if let Some(parent) = previous.as_ref().filter(|p| p.opens_block) {
            match shape.dash {
                Some(dash) if seq_indent.is_none() => seq_indent = Some(dash > parent.indent),
                None if step.is_none() && shape.indent > parent.indent => {
                    step = Some(shape.indent - parent.indent);
                }
                _ => {}
            }
        }
        if step.is_some() && seq_indent.is_some() {
            break;
        }
        previous = Some(shape);
    }
    (step, seq_indent)
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// Writes what follows `key:` for a value whose key sits at column `col`: ` scalar`, ` {}`,
/// ` []`, or a line break and a block indented below the key.
fn write_after_key(out: &mut String, value: &Frag, col: usize, layout: &Layout) {
    match value {
        Frag::Scalar(s) => {
            out.push(' ');
            out.push_str(s);
        }
        Frag::Map(entries) if entries.is_empty() => out.push_str(" {}"),
        Frag::Seq(items) if items.is_empty() => out.push_str(" []"),
        Frag::Map(entries) => {
            let inner = col + layout.step;
            out.push_str(layout.nl);
            push_spaces(out, inner);
            write_map(out, entries, inner, layout);
        }
        Frag::Seq(items) => {
            let dash = if layout.seq_indent {
                col + layout.step
            } else {
                col
            };
            out.push_str(layout.nl);
            push_spaces(out, dash);
            write_seq(out, items, dash, layout);
        }
    }
}

/// Appends `count` spaces.
fn push_spaces(out: &mut String, count: usize) {
    out.extend(std::iter::repeat_n(' ', count));
}

/// Appends a scalar as [`scalar_text`] writes it.
fn push_scalar(out: &mut String, value: &str) {
    if needs_quotes(value) {
        out.push_str(&double_quoted(value));
    } else {
        out.push_str(value);
    }
}

/// Writes block mapping entries at column `col`; the cursor already stands at `col`.
fn write_map(out: &mut String, entries: &[(String, Frag)], col: usize, layout: &Layout) {
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(layout.nl);
            push_spaces(out, col);
        }
        push_scalar(out, key);
        out.push(':');
        write_after_key(out, value, col, layout);
    }
}

/// Writes block sequence items with their dash at column `dash`; the cursor already stands
/// there.
fn write_seq(out: &mut String, items: &[Frag], dash: usize, layout: &Layout) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(layout.nl);
            push_spaces(out, dash);
        }
        out.push('-');
        match item {
            Frag::Map(entries) if !entries.is_empty() => {
                out.push(' ');
                write_map(out, entries, dash + 2, layout);
            }
            Frag::Seq(inner) if !inner.is_empty() => {
                out.push(' ');
                write_seq(out, inner, dash + 2, layout);
            }
            _ => {
                out.push(' ');
                write_flow(out, item);
            }
        }
    }
}

/// Writes a value in flow style: `{k: v, …}`, `[a, …]`, scalars as given (a plain scalar with
/// flow indicators in it is double-quoted).
fn write_flow(out: &mut String, value: &Frag) {
    match value {
        Frag::Scalar(s) => {
            let quoted = s.starts_with('"') || s.starts_with('\'');
            if !quoted && s.contains([',', '[', ']', '{', '}']) {
                out.push_str(&double_quoted(s));
            } else {
                out.push_str(s);
            }
        }
        Frag::Map(entries) => {
            out.push('{');
            for (i, (key, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_scalar(out, key);
                out.push_str(": ");
                write_flow(out, v);
            }
            out.push('}');
        }
        Frag::Seq(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(out, v);
            }
            out.push(']');
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scalars

/// Characters YAML would not keep as they are in a plain or single-quoted scalar.
fn is_special_char(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

fn needs_quotes(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return true;
    };
    // Fast path for the common case (`GOMEMLIMIT`, `limits.memory`, `app-1`): a letter first
    // and then only letters, digits and `-_./` is a plain string unless it is a YAML 1.1
    // null or boolean word; no number starts with a letter.
    if first.is_ascii_alphabetic()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
    {
        return scalar::is_null(value) || scalar::parse_bool(value).is_some();
    }
    if scalar::is_null(value)
        || scalar::parse_bool(value).is_some()
        || looks_numeric(value)
        || value == "<<"
        || value == "="
    {
        return true;
    }
    if first.is_whitespace() || value.chars().next_back().is_some_and(char::is_whitespace) {
        return true;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return true;
    }
    if value.ends_with(':')
        || value.contains(": ")
        || value.contains(":\t")
        || value.contains(" #")
        || value.contains("\t#")
        || value.contains([',', '[', ']', '{', '}'])
    {
        return true;
    }
    value.chars().any(|c| c.is_control() || is_special_char(c))
}

/// Would a YAML 1.1 (or 1.2) reader take this as a number? Errs towards yes: anything that
/// starts like a number and uses only number characters (digits, `._:+-`, `e`, `x`, `o`, `b`,
/// hex digits), plus `.inf` and `.nan`.
fn looks_numeric(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, ".inf" | ".nan") {
        return true;
    }
    let Some(first) = body.chars().next() else {
        return false;
    };
    (first.is_ascii_digit() || first == '.' && body.len() > 1)
        && body
            .chars()
            .all(|c| c.is_ascii_hexdigit() || matches!(c, '.' | '_' | ':' | '+' | '-' | 'x' | 'o'))
}

/// A double-quoted YAML scalar with the escapes it needs.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() || is_special_char(c) => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
