//! The JavaScript interface: thin wasm-bindgen exports over the engine. The `wasm` feature (the
//! JS package) has them all; `wasm-api` (the docs embed, which makes its share links with the
//! browser's `CompressionStream`) leaves out the share-link exports and miniz_oxide.
//!
//! Every export takes and returns JSON text; the hand-written JavaScript wrapper of the package
//! (`js/api.js`) does `JSON.stringify` / `JSON.parse` around them. That keeps the boundary to
//! plain strings (no serde-wasm-bindgen, no js-sys: a smaller module) and lets this file check
//! every input by hand: the exports are total, they return `{"error": {"message": …}}` for input
//! of the wrong shape instead of panicking (a panic would abort the whole module).
//!
//! Positions go out both ways a browser needs them: 1-based `line`/`column` with columns in
//! UTF-16 code units (as the DOM counts) and `endLine`/`endColumn`, and offsets into the text as
//! UTF-16 code units (`start`/`end`) and as bytes of its UTF-8 form (`byteStart`/`byteEnd`).
//!
//! Shared links: [`encode_share`] / [`decode_share`] turn files into the URL fragment
//! `w=<base64url(raw deflate(JSON {"files":[{"name","text"}]}))>` and back, with a cap on the
//! inflated size.

use std::collections::BTreeMap;

use crate::json::{object, Map, Value};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::config::{Pair, RuleSetting};
use crate::finding::{Applicability, Edit, Finding, Fix, ObjectRef, Severity};
use crate::goversion::GoVersion;
use crate::source::{floor_char_boundary, ColumnEncoding, LineIndex, TextRange};
use crate::{Config, SourceFile};

#[cfg(feature = "wasm")]
/// Largest inflated share payload accepted by [`decode_share`].
pub const MAX_SHARE_BYTES: usize = 4 << 20;
#[cfg(feature = "wasm")]
/// Largest fragment accepted by [`decode_share`] (before base64 decoding).
pub const MAX_FRAGMENT_CHARS: usize = 4 << 20;

/// The engine version.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// `{"files": [{name, text}], "options": {…}}` → `{"version", "files", "findings", "suppressed"}`.
#[wasm_bindgen(js_name = analyzeJson)]
pub fn analyze_json(input: &str) -> String {
    respond(analyze_value(input))
}

/// `{"files", "options", "select": null | [code | finding], "unsafe": bool}` →
/// `{"files": [{name, text, applied}], "applied"}`.
#[wasm_bindgen(js_name = applyFixesJson)]
pub fn apply_fixes_json(input: &str) -> String {
    respond(apply_fixes_value(input))
}

/// Every rule, in catalog order.
#[wasm_bindgen(js_name = rulesJson)]
pub fn rules_json() -> String {
    let rules: Vec<Value> = crate::rules().iter().map(rule_value).collect();
    Value::Array(rules).to_string()
}

/// One rule's documentation, by code or name.
#[wasm_bindgen(js_name = explainJson)]
pub fn explain_json(code: &str) -> String {
    respond(match crate::explain(code.trim()) {
        Some(rule) => Ok(rule_value(&rule)),
        None => Err(Error::new(format!("unknown rule `{}`", clip(code, 40)))),
    })
}

#[cfg(feature = "wasm")]
/// `{"files": [{name, text}]}` → `{"fragment": "w=…"}`.
#[wasm_bindgen(js_name = encodeShareJson)]
pub fn encode_share_json(input: &str) -> String {
    respond(parse_input(input).and_then(|v| {
        let files = read_files(v.get("files"))?;
        Ok(object! { "fragment" => encode_share(&files) })
    }))
}

#[cfg(feature = "wasm")]
/// A fragment (`#w=…`, `w=…` or the bare payload) → `{"files": [{name, text}]}`.
#[wasm_bindgen(js_name = decodeShareJson)]
pub fn decode_share_json(fragment: &str) -> String {
    respond(decode_share(fragment).map(|files| {
        object! { "files" => files_value(&files) }
    }))
}

