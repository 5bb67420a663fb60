//! The driver: lines → instructions (with heredoc bodies) → stages and variables.

use super::instruction::{self, shorten, Built, KNOWN};
use super::lines::{continuation, directive, Line, Lines};
use super::substitute::process_word;
use super::{
    Comment, Directive, Dockerfile, Heredoc, Instruction, ShellText, Stage, StageVars, SyntaxError,
    Vars,
};
use crate::source::TextRange;

const DIRECTIVES: &[&str] = &["syntax", "escape", "check"];

/// Instructions that need at least one argument.
const NEED_ARGS: &[&str] = &[
    "ADD",
    "ARG",
    "COPY",
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

struct Parser<'a> {
    text: &'a str,
    df: Dockerfile,
}

pub(crate) fn parse(text: &str) -> Dockerfile {
    let mut p = Parser {
        text,
        df: Dockerfile {
            instructions: Vec::new(),
            comments: Vec::new(),
            errors: Vec::new(),
            directives: Vec::new(),
            escape: '\\',
            stages: Vec::new(),
            global_args: Vec::new(),
            vars: Vars::default(),
        },
    };
    p.run();
    p.df
}

impl Parser<'_> {
    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.df.errors.push(SyntaxError {
            range,
            message: message.into(),
        });
    }

    /// Records a comment line; `trimmed_start` is the offset of its `#`.
    fn comment(&mut self, trimmed_start: usize, end: usize) {
        let text = self
            .text
            .get(trimmed_start + 1..end)
            .unwrap_or("")
            .to_string();
        self.df.comments.push(Comment {
            range: TextRange::new(trimmed_start, end),
            text,
        });
    }

    fn run(&mut self) {
        let text = self.text;
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut lines = Lines::new(text, start);
        let mut directives_done = false;
        while let Some(line) = lines.next() {
            let raw = line_text(text, line);
            let trimmed = raw.trim_start();
            let tstart = line.end - trimmed.len();
            if !directives_done {
                directives_done = !self.directive(trimmed, tstart, line.end);
            }
            if trimmed.starts_with('#') {
                self.comment(tstart, line.end);
                continue;
            }
            if trimmed.is_empty() {
                continue;
            }
            directives_done = true;

            // The logical line: this line plus its continuations.
            let escape = self.df.escape;
            let mut logical = ShellText::new(tstart);
            let mut last_end = line.end;
            let mut more = match continuation(trimmed, escape) {
                Some(i) => {
                    logical.push(tstart, trimmed.get(..i).unwrap_or(""));
                    true
                }
                None => {
                    logical.push(tstart, trimmed);
                    false
                }
            };
            while more {
                let Some(next) = lines.next() else { break };
                let raw = line_text(text, next);
                let trimmed = raw.trim_start();
                if trimmed.starts_with('#') {
                    self.comment(next.end - trimmed.len(), next.end);
                    continue;
                }
                if trimmed.is_empty() {
                    continue;
                }
                last_end = next.end;
                match continuation(raw, escape) {
                    Some(i) => logical.push(next.start, raw.get(..i).unwrap_or("")),
                    None => {
                        logical.push(next.start, raw);
                        more = false;
                    }
                }
            }

            let built = instruction::build(&logical);
            let mut heredocs = Vec::new();
            for spec in &built.heredocs {
                let body_start = lines.pos();
                let mut body_end = None;
                for l in lines.by_ref() {
                    let mut candidate = line_text(text, l);
                    if spec.strip_tabs {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == spec.delimiter {
                        body_end = Some(l.start);
                        last_end = l.end;
                        break;
                    }
                    last_end = l.end;
                }
                let terminated = body_end.is_some();
                let body_end = body_end.unwrap_or(text.len()).max(body_start);
                heredocs.push(Heredoc {
                    delimiter: spec.delimiter.clone(),
                    body: text.get(body_start..body_end).unwrap_or("").to_string(),
                    body_range: TextRange::new(body_start, body_end),
                    expand: spec.expand,
                    strip_tabs: spec.strip_tabs,
                    marker_range: spec.marker_range,
                });
                if !terminated {
                    self.error(
                        TextRange::new(
                            spec.marker_range.start(),
                            last_end.max(spec.marker_range.end()),
                        ),
                        format!("unterminated heredoc <<{}", shorten(&spec.delimiter)),
                    );
                    break;
                }
            }
            let range = TextRange::new(tstart, last_end.max(tstart));
            self.instruction(built, heredocs, range);
        }
        self.finish();
    }

    /// Handles a possible parser directive; returns whether the line was one.
    fn directive(&mut self, trimmed: &str, tstart: usize, end: usize) -> bool {
        let Some(d) = directive(trimmed) else {
            return false;
        };
        if !DIRECTIVES.contains(&d.name.as_str()) {
            return false;
        }
        let value = trimmed.get(d.value.clone()).unwrap_or("").to_string();
        let range = TextRange::new(tstart, end);
        let value_range = TextRange::new(tstart + d.value.start, tstart + d.value.end);
        if self.df.directives.iter().any(|x| x.name == d.name) {
            self.error(
                range,
                format!("only one {} parser directive can be used", d.name),
            );
            return true;
        }
        if d.name == "escape" {
            match value.as_str() {
                "\\" => self.df.escape = '\\',
                "`" => self.df.escape = '`',
                _ => self.error(
                    value_range,
                    format!(
                        "invalid escape token '{}' does not match ` or \\",
                        shorten(&value)
                    ),
                ),
            }
        }
        self.df.directives.push(Directive {
            name: d.name,
            value,
            range,
            value_range,
        });
        true
    }

    fn instruction(&mut self, built: Built, heredocs: Vec<Heredoc>, range: TextRange) {
        let index = self.df.instructions.len();
        for (r, m) in built.errors {
            self.error(r, m);
        }
        let keyword = built.keyword;
        let kw = keyword.as_str();
        if !KNOWN.contains(&kw) {
            self.error(range, format!("unknown instruction: {}", shorten(kw)));
        }
        let inst = Instruction {
            keyword: keyword.clone(),
            keyword_range: built.keyword_range,
            range,
            flags: built.flags,
            args: built.args,
            heredocs,
            stage: None,
            looks_like_broken_json: built.looks_like_broken_json,
            escape: self.df.escape,
        };
        let empty = match &inst.args {
            super::Args::Shell(s) => s.text.is_empty(),
            super::Args::Exec(_) => false,
        };
        if empty && NEED_ARGS.contains(&kw) {
            self.error(range, format!("{kw} requires at least one argument"));
        }
        if matches!(kw, "COPY" | "ADD") && !empty && inst.words().len() < 2 {
            self.error(range, format!("{kw} requires at least two arguments"));
        }
        if kw == "FROM" {
            self.df.instructions.push(inst);
            self.from(index);
            return;
        }
        let stage = self.df.stages.len().checked_sub(1);
        if stage.is_none() && kw != "ARG" && KNOWN.contains(&kw) {
            self.error(
                range,
                format!("{kw} before the first FROM (only ARG may precede FROM)"),
            );
        }
        let mut inst = inst;
        inst.stage = stage;
        if matches!(kw, "ENV" | "ARG" | "LABEL") {
            if let Some(text) = inst.shell_text() {
                let (pairs, errors) = instruction::key_values(kw, text, inst.escape);
                for (r, m) in errors {
                    self.error(r, m);
                }
                self.df.instructions.push(inst);
                self.define(index, stage, kw, pairs);
                return;
            }
        }
        self.df.instructions.push(inst);
    }

    /// Records ENV/ARG definitions of instruction `index`.
    fn define(
        &mut self,
        index: usize,
        stage: Option<usize>,
        kw: &str,
        pairs: Vec<super::KeyValue>,
    ) {
        if kw == "LABEL" {
            return;
        }
        // Every pair of one instruction is expanded with the variables in effect before it.
        let escape = self.df.escape;
        let values: Vec<(String, Option<String>)> = pairs
            .into_iter()
            .map(|kv| {
                let df = &self.df;
                let lookup = |name: &str| df.env_at(index, name);
                let value = kv
                    .raw_value
                    .map(|raw| process_word(&raw, escape, Some(&lookup)));
                (kv.name, value)
            })
            .collect();
        match stage {
            None => {
                for (name, value) in values {
                    self.df
                        .vars
                        .global
                        .entry(name.clone())
                        .or_default()
                        .push((index, value.clone()));
                    self.df.global_args.push((name, value));
                }
            }
            Some(s) => {
                let global = &self.df.vars.global;
                let defs: Vec<(String, Option<String>)> = values
                    .into_iter()
                    .map(|(name, value)| {
                        let value = if value.is_none() && kw == "ARG" {
                            global
                                .get(&name)
                                .and_then(|d| d.last())
                                .and_then(|(_, v)| v.clone())
                        } else {
                            value
                        };
                        (name, value)
                    })
                    .collect();
                let Some(vars) = self.df.vars.stages.get_mut(s) else {
                    return;
                };
                for (name, value) in defs {
                    if kw == "ENV" {
                        vars.env
                            .entry(name)
                            .or_default()
                            .push((index, value.unwrap_or_default()));
                    } else {
                        vars.args.entry(name).or_default().push((index, value));
                    }
                }
            }
        }
    }

    /// A new stage starts at the FROM instruction `index`.
    fn from(&mut self, index: usize) {
        let stage_index = self.df.stages.len();
        if let Some(prev) = self.df.stages.last_mut() {
            prev.instructions.end = index;
        }
        let Some(inst) = self.df.instructions.get_mut(index) else {
            return;
        };
        inst.stage = Some(stage_index);
        let range = inst.range;
        let platform = inst.flag("platform").and_then(|f| f.value.clone());
        // FROM arguments are split on whitespace only (no quotes), as BuildKit does.
        let (words, text_range) = match inst.shell_text() {
            Some(s) => (from_words(s), s.range()),
            None => (Vec::new(), range),
        };
        let mut name = None;
        let mut errors = Vec::new();
        match words.as_slice() {
            [_] => {}
            [_, as_kw, n] if as_kw.0.eq_ignore_ascii_case("as") => {
                // Valid stage names are ASCII (`[a-z][a-z0-9-_.]*`): ASCII lowercase suffices.
                let lower = n.0.to_ascii_lowercase();
                if !valid_stage_name(&lower) {
                    errors.push((
                        n.1,
                        format!("invalid name for build stage: {:?}", shorten(&n.0)),
                    ));
                } else if self
                    .df
                    .stages
                    .iter()
                    .any(|s| s.name.as_deref() == Some(lower.as_str()))
                {
                    errors.push((n.1, format!("duplicate stage name {:?}", shorten(&lower))));
                }
                name = Some(lower);
            }
            [] => {}
            _ => errors.push((
                text_range,
                "FROM requires either one or three arguments".to_string(),
            )),
        }
        let (image_raw, image_range) = words
            .first()
            .cloned()
            .unwrap_or((String::new(), TextRange::empty(range.end())));
        let image = {
            let df = &self.df;
            let lookup = |n: &str| df.env_at(index, n);
            process_word(&image_raw, df.escape, Some(&lookup))
        };
        let lower = image.to_ascii_lowercase();
        let parent_stage = self
            .df
            .stages
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
            .map(|s| s.index);
        for (r, m) in errors {
            self.error(r, m);
        }
        self.df.stages.push(Stage {
            index: stage_index,
            from: index,
            image,
            image_range,
            name,
            parent_stage,
            platform,
            instructions: index..index + 1,
        });
        self.df.vars.stages.push(StageVars::default());
    }

    fn finish(&mut self) {
        let n = self.df.instructions.len();
        if let Some(last) = self.df.stages.last_mut() {
            last.instructions.end = n;
        }
        if n == 0 {
            self.error(
                TextRange::empty(self.text.len()),
                "the Dockerfile has no instructions",
            );
        } else if self.df.stages.is_empty() {
            let range = self
                .df
                .instructions
                .first()
                .map_or(TextRange::empty(0), |i| i.range);
            if self.df.instructions.iter().all(|i| i.keyword == "ARG") {
                self.error(range, "the Dockerfile has no FROM instruction");
            }
        }
    }
}

/// FROM's words: split on whitespace, no quote handling.
fn from_words(text: &ShellText) -> Vec<(String, TextRange)> {
    let t = text.text.as_str();
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices() {
        let ws = matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ');
        match (start, ws) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push((
                    t.get(s..i).unwrap_or("").to_string(),
                    text.source_range(s..i),
                ));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((
            t.get(s..).unwrap_or("").to_string(),
            text.source_range(s..t.len()),
        ));
    }
    out
}

/// BuildKit's `^[a-z][a-z0-9-_\.]*$`.
fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

fn line_text(text: &str, line: Line) -> &str {
    text.get(line.start..line.end).unwrap_or("")
}
