//! Helpers over shell text (RUN arguments, RUN heredoc bodies): split a script into simple
//! commands with their words, inline assignments and ranges.
//!
//! This is a lexer, not a shell parser: it understands quotes, backslash escapes, `$(...)`,
//! backticks, comments, and the operators `&&`, `||`, `;`, `|`, `&`, newlines and parentheses.
//! Leading reserved words (`if`, `then`, `do`, `!`, `{`, ...) are dropped from a command so that
//! `if true; then go build; fi` yields a `go build` command.

use std::ops::Range;

/// One simple command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// Inline assignments in front of the command: (name, value with quotes removed, range of
    /// the whole `NAME=value` word), e.g. `CGO_ENABLED=0` in `CGO_ENABLED=0 go build`.
    pub assignments: Vec<(String, String, Range<usize>)>,
    /// The command name and arguments: (value with quotes removed, range as written).
    /// Redirections such as `>/dev/null` or `2>&1` are kept as words.
    pub words: Vec<(String, Range<usize>)>,
    /// From the first assignment or word to the end of the last word.
    pub range: Range<usize>,
}

impl Command {
    /// The command name (first word), if any.
    pub fn name(&self) -> Option<&str> {
        self.words.first().map(|(w, _)| w.as_str())
    }

    /// The words after the command name.
    pub fn args(&self) -> &[(String, Range<usize>)] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// Whether the words start with `prefix` (e.g. `["go", "build"]`).
    pub fn starts_with(&self, prefix: &[&str]) -> bool {
        prefix.len() <= self.words.len() && self.words.iter().zip(prefix).all(|(w, p)| w.0 == *p)
    }

    /// The value of an inline assignment.
    pub fn assignment(&self, name: &str) -> Option<&str> {
        self.assignments
            .iter()
            .rev()
            .find(|a| a.0 == name)
            .map(|a| a.1.as_str())
    }
}

const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "case",
    "esac",
];

fn is_separator(b: u8) -> bool {
    matches!(b, b';' | b'&' | b'|' | b'(' | b')' | b'\n')
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

/// Splits `text` into simple commands on `&&`, `||`, `;`, `|`, `&`, newlines and parentheses,
/// respecting quotes. Ranges are byte offsets into `text`.
pub fn commands(text: &str) -> Vec<Command> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(b'\n');
        if is_blank(b) {
            i += 1;
        } else if b == b'\\' && bytes.get(i + 1) == Some(&b'\n') {
            i += 2;
        } else if b == b'\\' && bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n')
        {
            i += 3;
        } else if b == b'#' {
            while i < bytes.len() && bytes.get(i) != Some(&b'\n') {
                i += 1;
            }
        } else if b == b'&' && bytes.get(i + 1) == Some(&b'>') {
            let end = word_end(bytes, i);
            words.push(i..end);
            i = end;
        } else if is_separator(b) {
            flush(text, &mut words, &mut out);
            i += 1;
        } else {
            let end = word_end(bytes, i);
            words.push(i..end.max(i + 1).min(bytes.len()));
            i = end.max(i + 1);
        }
    }
    flush(text, &mut words, &mut out);
    out
}

