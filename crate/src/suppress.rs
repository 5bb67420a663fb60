//! Suppression comments.
//!
//! - `# shoal-ignore CODE[,CODE…] [-- reason]` on the reported line, or on the comment lines
//!   directly above it, silences those codes there;
//! - `# shoal-ignore-file CODE[,CODE…] [-- reason]` anywhere in a file silences them in the file.
//!
//! A pragma naming a code that does not exist is itself reported (`PRAGMA`), so a typo never
//! silently suppresses nothing.

use crate::finding::{Finding, ObjectRef, Severity};
use crate::source::{LineIndex, TextRange};
use crate::workspace::ParsedFile;

/// Code of the finding for a malformed suppression comment.
pub const PRAGMA_CODE: &str = "PRAGMA";
const PRAGMA_NAME: &str = "unknown-suppression-code";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pragma {
    pub range: TextRange,
    pub codes: Vec<String>,
    pub whole_file: bool,
    pub reason: Option<String>,
    /// 0-based line the comment is on.
    pub line: usize,
}

/// A finding that a pragma silenced, with the pragma's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: Option<String>,
    /// Where the suppression comment is.
    pub pragma: TextRange,
}

/// Reads the pragmas of a file.
pub fn pragmas(file: &ParsedFile, index: &LineIndex) -> Vec<Pragma> {
    let mut out = Vec::new();
    for (range, text) in file.comments() {
        let body = text.trim_start();
        let (whole_file, rest) = if let Some(rest) = body.strip_prefix("shoal-ignore-file") {
            (true, rest)
        } else if let Some(rest) = body.strip_prefix("shoal-ignore") {
            (false, rest)
        } else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            continue;
        }
        let (codes, reason) = match rest.split_once("--") {
            Some((codes, reason)) => (codes, Some(reason.trim().to_string())),
            None => (rest, None),
        };
        let codes = codes
            .split([',', ' ', '\t'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_ascii_uppercase)
            .collect();
        let line = index.line_of(range.start());
        out.push(Pragma {
            range,
            codes,
            whole_file,
            reason: reason.filter(|r| !r.is_empty()),
            line,
        });
    }
    out
}

/// The suppression comments of one file, ready to be matched against its findings.
pub struct FilePragmas {
    pragmas: Vec<Pragma>,
    comment_lines: std::collections::HashSet<usize>,
    index: LineIndex,
}

impl FilePragmas {
    /// Reads the pragmas of a file; `None` when it has none (the common case, which costs one
    /// scan of its comments and no line index).
    pub fn read(file: &ParsedFile) -> Option<Self> {
        let has_pragma = file
            .comments()
            .any(|(_, text)| text.trim_start().starts_with("shoal-ignore"));
        if !has_pragma {
            return None;
        }
        let index = LineIndex::new(file.text);
        let pragmas = pragmas(file, &index);
        if pragmas.is_empty() {
            return None;
        }
        let comment_lines = own_line_comments(file, &index);
        Some(Self {
            pragmas,
            comment_lines,
            index,
        })
    }

    /// A finding for every pragma that names an unknown code, or no code at all.
    pub fn bad_pragmas(&self, file_index: usize, known: impl Fn(&str) -> bool) -> Vec<Finding> {
        let mut out = Vec::new();
        for pragma in &self.pragmas {
            for code in &pragma.codes {
                if !known(code) {
                    out.push(bad_pragma(file_index, pragma, code));
                }
            }
            if pragma.codes.is_empty() {
                out.push(bad_pragma(file_index, pragma, ""));
            }
        }
        out
    }

    /// The pragma that silences `finding` (a finding of this file), if any.
    pub fn silencing(&self, finding: &Finding) -> Option<&Pragma> {
        silencing(&self.pragmas, &self.comment_lines, finding, &self.index)
    }
}

/// 0-based lines that hold nothing but a comment.
fn own_line_comments(file: &ParsedFile, index: &LineIndex) -> std::collections::HashSet<usize> {
    file.comments()
        .filter_map(|(range, _)| {
            let line = index.line_of(range.start());
            let start = index.line_start(line);
            file.text[start..range.start()]
                .trim()
                .is_empty()
                .then_some(line)
        })
        .collect()
}