/// An input problem, reported to JavaScript as `{"error": {"message", "path"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    /// Where in the input, e.g. `files[2].text`.
    pub path: Option<String>,
}

impl Error {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            path: None,
        }
    }

    fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        let path = path.into();
        Self {
            message: format!("{path}: {}", message.into()),
            path: Some(path),
        }
    }
}

fn respond(result: Result<Value, Error>) -> String {
    match result {
        Ok(value) => value.to_string(),
        Err(e) => {
            let mut error = Map::default();
            error.insert("message", e.message);
            if let Some(path) = e.path {
                error.insert("path", path);
            }
            object! { "error" => Value::Object(error) }.to_string()
        }
    }
}

fn parse_input(input: &str) -> Result<Value, Error> {
    let value = crate::json::parse(input)
        .map_err(|e| Error::new(format!("the input is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(Error::new("the input must be an object"));
    }
    Ok(value)
}

/// Reads `[{name, text}]`. `text` is required; a missing `name` becomes `file-N` (and the
/// file's kind is then told by its content).
pub fn read_files(value: Option<&Value>) -> Result<Vec<SourceFile>, Error> {
    let Some(items) = value.and_then(Value::as_array) else {
        return Err(Error::at(
            "files",
            "must be an array of {name, text} objects",
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let Some(object) = item.as_object() else {
                return Err(Error::at(
                    format!("files[{i}]"),
                    "must be an object {name, text}",
                ));
            };
            let text = match object.get("text") {
                Some(Value::String(text)) => text.clone(),
                Some(_) => return Err(Error::at(format!("files[{i}].text"), "must be a string")),
                None => return Err(Error::at(format!("files[{i}].text"), "is missing")),
            };
            let name = match object.get("name") {
                Some(Value::String(name)) => name.clone(),
                None | Some(Value::Null) => format!("file-{}", i + 1),
                Some(_) => return Err(Error::at(format!("files[{i}].name"), "must be a string")),
            };
            Ok(SourceFile::new(name, text))
        })
        .collect()
}

/// Reads the options: `configYaml` (a `.shoal.yaml` text) first, then `rules`, `goVersion`,
/// `pairs`, `goImages` and `notGoImages` on top of it.
pub fn read_options(value: Option<&Value>) -> Result<Config, Error> {
    let object = match value {
        None | Some(Value::Null) => return Ok(Config::default()),
        Some(Value::Object(object)) => object,
        Some(_) => return Err(Error::at("options", "must be an object")),
    };
    let mut config = match object.get("configYaml") {
        None | Some(Value::Null) => Config::default(),
        Some(Value::String(text)) => Config::from_yaml(text).map_err(|e| {
            let index = LineIndex::new(text);
            let pos = index.line_col(text, e.range.start(), ColumnEncoding::Utf16);
            Error::at(
                "options.configYaml",
                format!("line {}, column {}: {}", pos.line, pos.column, e.message),
            )
        })?,
        Some(_) => return Err(Error::at("options.configYaml", "must be a string")),
    };
    for (key, value) in object {
        let path = format!("options.{key}");
        match key.as_str() {
            "configYaml" => {}
            "rules" => read_rules(value, &path, &mut config.rules)?,
            "goVersion" => match value {
                Value::Null => {}
                Value::String(text) => {
                    config.go_version = Some(
                        GoVersion::parse(text.trim())
                            .ok_or_else(|| Error::at(&path, "must look like \"1.22\""))?,
                    );
                }
                _ => return Err(Error::at(path, "must be a string like \"1.22\"")),
            },
            "pairs" => {
                let Some(items) = value.as_array() else {
                    return Err(Error::at(path, "must be an array of {image, dockerfile}"));
                };
                for (i, item) in items.iter().enumerate() {
                    let image = item.get("image").and_then(Value::as_str);
                    let dockerfile = item.get("dockerfile").and_then(Value::as_str);
                    match (image, dockerfile) {
                        (Some(image), Some(dockerfile)) => config.pairs.push(Pair {
                            image: image.to_string(),
                            dockerfile: dockerfile.to_string(),
                        }),
                        _ => {
                            return Err(Error::at(
                                format!("{path}[{i}]"),
                                "needs string `image` and `dockerfile`",
                            ))
                        }
                    }
                }
            }
            "goImages" => config.go_images.extend(read_strings(value, &path)?),
            "notGoImages" => config.non_go_images.extend(read_strings(value, &path)?),
            _ => {
                return Err(Error::at(
                    path,
                    "unknown option (known: rules, goVersion, pairs, goImages, notGoImages, configYaml)",
                ))
            }
        }
    }
    Ok(config)
}

fn read_rules(
    value: &Value,
    path: &str,
    rules: &mut BTreeMap<String, RuleSetting>,
) -> Result<(), Error> {
    let Some(object) = value.as_object() else {
        return Err(Error::at(path, "must be an object {CODE: setting}"));
    };
    for (code, setting) in object {
        let path = format!("{path}.{code}");
        let Some(meta) = crate::registry::find(&code.to_ascii_uppercase()).map(|r| r.meta()) else {
            return Err(Error::at(path, "unknown rule code"));
        };
        let parsed = match setting {
            Value::Bool(enabled) => RuleSetting {
                enabled: Some(*enabled),
                severity: None,
            },
            Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "on" | "true" => RuleSetting {
                    enabled: Some(true),
                    severity: None,
                },
                "off" | "false" => RuleSetting {
                    enabled: Some(false),
                    severity: None,
                },
                other => RuleSetting {
                    enabled: Some(true),
                    severity: Some(Severity::parse(other).ok_or_else(|| {
                        Error::at(&path, "use true, false, \"off\", \"error\", \"warning\", \"info\" or {enabled, severity}")
                    })?),
                },
            },
            Value::Object(object) => {
                let enabled = match object.get("enabled") {
                    None | Some(Value::Null) => None,
                    Some(Value::Bool(b)) => Some(*b),
                    Some(_) => return Err(Error::at(format!("{path}.enabled"), "must be a boolean")),
                };
                let severity = match object.get("severity") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(Severity::parse(s).ok_or_else(|| {
                        Error::at(
                            format!("{path}.severity"),
                            "must be \"error\", \"warning\" or \"info\"",
                        )
                    })?),
                    Some(_) => {
                        return Err(Error::at(
                            format!("{path}.severity"),
                            "must be \"error\", \"warning\" or \"info\"",
                        ))
                    }
                };
                RuleSetting { enabled, severity }
            }
            _ => return Err(Error::at(path, "must be a boolean, a string or an object")),
        };
        let entry = rules.entry(meta.code.to_string()).or_default();
        if parsed.enabled.is_some() {
            entry.enabled = parsed.enabled;
        }
        if parsed.severity.is_some() {
            entry.severity = parsed.severity;
        }
    }
    Ok(())
}

fn read_strings(value: &Value, path: &str) -> Result<Vec<String>, Error> {
    let items = value
        .as_array()
        .ok_or_else(|| Error::at(path, "must be an array of strings"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_str()
                .map(str::to_string)
                .ok_or_else(|| Error::at(format!("{path}[{i}]"), "must be a string"))
        })
        .collect()
}

fn analyze_value(input: &str) -> Result<Value, Error> {
    let input = parse_input(input)?;
    let files = read_files(input.get("files"))?;
    let config = read_options(input.get("options"))?;
    let analysis = crate::analyze(&files, &config);
    let positions: Vec<Positions> = files.iter().map(|f| Positions::new(&f.text)).collect();
    let findings: Vec<Value> = analysis
        .findings
        .iter()
        .map(|f| finding_value(f, &files, &positions))
        .collect();
    let suppressed: Vec<Value> = analysis
        .suppressed
        .iter()
        .map(|s| {
            let mut value = finding_value(&s.finding, &files, &positions);
            if let (Value::Object(object), Some(pos)) = (&mut value, positions.get(s.finding.file))
            {
                object.insert("reason", &s.reason);
                object.insert("pragma", pos.range(s.pragma));
            }
            value
        })
        .collect();
    let file_list: Vec<Value> = files
        .iter()
        .zip(&analysis.kinds)
        .map(|(f, kind)| object! { "name" => &f.name, "kind" => *kind })
        .collect();
    Ok(object! {
        "version" => crate::VERSION,
        "files" => file_list,
        "findings" => findings,
        "suppressed" => suppressed,
    })
}

/// Which findings [`apply_fixes_value`] fixes: every one, those of some codes, or the ones
/// given (matched by file, code, object and message in each round's re-analysis).
enum Selection {
    All,
    Some {
        codes: Vec<String>,
        findings: Vec<FindingKey>,
    },
}

#[derive(PartialEq, Eq)]
struct FindingKey {
    file: usize,
    code: String,
    message: String,
    object: ObjectRef,
}

impl FindingKey {
    fn of(finding: &Finding) -> Self {
        Self {
            file: finding.file,
            code: finding.code.to_string(),
            message: finding.message.clone(),
            object: finding.object.clone(),
        }
    }
}

fn read_selection(value: Option<&Value>, file_count: usize) -> Result<Selection, Error> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Selection::All),
        Some(Value::String(code)) => vec![Value::String(code.clone())],
        Some(Value::Array(items)) => items.clone(),
        Some(_) => {
            return Err(Error::at(
                "select",
                "must be an array of rule codes or of findings from analyze()",
            ))
        }
    };
    let mut codes = Vec::new();
    let mut findings = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("select[{i}]");
        match item {
            Value::String(code) => {
                let code = code.trim().to_ascii_uppercase();
                let known = crate::registry::find(&code).is_some()
                    || crate::explain(&code).is_some()
                    || code == crate::PARSE_CODE;
                if !known {
                    return Err(Error::at(
                        path,
                        format!("unknown rule code `{}`", clip(&code, 40)),
                    ));
                }
                let code = crate::explain(&code).map_or(code, |r| r.code.to_string());
                codes.push(code);
            }
            Value::Object(object) => {
                let code = object.get("code").and_then(Value::as_str);
                let file = object.get("file").and_then(Value::as_u64);
                let message = object.get("message").and_then(Value::as_str);
                let (Some(code), Some(file), Some(message)) = (code, file, message) else {
                    return Err(Error::at(
                        path,
                        "a finding needs `code`, `file` and `message` (pass findings from analyze())",
                    ));
                };
                let file = usize::try_from(file).unwrap_or(usize::MAX);
                if file >= file_count {
                    return Err(Error::at(
                        format!("{path}.file"),
                        "is not the index of a given file",
                    ));
                }
                let object = object.get("object");
                let text = |key: &str| {
                    object
                        .and_then(|o| o.get(key))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                };
                findings.push(FindingKey {
                    file,
                    code: code.to_string(),
                    message: message.to_string(),
                    object: ObjectRef {
                        document: object
                            .and_then(|o| o.get("document"))
                            .and_then(Value::as_u64)
                            .and_then(|d| usize::try_from(d).ok())
                            .unwrap_or(0),
                        kind: text("kind").unwrap_or_default().into(),
                        namespace: text("namespace").map(Into::into),
                        name: text("name").map(Into::into),
                        container: text("container").map(Into::into),
                    },
                });
            }
            _ => {
                return Err(Error::at(
                    path,
                    "must be a rule code or a finding from analyze()",
                ))
            }
        }
    }
    Ok(Selection::Some { codes, findings })
}