/// The end of the word starting at `start`.
fn word_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'\'' => {
                i += 1;
                while bytes.get(i).is_some_and(|c| *c != b'\'') {
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\\' {
                        i += 2;
                        continue;
                    }
                    if c == b'"' {
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'`' => {
                i += 1;
                while bytes.get(i).is_some_and(|c| *c != b'`') {
                    i += 1;
                }
                i += 1;
            }
            b'$' if bytes.get(i + 1) == Some(&b'(') => {
                // `$(...)` / `$((...))`: count parentheses, skipping quoted text.
                let mut depth = 0usize;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        b'\\' => i += 1,
                        b'\'' => {
                            i += 1;
                            while bytes.get(i).is_some_and(|c| *c != b'\'') {
                                i += 1;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'&' if i > start && matches!(bytes.get(i - 1), Some(b'>' | b'<')) => i += 1,
            b'&' if bytes.get(i + 1) == Some(&b'>') => i += 2,
            b if is_blank(b) || is_separator(b) => break,
            _ => i += 1,
        }
    }
    i.min(bytes.len())
}

fn flush(text: &str, words: &mut Vec<Range<usize>>, out: &mut Vec<Command>) {
    let taken = std::mem::take(words);
    let mut iter = taken.into_iter().peekable();
    while let Some(r) = iter.peek() {
        let w = text.get(r.clone()).unwrap_or("");
        if RESERVED.contains(&w) {
            iter.next();
        } else {
            break;
        }
    }
    let mut cmd = Command {
        assignments: Vec::new(),
        words: Vec::new(),
        range: 0..0,
    };
    for r in iter {
        let raw = text.get(r.clone()).unwrap_or("");
        if cmd.words.is_empty() {
            if let Some((name, value)) = assignment(raw) {
                cmd.assignments.push((name.to_string(), unquote(value), r));
                continue;
            }
        }
        cmd.words.push((unquote(raw), r));
    }
    let first = cmd
        .assignments
        .first()
        .map(|a| a.2.start)
        .or_else(|| cmd.words.first().map(|w| w.1.start));
    let last = cmd
        .words
        .last()
        .map(|w| w.1.end)
        .or_else(|| cmd.assignments.last().map(|a| a.2.end));
    if let (Some(a), Some(b)) = (first, last) {
        cmd.range = a..b;
        out.push(cmd);
    }
}

/// `NAME=value` with a valid shell name.
fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some((name, value))
}

/// Removes shell quoting (single quotes, double quotes, backslashes); `$` is kept literally.
pub fn unquote(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some(n @ ('$' | '`' | '"' | '\\')) => out.push(n),
                            Some('\n') => {}
                            Some(n) => {
                                out.push('\\');
                                out.push(n);
                            }
                            None => out.push('\\'),
                        },
                        c => out.push(c),
                    }
                }
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    if n != '\n' {
                        out.push(n);
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<Vec<String>> {
        commands(text)
            .into_iter()
            .map(|c| c.words.into_iter().map(|w| w.0).collect())
            .collect()
    }

    #[test]
    fn splits_on_operators() {
        assert_eq!(
            names("apk add git && go build ./... || true; echo 'a && b' | tee x &"),
            vec![
                vec!["apk", "add", "git"],
                vec!["go", "build", "./..."],
                vec!["true"],
                vec!["echo", "a && b"],
                vec!["tee", "x"],
            ]
        );
    }

    #[test]
    fn assignments_and_ranges() {
        let text = "set -e; CGO_ENABLED=0 GOOS=linux go build -o /app .";
        let cmds = commands(text);
        assert_eq!(cmds.len(), 2);
        let c = &cmds[1];
        assert_eq!(c.assignment("CGO_ENABLED"), Some("0"));
        assert_eq!(c.assignments.len(), 2);
        assert!(c.starts_with(&["go", "build"]));
        assert_eq!(
            &text[c.range.clone()],
            "CGO_ENABLED=0 GOOS=linux go build -o /app ."
        );
        assert_eq!(&text[c.words[0].1.clone()], "go");
    }

    #[test]
    fn redirections_subshells_and_reserved_words() {
        assert_eq!(
            names(
                "if [ -f x ]; then make >/dev/null 2>&1; fi\n(cd src && go test ./...) &>/dev/null"
            ),
            vec![
                vec!["[", "-f", "x", "]"],
                vec!["make", ">/dev/null", "2>&1"],
                vec!["cd", "src"],
                vec!["go", "test", "./..."],
                vec!["&>/dev/null"],
            ]
        );
        assert_eq!(
            names("echo \"$(date +%s) x\" `id -u` # comment && no\nls"),
            vec![vec!["echo", "$(date +%s) x", "`id -u`"], vec!["ls"]]
        );
    }

    #[test]
    fn unbalanced_input_does_not_panic() {
        for t in [
            "'", "\"", "$(", "`", "\\", "a\\", "$((", "\"\\", "é'ü", "&>", "2>&",
        ] {
            let _ = commands(t);
        }
    }
}
