//! One logical line → keyword, flags, arguments and heredoc markers (BuildKit's
//! `splitCommand`, `extractBuilderFlags`, `parseJSON`, `parseWords`, `heredocsFromLine`).

use std::ops::Range;

use super::json::{parse_string_array, JsonError};
use super::substitute::process_word;
use super::{Args, Flag, KeyValue, ShellText, Word};
use crate::source::TextRange;

/// Instructions Docker knows.
pub const KNOWN: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Instructions whose arguments may be a JSON array.
const JSON_FORM: &[&str] = &["ADD", "CMD", "COPY", "ENTRYPOINT", "RUN", "SHELL", "VOLUME"];

/// Instructions that may carry heredocs.
const HEREDOC: &[&str] = &["ADD", "COPY", "RUN"];

/// Instructions that accept `--flags`.
const WITH_FLAGS: &[&str] = &["ADD", "COPY", "FROM", "HEALTHCHECK", "RUN"];

/// A heredoc marker found on the instruction line; the body is read by the caller.
#[derive(Debug)]
pub(crate) struct HeredocSpec {
    pub delimiter: String,
    pub expand: bool,
    pub strip_tabs: bool,
    pub marker_range: TextRange,
}

/// The parts of an instruction taken from its logical line.
#[derive(Debug)]
pub(crate) struct Built {
    pub keyword: String,
    pub keyword_range: TextRange,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub looks_like_broken_json: bool,
    pub heredocs: Vec<HeredocSpec>,
    /// Problems found on the line: (range, message).
    pub errors: Vec<(TextRange, String)>,
}

/// Shortens `text` for an error message.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", text.get(..end).unwrap_or(""))
}

fn is_split_ws(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Builds an instruction from its logical line.
pub(crate) fn build(line: &ShellText) -> Built {
    let text = line.text.as_str();
    let end = text.trim_end().len();
    let start = (text.len() - text.trim_start().len()).min(end);
    let body = text.get(start..end).unwrap_or("");
    let kw_len = body.find(is_split_ws).unwrap_or(body.len());
    let kw_end = start + kw_len;
    let raw_keyword = body.get(..kw_len).unwrap_or("");
    // Instruction keywords are ASCII; ASCII case mapping keeps Unicode tables out of wasm.
    let keyword = raw_keyword.to_ascii_uppercase();
    let keyword_range = line.source_range(start..kw_end);
    let after_kw = body.get(kw_len..).unwrap_or("");
    let rest_start = kw_end + (after_kw.len() - after_kw.trim_start_matches(is_split_ws).len());

    let mut errors = Vec::new();
    let (flags, args_start) = flags(line, rest_start, end);
    let args_start = args_start.min(end);
    let after_flags = text.get(args_start..end).unwrap_or("");
    let args_start = args_start + (after_flags.len() - after_flags.trim_start().len());
    if !flags.is_empty()
        && !WITH_FLAGS.contains(&keyword.as_str())
        && KNOWN.contains(&keyword.as_str())
    {
        for f in &flags {
            errors.push((f.range, format!("unknown flag: {}", shorten(&f.name))));
        }
    }

    let args_text = line.slice(args_start..end);
    let mut looks_like_broken_json = false;
    let mut args = None;
    if JSON_FORM.contains(&keyword.as_str()) && args_text.text.starts_with('[') {
        match parse_string_array(&args_text.text) {
            Ok(words) => {
                args = Some(Args::Exec(
                    words
                        .into_iter()
                        .map(|(value, r)| Word {
                            value,
                            range: args_text.source_range(r),
                        })
                        .collect(),
                ))
            }
            Err(JsonError::NotStrings) => errors.push((
                args_text.range(),
                "when using JSON array syntax, arrays must be comprised of strings only".into(),
            )),
            Err(JsonError::Syntax) => {
                looks_like_broken_json = looks_like_json(&args_text.text);
            }
        }
    }
    let is_exec = args.is_some();
    let args = args.unwrap_or(Args::Shell(args_text));

    let mut heredocs = Vec::new();
    let heredoc_keyword = if keyword == "ONBUILD" {
        let sub = match &args {
            Args::Shell(s) => s.text.split(is_split_ws).next().unwrap_or(""),
            Args::Exec(_) => "",
        };
        sub.to_ascii_uppercase()
    } else {
        keyword.clone()
    };
    if !is_exec && HEREDOC.contains(&heredoc_keyword.as_str()) && body.contains("<<") {
        heredocs = heredoc_specs(line, start..end);
    }

    Built {
        keyword,
        keyword_range,
        flags,
        args,
        looks_like_broken_json,
        heredocs,
        errors,
    }
}

/// Whether text that failed to parse as JSON was probably meant as a JSON array (and is not,
/// say, the shell test command `[ -f x ]` or `[ "$X" = y ]`): the first element is a quoted
/// string followed by `,`, `]`, another quote or the end, or the text is `[...]` with commas
/// and no shell operators.
fn looks_like_json(text: &str) -> bool {
    let inner = text.get(1..).unwrap_or("").trim_start();
    let mut chars = inner.chars();
    match chars.next() {
        Some(']') => return true,
        Some(q @ ('"' | '\'')) => {
            while let Some(c) = chars.next() {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    let after = chars.as_str().trim_start();
                    return after.is_empty() || after.starts_with([',', ']', '"', '\'']);
                }
            }
            return true;
        }
        _ => {}
    }
    text.trim_end().ends_with(']')
        && text.contains(',')
        && !["&&", "||", ";", "|"].iter().any(|op| text.contains(op))
}

