//! Dockerfile parser (BuildKit-compatible) and instruction model.
//!
//! [`parse`] never fails: it returns a [`Dockerfile`] with every instruction it could read and a
//! list of [`SyntaxError`]s. Every range is a byte range into the original text (a leading byte
//! order mark included), so findings and fixes can point at the exact source.
//!
//! The line handling follows BuildKit's parser (`frontend/dockerfile/parser`): parser directives
//! at the top, the escape character and line continuations (comment and blank lines inside a
//! continuation are dropped), heredocs for `RUN`, `COPY` and `ADD`, exec form (a JSON string
//! array) versus shell form, and `--flags` in front of the arguments.

pub mod facts;
mod instruction;
pub use instruction::KNOWN as KNOWN_INSTRUCTIONS;
mod json;
mod lines;
mod parser;
pub mod shell;
mod substitute;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::ops::Range;

use crate::source::TextRange;

pub use shell::{commands, Command};

/// Parses a Dockerfile. Never fails and never panics; problems are collected in
/// [`Dockerfile::errors`].
pub fn parse(text: &str) -> Dockerfile {
    parser::parse(text)
}

/// A parsed Dockerfile.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Dockerfile {
    /// Every instruction, in source order.
    pub instructions: Vec<Instruction>,
    /// Every comment line outside heredoc bodies, in order (parser directives included).
    pub comments: Vec<Comment>,
    /// Syntax problems, in the order they were found.
    pub errors: Vec<SyntaxError>,
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`) found at the top.
    pub directives: Vec<Directive>,
    /// The escape character (`\` unless changed by `# escape=`).
    pub escape: char,
    /// Build stages, one per `FROM`.
    pub stages: Vec<Stage>,
    /// ARGs declared before the first `FROM`, with their default values (already expanded with
    /// the global ARGs declared before them).
    pub global_args: Vec<(String, Option<String>)>,
    #[cfg_attr(feature = "cli", serde(skip))]
    vars: Vars,
}

/// Variable definitions recorded while parsing, for [`Dockerfile::env_at`].
#[derive(Clone, Debug, Default)]
struct Vars {
    /// Global ARGs: name → (instruction index, value).
    global: HashMap<String, Vec<(usize, Option<String>)>>,
    /// Per stage.
    stages: Vec<StageVars>,
}

#[derive(Clone, Debug, Default)]
struct StageVars {
    /// ENV: name → (instruction index, expanded value), in instruction order.
    env: HashMap<String, Vec<(usize, String)>>,
    /// ARG: name → (instruction index, expanded value or global default), in instruction order.
    args: HashMap<String, Vec<(usize, Option<String>)>>,
}

/// The latest definition made strictly before instruction `at`.
fn latest_before<T>(defs: Option<&Vec<(usize, T)>>, at: usize) -> Option<&T> {
    let defs = defs?;
    let n = defs.partition_point(|(i, _)| *i < at);
    n.checked_sub(1).and_then(|i| defs.get(i)).map(|(_, v)| v)
}

/// A comment line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Comment {
    /// From the `#` to the end of the line, without the line terminator.
    pub range: TextRange,
    /// The text after the `#` (not trimmed).
    pub text: String,
}

/// A syntax problem.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct SyntaxError {
    /// Where the problem is.
    pub range: TextRange,
    /// What is wrong, in English.
    pub message: String,
}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Directive {
    /// Lower-cased name: `syntax`, `escape` or `check`.
    pub name: String,
    /// The value, trimmed.
    pub value: String,
    /// The whole comment line.
    pub range: TextRange,
    /// The value.
    pub value_range: TextRange,
}

/// One instruction (one logical line plus its heredoc bodies).
#[derive(Clone, Debug)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Instruction {
    /// Upper-cased keyword, e.g. `RUN`. Unknown keywords are kept (upper-cased) and reported.
    pub keyword: String,
    /// The keyword as written.
    pub keyword_range: TextRange,
    /// The whole instruction including continuation lines and heredoc bodies (with the
    /// terminator line), without the final line terminator.
    pub range: TextRange,
    /// `--name[=value]` flags in front of the arguments.
    pub flags: Vec<Flag>,
    /// The arguments after the flags.
    pub args: Args,
    /// Heredocs, in order (only `RUN`, `COPY`, `ADD`, also behind `ONBUILD`).
    pub heredocs: Vec<Heredoc>,
    /// Index into [`Dockerfile::stages`]; `None` before the first `FROM`.
    pub stage: Option<usize>,
    /// The arguments start with `[` and look like a JSON array but are not a valid JSON string
    /// array, so Docker runs them in shell form.
    pub looks_like_broken_json: bool,
    #[cfg_attr(feature = "cli", serde(skip))]
    escape: char,
}

/// A `--name[=value]` flag.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Flag {
    /// The name without the leading `--`, e.g. `from`.
    pub name: String,
    /// The value after `=` (quotes removed), `None` for a bare `--link`.
    pub value: Option<String>,
    /// The whole flag as written.
    pub range: TextRange,
}

/// The arguments of an instruction.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub enum Args {
    /// Exec form: a JSON string array.
    Exec(Vec<Word>),
    /// Shell form (or any instruction that has no exec form).
    Shell(ShellText),
}

