//! A small JSON reader and writer for the engine's own needs, so that the wasm builds carry no
//! serde / serde_json (nor the float parsing and printing that come with them): the exports of
//! [`crate::wasm`] (small inputs in, reports out), exec-form checks of Dockerfiles
//! ([`crate::dockerfile`]) and the JSON strings of fixes. The CLI still uses serde_json.
//!
//! Numbers are kept only as far as these callers read them: an integer in `0..=u64::MAX` is a
//! [`Value::Number`] with its value, any other valid number (negative, fraction, exponent) one
//! without. Objects keep their keys in order; [`Value::get`] finds the last of repeated keys, as
//! serde_json's map would keep it.

use std::fmt::Write as _;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// `Some(n)` for an integer that fits a `u64`.
    Number(Option<u64>),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON object: its members in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map(pub Vec<(String, Value)>);

impl Map {
    /// The member `key` (the last one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|m| &m.1)
    }

    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.0.push((key.into(), value.into()));
    }

    pub fn iter(&self) -> std::slice::Iter<'_, (String, Value)> {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = &'a (String, Value);
    type IntoIter = std::slice::Iter<'a, (String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Deepest nesting [`parse`] accepts (serde_json's default limit).
const MAX_DEPTH: usize = 128;

impl Value {
    /// The member `key` of an object (the last one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.get(key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => *n,
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Appends this value as compact JSON.
    pub fn write(&self, out: &mut String) {
        match self {
            Value::Null | Value::Number(None) => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(Some(n)) => {
                let _ = write!(out, "{n}");
            }
            Value::String(s) => write_string(s, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl Value {
    /// Appends this value as indented JSON, as serde_json's `to_string_pretty` writes it (two
    /// spaces a level, `": "` after keys, `[]` and `{}` when empty), members in their order.
    pub fn write_pretty(&self, out: &mut String) {
        self.pretty_at(out, 0);
    }

    fn pretty_at(&self, out: &mut String, depth: usize) {
        let indent = |out: &mut String, depth: usize| {
            out.push('\n');
            for _ in 0..depth {
                out.push_str("  ");
            }
        };
        match self {
            Value::Array(items) if !items.is_empty() => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    indent(out, depth + 1);
                    item.pretty_at(out, depth + 1);
                }
                indent(out, depth);
                out.push(']');
            }
            Value::Object(members) if !members.0.is_empty() => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    indent(out, depth + 1);
                    write_string(key, out);
                    out.push_str(": ");
                    value.pretty_at(out, depth + 1);
                }
                indent(out, depth);
                out.push('}');
            }
            _ => self.write(out),
        }
    }

    /// This value as indented JSON (see [`Value::write_pretty`]).
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out);
        out
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = String::new();
        self.write(&mut out);
        f.write_str(&out)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Self {
        Value::Number(u64::try_from(n).ok())
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::Array(items)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

impl<T: Clone + Into<Value>> From<&Option<T>> for Value {
    fn from(value: &Option<T>) -> Self {
        value.clone().map_or(Value::Null, Into::into)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(Some(n))
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Number(Some(n.into()))
    }
}

impl From<Map> for Value {
    fn from(members: Map) -> Self {
        Value::Object(members)
    }
}

/// An object from `key: value` pairs: `object!{"code" => code, "line" => 3}` (a
/// [`Value::Object`], members in the order written).
#[macro_export]
macro_rules! object {
    ($($key:literal => $value:expr),* $(,)?) => {
        $crate::json::Value::Object($crate::json::Map(vec![
            $(($key.to_string(), $crate::json::Value::from($value))),*
        ]))
    };
}
pub use crate::object;

/// `text` as a JSON string, escaped as serde_json escapes it: `"`, `\` and control characters
/// (`\b`, `\f`, `\n`, `\r`, `\t`, else `\u00xx`); everything else as is.
pub fn write_string(text: &str, out: &mut String) {
    out.reserve(text.len() + 2);
    out.push('"');
    // Bytes, not chars: every byte to escape is ASCII, never part of a multi-byte character.
    let mut from = 0;
    for (at, b) in text.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[from..at]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escaped);
        }
        from = at + 1;
    }
    out.push_str(&text[from..]);
    out.push('"');
}

/// `text` as a JSON string (see [`write_string`]).
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(text, &mut out);
    out
}

/// Why a text is not JSON: what was expected, at which byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub message: &'static str,
    pub offset: usize,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

/// Parses one JSON value (RFC 8259; surrounding whitespace allowed, nothing else).
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = reader.value(0)?;
    reader.space();
    if reader.at < reader.bytes.len() {
        return Err(reader.error("trailing characters"));
    }
    Ok(value)
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