/// BuildKit's `extractBuilderFlags` over `line.text[from..end]`: the flags and the logical
/// offset where the arguments start.
fn flags(line: &ShellText, from: usize, end: usize) -> (Vec<Flag>, usize) {
    let text = line.text.get(..end).unwrap_or("");
    let mut out = Vec::new();
    let mut pos = from.min(text.len());
    loop {
        let rest = text.get(pos..).unwrap_or("");
        pos += rest.len() - rest.trim_start().len();
        let rest = text.get(pos..).unwrap_or("");
        if !rest.starts_with("--") {
            return (out, pos);
        }
        let word_start = pos;
        let mut word = String::new();
        let mut quote: Option<char> = None;
        let mut chars = rest.char_indices().peekable();
        let mut word_end = text.len();
        while let Some((i, c)) = chars.next() {
            match quote {
                None => {
                    if c.is_whitespace() {
                        word_end = word_start + i;
                        break;
                    }
                    if c == '\'' || c == '"' {
                        quote = Some(c);
                    } else if c == '\\' {
                        if let Some((_, n)) = chars.next() {
                            word.push(n);
                        }
                    } else {
                        word.push(c);
                    }
                }
                Some(q) => {
                    if c == q {
                        quote = None;
                    } else if c == '\\' {
                        match chars.next() {
                            Some((_, n)) => word.push(n),
                            None => quote = None,
                        }
                    } else {
                        word.push(c);
                    }
                }
            }
        }
        pos = word_end;
        if word == "--" {
            return (out, pos);
        }
        let flag = word.get(2..).unwrap_or("");
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (flag.to_string(), None),
        };
        out.push(Flag {
            name,
            value,
            range: line.source_range(word_start..word_end),
        });
    }
}

/// Word boundaries as BuildKit's `parseWords`: whitespace separates words, quotes group, the
/// escape character protects the next character (not inside single quotes). Ranges are into
/// `text`; a word's text is the slice (quotes and escapes kept).
pub(crate) fn word_ranges(text: &str, escape: char) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        let Some(s) = start else {
            if c.is_whitespace() {
                continue;
            }
            start = Some(i);
            // Fall through to handle `c` as part of the word.
            if c == '\'' || c == '"' {
                quote = Some(c);
            } else if c == escape {
                chars.next();
            }
            continue;
        };
        match quote {
            None => {
                if c.is_whitespace() {
                    out.push(s..i);
                    start = None;
                } else if c == '\'' || c == '"' {
                    quote = Some(c);
                } else if c == escape {
                    chars.next();
                }
            }
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == escape && q != '\'' {
                    chars.next();
                }
            }
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Shell-form words with quotes removed.
pub(crate) fn shell_words(text: &ShellText, escape: char) -> Vec<Word> {
    word_ranges(&text.text, escape)
        .into_iter()
        .map(|r| Word {
            value: process_word(text.text.get(r.clone()).unwrap_or(""), escape, None),
            range: text.source_range(r),
        })
        .collect()
}