/// A word with its value and source range.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Word {
    /// The value: the decoded JSON string, or the shell word with quotes removed (variables
    /// are not expanded; use [`Dockerfile::expand_at`]).
    pub value: String,
    /// The source range (of the JSON string token including its quotes, or of the shell word
    /// as written).
    pub range: TextRange,
}

/// A heredoc (`<<EOF` ... `EOF`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Heredoc {
    /// The delimiter with quotes removed, e.g. `EOF`.
    pub delimiter: String,
    /// The body exactly as in the source (every line with its terminator; for `<<-` the
    /// leading tabs are still there, see [`Heredoc::content`]).
    pub body: String,
    /// The source range of the body (from the line after the instruction to the start of the
    /// terminator line).
    pub body_range: TextRange,
    /// Variables in the body are expanded (the delimiter was not quoted).
    pub expand: bool,
    /// `<<-`: leading tabs are removed from each line.
    pub strip_tabs: bool,
    /// The `<<EOF` word as written.
    pub marker_range: TextRange,
}

impl Heredoc {
    /// The content as Docker uses it (leading tabs removed for `<<-`).
    pub fn content(&self) -> String {
        if !self.strip_tabs {
            return self.body.clone();
        }
        self.body
            .split_inclusive('\n')
            .map(|l| l.trim_start_matches('\t'))
            .collect()
    }

    /// The body split into simple shell commands (offsets relative to [`Heredoc::body`]; add
    /// `body_range.start` or use [`Heredoc::source_range`] for source offsets).
    pub fn commands(&self) -> Vec<Command> {
        shell::commands(&self.body)
    }

    /// Source range of a range of offsets into [`Heredoc::body`].
    pub fn source_range(&self, body: Range<usize>) -> TextRange {
        let len = self.body.len();
        TextRange::new(
            self.body_range.start() + body.start.min(len),
            self.body_range.start() + body.end.min(len),
        )
    }
}

/// Shell-form text as Docker sees it after joining continuation lines, with a map back to
/// source offsets.
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct ShellText {
    /// The joined text (continuation escapes and skipped lines removed).
    pub text: String,
    /// Contiguous pieces: (logical start, source start); each runs to the next piece.
    #[cfg_attr(feature = "cli", serde(skip))]
    segments: Vec<(usize, usize)>,
    /// Source offset used when the text is empty.
    #[cfg_attr(feature = "cli", serde(skip))]
    anchor: usize,
}

impl ShellText {
    pub(crate) fn new(anchor: usize) -> Self {
        ShellText {
            text: String::new(),
            segments: Vec::new(),
            anchor,
        }
    }

    /// Appends `piece`, which is the source text starting at `source`.
    pub(crate) fn push(&mut self, source: usize, piece: &str) {
        if piece.is_empty() {
            return;
        }
        self.segments.push((self.text.len(), source));
        self.text.push_str(piece);
    }

    /// The sub-text `logical` (clamped to char boundaries) with its own offset map.
    pub(crate) fn slice(&self, logical: Range<usize>) -> ShellText {
        let end = floor_boundary(&self.text, logical.end.min(self.text.len()));
        let start = floor_boundary(&self.text, logical.start.min(end));
        let mut out = ShellText::new(self.source_offset(start));
        let first = self
            .segments
            .partition_point(|(l, _)| *l <= start)
            .saturating_sub(1);
        for (k, &(l, s)) in self.segments.iter().enumerate().skip(first) {
            if l >= end {
                break;
            }
            let seg_end = self.segments.get(k + 1).map_or(self.text.len(), |n| n.0);
            let a = l.max(start);
            let b = seg_end.min(end);
            if a < b {
                if let Some(piece) = self.text.get(a..b) {
                    out.push(s + (a - l), piece);
                }
            }
        }
        out
    }