impl Reader<'_> {
    fn error(&self, message: &'static str) -> Error {
        Error {
            message,
            offset: self.at,
        }
    }

    fn space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.at) == Some(&byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, Error> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, Error> {
        if depth >= MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.space();
        match self.bytes.get(self.at) {
            None => Err(self.error("unexpected end of input")),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat(b']') {
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if self.eat(b']') {
                        return Ok(Value::Array(items));
                    }
                    if !self.eat(b',') {
                        return Err(self.error("expected `,` or `]`"));
                    }
                }
            }
            Some(b'{') => {
                self.at += 1;
                let mut members = Map::default();
                self.space();
                if self.eat(b'}') {
                    return Ok(Value::Object(members));
                }
                loop {
                    self.space();
                    if self.bytes.get(self.at) != Some(&b'"') {
                        return Err(self.error("expected a string key"));
                    }
                    let key = self.string()?;
                    self.space();
                    if !self.eat(b':') {
                        return Err(self.error("expected `:`"));
                    }
                    let value = self.value(depth + 1)?;
                    members.insert(key, value);
                    self.space();
                    if self.eat(b'}') {
                        return Ok(Value::Object(members));
                    }
                    if !self.eat(b',') {
                        return Err(self.error("expected `,` or `}`"));
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Value, Error> {
        let negative = self.eat(b'-');
        let start = self.at;
        let int = self.digits();
        if int == 0 || (int > 1 && self.bytes[start] == b'0') {
            return Err(self.error("invalid number"));
        }
        let mut integer = !negative;
        if self.eat(b'.') {
            integer = false;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if self.eat(b'e') || self.eat(b'E') {
            integer = false;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        let value = if integer {
            self.text[start..start + int].parse().ok()
        } else {
            None
        };
        Ok(Value::Number(value))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))
    }

    /// A string, the reader on its opening quote.
    fn string(&mut self) -> Result<String, Error> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while self
                .bytes
                .get(self.at)
                .is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.at += 1;
            }
            out.push_str(&self.text[start..self.at]);
            match self.bytes.get(self.at) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escape = self.bytes.get(self.at).copied();
                    self.at += 1;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let unit = self.hex4()?;
                            let code = match unit {
                                0xD800..=0xDBFF => {
                                    if !(self.eat(b'\\') && self.eat(b'u')) {
                                        return Err(self.error("lone leading surrogate"));
                                    }
                                    let low = self.hex4()?;
                                    if !(0xDC00..=0xDFFF).contains(&low) {
                                        return Err(self.error("lone leading surrogate"));
                                    }
                                    0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                                }
                                0xDC00..=0xDFFF => {
                                    return Err(self.error("lone trailing surrogate"))
                                }
                                _ => unit,
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.at -= 1;
                            return Err(self.error("invalid escape"));
                        }
                    }
                }
                Some(_) => return Err(self.error("control character in a string")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_serde_json_parses_and_rejects_what_it_rejects() {
        let cases = [
            "null",
            "true",
            " [1, -2, 3.5e2, 0, 1e-3] ",
            r#"{"a": {"b": [null, "x"]}, "c": "\u00e9\ud83d\ude00\n\"\\\/"}"#,
            "[]",
            "{}",
            r#""é😀""#,
            "18446744073709551615",
            "18446744073709551616",
            "",
            "[",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "[1] x",
            "nul",
            r#""\ud800""#,
            r#""\udc00x""#,
            r#""\x""#,
            "\"a\tb\"",
            "\"abc",
            "[\"a\",\"b\"]",
            r#"{"a":1,"a":2}"#,
            "\u{feff}[]",
            "[1,2",
            "tru",
            "\"\\u12\"",
            "-0",
            "-01",
        ];
        for text in cases {
            let ours = parse(text);
            let theirs = serde_json::from_str::<serde_json::Value>(text);
            assert_eq!(
                ours.is_ok(),
                theirs.is_ok(),
                "{text:?}: {ours:?} vs {theirs:?}"
            );
            if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                let back: serde_json::Value = serde_json::from_str(&ours.to_string()).unwrap();
                if !text.contains('.')
                    && !text.contains('e')
                    && !text.contains('-')
                    && !text.contains("551616")
                {
                    assert_eq!(back, theirs, "{text:?}");
                }
            }
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&deep).is_err());
        assert_eq!(
            parse(r#"{"a":1,"a":2}"#)
                .unwrap()
                .get("a")
                .and_then(Value::as_u64),
            Some(2)
        );
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        for text in [
            "plain",
            "q\"b\\s/",
            "\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "é😀\u{2028}",
            "",
        ] {
            assert_eq!(string(text), serde_json::to_string(text).unwrap());
        }
    }

    #[test]
    fn pretty_output_is_serde_jsons() {
        for text in [
            "null",
            "[]",
            "{}",
            r#"{"a":{"b":[null,"x\n",{}],"c":[]},"d":[1,true,{"e":"é😀"}]}"#,
            r#"[[1,[2,[]]],{"k":{"l":{}}}]"#,
        ] {
            let ours = parse(text).unwrap().to_pretty();
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(
                ours,
                serde_json::to_string_pretty(&theirs).unwrap(),
                "{text}"
            );
        }
        let value = object! {"z" => 1u64, "a" => 2u32, "m" => Map::default()};
        assert_eq!(
            value.to_pretty(),
            "{\n  \"z\": 1,\n  \"a\": 2,\n  \"m\": {}\n}"
        );
    }

    #[test]
    fn objects_keep_their_order() {
        let value = object! {"b" => 1usize, "a" => "x", "n" => None::<String>, "t" => true};
        assert_eq!(value.to_string(), r#"{"b":1,"a":"x","n":null,"t":true}"#);
    }
}