fn apply_fixes_value(input: &str) -> Result<Value, Error> {
    let input = parse_input(input)?;
    let files = read_files(input.get("files"))?;
    let config = read_options(input.get("options"))?;
    let include_unsafe = match input.get("unsafe") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::at("unsafe", "must be a boolean")),
    };
    let selection = read_selection(input.get("select"), files.len())?;
    let fixed =
        crate::fixes::fix_matching(
            &files,
            &config,
            include_unsafe,
            |finding| match &selection {
                Selection::All => true,
                Selection::Some { codes, findings } => {
                    codes.iter().any(|c| c == finding.code) || {
                        let key = FindingKey::of(finding);
                        findings.contains(&key)
                    }
                }
            },
        );
    let applied: usize = fixed.iter().map(|f| f.applied).sum();
    let files: Vec<Value> = fixed
        .iter()
        .map(|f| object! { "name" => &f.name, "text" => &f.text, "applied" => f.applied })
        .collect();
    Ok(object! { "files" => files, "applied" => applied })
}

/// Turns byte offsets of one text into the positions JavaScript needs.
pub struct Positions<'t> {
    text: &'t str,
    index: LineIndex,
    /// UTF-16 offset at which each line starts.
    utf16_starts: Vec<usize>,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str) -> Self {
        let index = LineIndex::new(text);
        let mut utf16_starts = Vec::with_capacity(index.line_count());
        let mut units = 0;
        let mut line_start = 0;
        for line in 0..index.line_count() {
            let start = index.line_start(line);
            units += text
                .get(line_start..start)
                .map_or(0, |s| s.encode_utf16().count());
            utf16_starts.push(units);
            line_start = start;
        }
        Self {
            text,
            index,
            utf16_starts,
        }
    }

    /// UTF-16 offset of a byte offset (clamped, rounded down to a character boundary).
    pub fn utf16(&self, offset: usize) -> usize {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line);
        self.utf16_starts.get(line).copied().unwrap_or(0)
            + self
                .text
                .get(start..offset)
                .map_or(0, |s| s.encode_utf16().count())
    }

    /// `{line, column, endLine, endColumn, start, end, byteStart, byteEnd}`.
    pub fn range(&self, range: TextRange) -> Value {
        let start = self
            .index
            .line_col(self.text, range.start(), ColumnEncoding::Utf16);
        let end = self.index.line_col(
            self.text,
            range.end().max(range.start()),
            ColumnEncoding::Utf16,
        );
        object! {
            "line" => start.line,
            "column" => start.column,
            "endLine" => end.line,
            "endColumn" => end.column,
            "start" => self.utf16(range.start()),
            "end" => self.utf16(range.end().max(range.start())),
            "byteStart" => range.start(),
            "byteEnd" => range.end().max(range.start()),
        }
    }
}