/// Pairs of ENV/LABEL/ARG and the problems found: (range, message).
pub(crate) fn key_values(
    keyword: &str,
    text: &ShellText,
    escape: char,
) -> (Vec<KeyValue>, Vec<(TextRange, String)>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let t = text.text.as_str();
    let words = word_ranges(t, escape);
    let unquote = |s: &str| process_word(s, escape, None);
    if keyword == "ARG" {
        for r in words {
            let word = t.get(r.clone()).unwrap_or("");
            out.push(match word.split_once('=') {
                Some((n, v)) => {
                    let eq = r.start + n.len();
                    KeyValue {
                        name: unquote(n),
                        value: Some(unquote(v)),
                        raw_value: Some(v.to_string()),
                        name_range: text.source_range(r.start..eq),
                        value_range: Some(text.source_range(eq + 1..r.end)),
                        range: text.source_range(r),
                    }
                }
                None => KeyValue {
                    name: unquote(word),
                    value: None,
                    raw_value: None,
                    name_range: text.source_range(r.clone()),
                    value_range: None,
                    range: text.source_range(r),
                },
            });
        }
        return (out, errors);
    }
    let Some(first) = words.first() else {
        errors.push((
            text.range(),
            format!("{keyword} requires at least one argument"),
        ));
        return (out, errors);
    };
    if !t.get(first.clone()).unwrap_or("").contains('=') {
        // Legacy `ENV name value`: split on the first whitespace run.
        let name_end = t.find(is_split_ws).unwrap_or(t.len());
        let after = t.get(name_end..).unwrap_or("");
        let value_start = name_end + (after.len() - after.trim_start_matches(is_split_ws).len());
        if value_start >= t.len() {
            errors.push((text.range(), format!("{keyword} must have two arguments")));
            return (out, errors);
        }
        let name = t.get(..name_end).unwrap_or("");
        let value = t.get(value_start..).unwrap_or("");
        out.push(KeyValue {
            name: unquote(name),
            value: Some(unquote(value)),
            raw_value: Some(value.to_string()),
            name_range: text.source_range(0..name_end),
            value_range: Some(text.source_range(value_start..t.len())),
            range: text.range(),
        });
        return (out, errors);
    }
    for r in words {
        let word = t.get(r.clone()).unwrap_or("");
        match word.split_once('=') {
            Some((n, v)) => {
                let eq = r.start + n.len();
                out.push(KeyValue {
                    name: unquote(n),
                    value: Some(unquote(v)),
                    raw_value: Some(v.to_string()),
                    name_range: text.source_range(r.start..eq),
                    value_range: Some(text.source_range(eq + 1..r.end)),
                    range: text.source_range(r),
                });
            }
            None => errors.push((
                text.source_range(r),
                format!(
                    "Syntax error - can't find = in \"{}\". Must be of the form: name=value",
                    shorten(word)
                ),
            )),
        }
    }
    (out, errors)
}

/// Heredoc markers on the logical line (`line.text[range]`), as BuildKit's
/// `heredocsFromLine`: each shell word matching `^(\d*)<<(-?)([^<]*)$` with a non-empty rest.
fn heredoc_specs(line: &ShellText, range: Range<usize>) -> Vec<HeredocSpec> {
    let text = line.text.get(range.clone()).unwrap_or("");
    let mut out = Vec::new();
    for r in word_ranges(text, '\\') {
        let word = text.get(r.clone()).unwrap_or("");
        let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let Some(after) = word.get(digits..).and_then(|w| w.strip_prefix("<<")) else {
            continue;
        };
        let (strip_tabs, rest) = match after.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, after),
        };
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let delimiter = process_word(rest, '\\', None);
        if delimiter.is_empty() {
            continue;
        }
        let quotes = |s: &str| s.chars().filter(|c| *c == '\'' || *c == '"').count();
        out.push(HeredocSpec {
            expand: quotes(&delimiter) == quotes(rest),
            delimiter,
            strip_tabs,
            marker_range: line.source_range(range.start + r.start..range.start + r.end),
        });
    }
    out
}