    /// Byte offset in the original file of logical offset `logical` (`text.len()` maps to the
    /// end of the text; an offset between two pieces maps to the start of the later piece).
    pub fn source_offset(&self, logical: usize) -> usize {
        let logical = logical.min(self.text.len());
        let n = self.segments.partition_point(|(l, _)| *l <= logical);
        match n.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(&(l, s)) => s + (logical - l),
            None => self.anchor,
        }
    }

    /// Source offset for the end of a range: an offset between two pieces maps to the end of
    /// the earlier piece.
    fn source_end(&self, logical: usize) -> usize {
        let logical = logical.min(self.text.len());
        let n = self.segments.partition_point(|(l, _)| *l < logical);
        match n.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(&(l, s)) => s + (logical - l),
            None => self.source_offset(logical),
        }
    }

    /// The source range of the logical range `logical`.
    pub fn source_range(&self, logical: Range<usize>) -> TextRange {
        let start = self.source_offset(logical.start);
        if logical.end <= logical.start {
            return TextRange::empty(start);
        }
        let end = self.source_end(logical.end).max(start);
        TextRange::new(start, end)
    }

    /// Source range of the whole text.
    pub fn range(&self) -> TextRange {
        self.source_range(0..self.text.len())
    }

    /// Simple commands of the text (see [`shell::commands`]); ranges are logical offsets.
    pub fn commands(&self) -> Vec<Command> {
        shell::commands(&self.text)
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A `name=value` pair of `ENV`, `ARG` or `LABEL` (or `ENV name value`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct KeyValue {
    /// The name, quotes removed.
    pub name: String,
    /// The value with quotes removed, variables not expanded; `None` for `ARG NAME`.
    pub value: Option<String>,
    /// The value as written.
    pub raw_value: Option<String>,
    /// The name as written.
    pub name_range: TextRange,
    /// The value as written.
    pub value_range: Option<TextRange>,
    /// The whole pair.
    pub range: TextRange,
}

impl Instruction {
    /// The shell-form arguments, if any.
    pub fn shell_text(&self) -> Option<&ShellText> {
        match &self.args {
            Args::Shell(s) => Some(s),
            Args::Exec(_) => None,
        }
    }

    /// The exec-form words, if the arguments are a JSON string array.
    pub fn exec_words(&self) -> Option<&[Word]> {
        match &self.args {
            Args::Exec(w) => Some(w),
            Args::Shell(_) => None,
        }
    }

    /// The first flag named `name` (without `--`).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// Whether the keyword is `keyword` (case-insensitive).
    pub fn is(&self, keyword: &str) -> bool {
        self.keyword.eq_ignore_ascii_case(keyword)
    }

    /// The arguments as words: exec-form strings, or shell-form text split on whitespace
    /// (quotes respected and removed, variables not expanded).
    pub fn words(&self) -> Vec<Word> {
        match &self.args {
            Args::Exec(w) => w.clone(),
            Args::Shell(s) => instruction::shell_words(s, self.escape),
        }
    }

    /// `ENV`/`LABEL` pairs (`A=1 B="two words"` or legacy `A 1`) and `ARG` declarations.
    /// Malformed words are skipped (they are reported in [`Dockerfile::errors`]).
    pub fn key_values(&self) -> Vec<KeyValue> {
        match &self.args {
            Args::Shell(s) => instruction::key_values(&self.keyword, s, self.escape).0,
            Args::Exec(_) => Vec::new(),
        }
    }
}

/// A build stage (one `FROM` and the instructions after it).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Stage {
    /// Index in [`Dockerfile::stages`].
    pub index: usize,
    /// Index of the `FROM` instruction.
    pub from: usize,
    /// The base image after global-ARG substitution, e.g. `golang:1.22-alpine`, `scratch`.
    pub image: String,
    /// The image reference as written.
    pub image_range: TextRange,
    /// The `AS` name, lower-cased as BuildKit does.
    pub name: Option<String>,
    /// The earlier stage that `image` names.
    pub parent_stage: Option<usize>,
    /// The `--platform` value as written (not expanded).
    pub platform: Option<String>,
    /// Indices into [`Dockerfile::instructions`], the `FROM` included.
    pub instructions: Range<usize>,
}

impl Dockerfile {
    /// The last stage (the one `docker build` builds without `--target`).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage named `name` (case-insensitive) or with that index.
    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        let lower = name.to_ascii_lowercase();
        self.stages
            .iter()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
            .or_else(|| name.parse::<usize>().ok().and_then(|i| self.stages.get(i)))
    }

    /// The instructions of `stage`, its `FROM` included.
    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        self.instructions
            .get(stage.instructions.clone())
            .unwrap_or(&[])
    }

    /// Value of an ENV/ARG visible at instruction `at` (before it runs): stage ENV (also
    /// inherited from parent stages), then the stage's ARGs (a re-declared global ARG takes its
    /// global default). At a `FROM` or before the first `FROM`, only global ARGs are visible.
    /// Values set by the base image or by `--build-arg` are unknown and give `None`.
    pub fn env_at(&self, at: usize, name: &str) -> Option<String> {
        let inst = self.instructions.get(at)?;
        let stage = match inst.stage {
            Some(s) if !inst.is("FROM") => s,
            _ => return latest_before(self.vars.global.get(name), at).cloned()?,
        };
        let vars = self.vars.stages.get(stage)?;
        if let Some(v) = latest_before(vars.env.get(name), at) {
            return Some(v.clone());
        }
        let mut parent = self.stages.get(stage).and_then(|s| s.parent_stage);
        let mut guard = 0;
        while let Some(p) = parent {
            guard += 1;
            if p >= stage || guard > self.stages.len() {
                break;
            }
            if let Some(v) = self
                .vars
                .stages
                .get(p)
                .and_then(|pv| pv.env.get(name))
                .and_then(|d| d.last())
            {
                return Some(v.1.clone());
            }
            parent = self.stages.get(p).and_then(|s| s.parent_stage);
        }
        latest_before(vars.args.get(name), at).cloned()?
    }

    /// Expands `$VAR`/`${VAR...}` in `word` and removes quotes, as Docker does for the
    /// arguments of instruction `at` (unknown variables expand to nothing).
    pub fn expand_at(&self, at: usize, word: &str) -> String {
        substitute::process_word(word, self.escape, Some(&|name: &str| self.env_at(at, name)))
    }
}