fn merge(mut into: Value, from: Value) -> Value {
    if let (Value::Object(into), Value::Object(from)) = (&mut into, from) {
        into.0.extend(from.0);
    }
    into
}

fn finding_value(finding: &Finding, files: &[SourceFile], positions: &[Positions]) -> Value {
    let pos = positions.get(finding.file);
    let file_name = files.get(finding.file).map_or("", |f| f.name.as_str());
    let head = object! {
        "code" => finding.code,
        "name" => finding.name,
        "severity" => finding.severity,
        "file" => finding.file,
        "fileName" => file_name,
        "message" => &finding.message,
        "help" => &*finding.help,
        "object" => object_value(&finding.object),
        "fix" => finding.fix.as_ref().map(|fix| fix_value(fix, pos)),
    };
    match pos {
        Some(pos) => merge(head, pos.range(finding.range)),
        None => head,
    }
}

fn object_value(object: &ObjectRef) -> Value {
    object! {
        "document" => object.document,
        "kind" => &*object.kind,
        "namespace" => object.namespace.as_deref(),
        "name" => object.name.as_deref(),
        "container" => object.container.as_deref(),
    }
}

fn fix_value(fix: &Fix, pos: Option<&Positions>) -> Value {
    object! {
        "title" => &fix.title,
        "applicability" => match fix.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        },
        "edits" => fix.edits.iter().map(|e| edit_value(e, pos)).collect::<Vec<_>>(),
    }
}