fn silencing<'p>(
    pragmas: &'p [Pragma],
    comment_lines: &std::collections::HashSet<usize>,
    finding: &Finding,
    index: &LineIndex,
) -> Option<&'p Pragma> {
    let line = index.line_of(finding.range.start());
    let names = |p: &Pragma| p.codes.iter().any(|c| c == finding.code);
    if let Some(p) = pragmas.iter().find(|p| p.whole_file && names(p)) {
        return Some(p);
    }
    if let Some(p) = pragmas
        .iter()
        .find(|p| !p.whole_file && p.line == line && names(p))
    {
        return Some(p);
    }
    // Walk up the block of own-line comments directly above the line.
    let mut above = line;
    while above > 0 && comment_lines.contains(&(above - 1)) {
        above -= 1;
        if let Some(p) = pragmas
            .iter()
            .find(|p| p.line == above && !p.whole_file && names(p))
        {
            return Some(p);
        }
    }
    None
}

fn bad_pragma(file: usize, pragma: &Pragma, code: &str) -> Finding {
    let message = if code.is_empty() {
        "suppression comment names no rule code: it silences nothing".to_string()
    } else {
        format!("suppression comment names `{code}`, which is not a shoal rule code: it silences nothing")
    };
    Finding {
        code: PRAGMA_CODE,
        name: PRAGMA_NAME,
        severity: Severity::Warning,
        file,
        range: pragma.range,
        message,
        help: "use a code listed by `shoal rules`, e.g. `# shoal-ignore GO001 -- reason`".into(),
        object: ObjectRef::default(),
        fix: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::{analyze, Config, SourceFile};

    fn codes_at(files: &[(&str, &str)]) -> (Vec<(&'static str, usize)>, usize) {
        let sources: Vec<SourceFile> = files.iter().map(|(n, t)| SourceFile::new(*n, *t)).collect();
        let analysis = analyze(&sources, &Config::default());
        let kept = analysis
            .findings
            .iter()
            .filter(|f| f.code == "KS105" || f.code == "DF007" || f.code == super::PRAGMA_CODE)
            .map(|f| (f.code, f.file))
            .collect();
        (kept, analysis.suppressed.len())
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n";

    #[test]
    fn same_line_and_comment_block_above() {
        let same =
            format!("{POD}  - name: a\n    image: nginx # shoal-ignore KS105 -- pinned upstream\n");
        let above = format!(
            "{POD}  - name: a\n    # shoal-ignore KS105,KS102 -- reason\n    # an ordinary comment\n    image: nginx\n"
        );
        for text in [&same, &above] {
            let (kept, suppressed) = codes_at(&[("p.yaml", text)]);
            assert!(kept.is_empty(), "{kept:?}\n{text}");
            assert!(suppressed >= 1);
        }
    }

    #[test]
    fn a_blank_line_ends_the_block_above() {
        let text = format!("{POD}  - name: a\n    # shoal-ignore KS105\n\n    image: nginx\n");
        let (kept, _) = codes_at(&[("p.yaml", &text)]);
        assert_eq!(kept, [("KS105", 0)]);
    }

    #[test]
    fn file_wide_pragma_and_other_codes_untouched() {
        let text = format!("# shoal-ignore-file KS105\n{POD}  - name: a\n    image: nginx\n");
        let (kept, suppressed) = codes_at(&[("p.yaml", &text)]);
        assert!(kept.is_empty());
        assert!(suppressed >= 1);
        let other = format!("# shoal-ignore-file GO001\n{POD}  - name: a\n    image: nginx\n");
        assert_eq!(codes_at(&[("p.yaml", &other)]).0, [("KS105", 0)]);
    }

    #[test]
    fn unknown_or_missing_codes_are_reported() {
        let text = format!(
            "{POD}  - name: a\n    # shoal-ignore KS999\n    image: nginx\n    # shoal-ignore\n"
        );
        let (kept, _) = codes_at(&[("p.yaml", &text)]);
        assert_eq!(
            kept.iter()
                .filter(|(c, _)| *c == super::PRAGMA_CODE)
                .count(),
            2
        );
        assert!(kept.contains(&("KS105", 0)));
    }

    #[test]
    fn dockerfile_pragmas() {
        let text = "# shoal-ignore DF007 -- base pinned by digest in CI\nFROM alpine\nRUN true\n";
        let (kept, suppressed) = codes_at(&[("Dockerfile", text)]);
        assert!(!kept.contains(&("DF007", 0)), "{kept:?}");
        assert!(suppressed >= 1);
    }
}