fn edit_value(edit: &Edit, pos: Option<&Positions>) -> Value {
    let head = object! { "content" => &edit.content };
    match pos {
        Some(pos) => merge(head, pos.range(edit.range)),
        None => head,
    }
}

fn rule_value(rule: &crate::RuleInfo) -> Value {
    object! {
        "code" => rule.code,
        "name" => rule.name,
        "severity" => rule.severity,
        "enabledByDefault" => rule.enabled_by_default,
        "summary" => rule.summary,
        "fixable" => rule.fixable,
        "docs" => rule.docs,
    }
}

#[cfg(feature = "wasm")]
fn files_value(files: &[SourceFile]) -> Vec<Value> {
    files
        .iter()
        .map(|f| object! { "name" => &f.name, "text" => &f.text })
        .collect()
}

impl From<Severity> for Value {
    fn from(severity: Severity) -> Self {
        Value::from(severity.as_str())
    }
}

impl From<crate::FileKind> for Value {
    fn from(kind: crate::FileKind) -> Self {
        Value::from(match kind {
            crate::FileKind::Manifest => "manifest",
            crate::FileKind::Dockerfile => "dockerfile",
        })
    }
}

fn clip(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

#[cfg(feature = "wasm")]
/// The share fragment (`w=…`) for these files.
pub fn encode_share(files: &[SourceFile]) -> String {
    let payload = object! { "files" => files_value(files) }.to_string();
    let deflated = miniz_oxide::deflate::compress_to_vec(payload.as_bytes(), 9);
    format!("w={}", base64url_encode(&deflated))
}

#[cfg(feature = "wasm")]
/// The files of a share fragment (`#w=…`, `w=…` or the bare payload).
pub fn decode_share(fragment: &str) -> Result<Vec<SourceFile>, Error> {
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(Error::new("the shared link is too long"));
    }
    let payload = fragment.trim();
    let payload = payload.strip_prefix('#').unwrap_or(payload);
    let payload = payload
        .split('&')
        .find_map(|part| part.strip_prefix("w="))
        .unwrap_or(payload);
    let bytes = base64url_decode(payload)
        .ok_or_else(|| Error::new("the shared link is damaged (not base64url)"))?;
    let inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_SHARE_BYTES)
        .map_err(|e| {
            if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
                Error::new(format!(
                    "the shared link holds more than {} MiB",
                    MAX_SHARE_BYTES >> 20
                ))
            } else {
                Error::new("the shared link is damaged (cannot inflate)")
            }
        })?;
    let text = String::from_utf8(inflated)
        .map_err(|_| Error::new("the shared link is damaged (not UTF-8)"))?;
    let value = crate::json::parse(&text)
        .map_err(|_| Error::new("the shared link is damaged (not JSON)"))?;
    read_files(value.get("files"))
}

#[cfg(feature = "wasm")]
const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#[cfg(feature = "wasm")]
/// Base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let symbols = chunk.len() + 1;
        for i in 0..symbols {
            out.push(char::from(BASE64URL[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(feature = "wasm")]
/// Decodes base64url (also accepts the `+/` alphabet and `=` padding); `None` when malformed.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A lone trailing symbol carries fewer than 8 bits: not valid base64.
    (bits < 6).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n  - name: api # é😀\n    image: ghcr.io/acme/api:1.0\n    resources:\n      limits: {memory: 400Mi}\n";

    fn call(f: fn(&str) -> String, input: Value) -> Value {
        serde_json::from_str(&f(&input.to_string())).unwrap()
    }

    #[test]
    fn analyze_reports_positions_in_utf16_and_bytes() {
        let out = call(
            analyze_json,
            json!({"files": [{"name": "pod.yaml", "text": POD}]}),
        );
        let go001 = out["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "GO001")
            .unwrap();
        assert_eq!(go001["line"], 9);
        assert_eq!(go001["column"], 16);
        let byte = POD.find("memory").unwrap();
        assert_eq!(go001["byteStart"], byte);
        // "é" is 2 bytes / 1 unit, "😀" 4 bytes / 2 units: 3 units fewer than bytes.
        assert_eq!(go001["start"], byte - 3);
        assert_eq!(go001["fileName"], "pod.yaml");
        assert_eq!(out["files"][0]["kind"], "manifest");
    }

    #[test]
    fn bad_input_is_an_error_value() {
        for input in [
            json!({"files": "x"}),
            json!({"files": [{"name": "a", "text": 3}]}),
            json!({"files": [{"name": "a"}]}),
            json!({"files": [], "options": {"rules": {"NOPE1": true}}}),
            json!({"files": [], "options": {"goVersion": "latest"}}),
            json!({"files": [], "options": {"configYaml": "rules: [1"}}),
        ] {
            let out = call(analyze_json, input.clone());
            assert!(out["error"]["message"].is_string(), "{input} -> {out}");
        }
        let out: Value = serde_json::from_str(&analyze_json("{not json")).unwrap();
        assert!(out["error"]["message"].is_string());
    }

    #[test]
    fn options_change_rules() {
        let files = json!([{"name": "pod.yaml", "text": POD}]);
        let has = |options: Value, code: &str| {
            let out = call(analyze_json, json!({"files": files, "options": options}));
            out["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["code"] == code)
                .map(|f| f["severity"].as_str().unwrap().to_string())
        };
        assert_eq!(has(json!({}), "GO001").as_deref(), Some("warning"));
        assert_eq!(has(json!({"rules": {"GO001": false}}), "GO001"), None);
        assert_eq!(
            has(json!({"rules": {"go001": {"severity": "error"}}}), "GO001").as_deref(),
            Some("error")
        );
        assert_eq!(
            has(json!({"configYaml": "rules:\n  GO001: off\n"}), "GO001"),
            None
        );
    }

    #[test]
    fn apply_fixes_by_code_and_by_finding() {
        let files = json!([{"name": "pod.yaml", "text": POD}]);
        let out = call(
            apply_fixes_json,
            json!({"files": files, "select": ["GO001"]}),
        );
        assert_eq!(out["applied"], 1);
        let text = out["files"][0]["text"].as_str().unwrap();
        assert!(text.contains("GOMEMLIMIT"), "{text}");

        let analysis = call(analyze_json, json!({"files": files}));
        let go001: Vec<Value> = analysis["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "GO001")
            .cloned()
            .collect();
        let out = call(apply_fixes_json, json!({"files": files, "select": go001}));
        assert_eq!(out["files"][0]["text"].as_str().unwrap(), text);

        let none = call(apply_fixes_json, json!({"files": files, "select": []}));
        assert_eq!(none["applied"], 0);
        let bad = call(
            apply_fixes_json,
            json!({"files": files, "select": ["XX999"]}),
        );
        assert!(bad["error"].is_object());
    }

    #[test]
    fn rules_and_explain() {
        let rules: Value = serde_json::from_str(&rules_json()).unwrap();
        assert!(rules.as_array().unwrap().len() >= 60);
        let go001: Value = serde_json::from_str(&explain_json("GO001")).unwrap();
        assert!(go001["docs"].as_str().unwrap().contains("## What it does"));
        assert_eq!(go001["enabledByDefault"], true);
        let unknown: Value = serde_json::from_str(&explain_json("nope")).unwrap();
        assert!(unknown["error"].is_object());
    }

    #[cfg(feature = "wasm")]
    #[test]
    fn share_round_trips_and_rejects_junk() {
        let files = vec![
            SourceFile::new("a/Dockerfile", "FROM golang:1.22\n"),
            SourceFile::new("pod.yaml", POD),
        ];
        let fragment = encode_share(&files);
        assert!(fragment.starts_with("w="));
        assert_eq!(decode_share(&format!("#{fragment}")).unwrap(), files);
        assert_eq!(decode_share(&fragment[2..]).unwrap(), files);
        assert!(decode_share("#w=!!!").is_err());
        assert!(decode_share("#w=AAAA").is_err());
        // A bomb: 64 MiB of zeros inflates past the cap.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 64 << 20], 9);
        let err = decode_share(&base64url_encode(&bomb)).unwrap_err();
        assert!(err.message.contains("MiB"), "{}", err.message);
    }

    #[cfg(feature = "wasm")]
    #[test]
    fn base64url_round_trips() {
        for len in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)).unwrap(), bytes);
        }
    }
}
