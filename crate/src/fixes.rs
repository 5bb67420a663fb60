//! Applying fixes to text.

use crate::config::Config;
use crate::finding::{Applicability, Edit, Finding, Fix};
use crate::workspace::SourceFile;

/// Most rounds of "analyse, apply every fix, repeat" in [`fix_all`].
pub const MAX_FIX_ROUNDS: usize = 10;

/// Applies fixes to one file's text. Fixes are taken in order of position; a fix whose edits
/// touch or overlap an edit already taken is skipped (run again to pick it up). Returns the new
/// text and how many fixes were applied.
pub fn apply_fixes<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> (String, usize) {
    let mut fixes: Vec<&Fix> = fixes.into_iter().collect();
    fixes.sort_by_key(|f| f.range().map(|r| (r.start(), r.end())));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let valid = fix.edits.iter().all(|e| {
            e.range.start() <= e.range.end()
                && e.range.end() <= text.len()
                && text.is_char_boundary(e.range.start())
                && text.is_char_boundary(e.range.end())
        });
        let clashes = fix.edits.iter().enumerate().any(|(i, e)| {
            taken.iter().any(|t| touches(t, e)) || fix.edits[..i].iter().any(|o| touches(o, e))
        });
        if valid && !clashes && !fix.edits.is_empty() {
            taken.extend(fix.edits.iter());
            applied += 1;
        }
    }
    taken.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out =
        String::with_capacity(text.len() + taken.iter().map(|e| e.content.len()).sum::<usize>());
    let mut at = 0;
    for edit in taken {
        out.push_str(&text[at..edit.range.start()]);
        out.push_str(&edit.content);
        at = edit.range.end();
    }
    out.push_str(&text[at..]);
    (out, applied)
}

fn touches(a: &Edit, b: &Edit) -> bool {
    a.range.start() <= b.range.end() && b.range.start() <= a.range.end()
}

/// The outcome of [`fix_all`] for each input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedFile {
    pub name: String,
    pub text: String,
    /// Fixes applied over all rounds.
    pub applied: usize,
}

/// Applies every safe fix (and unsafe ones when `include_unsafe`), re-analysing and repeating
/// until nothing changes or [`MAX_FIX_ROUNDS`] is reached. A round that would make a file fail
/// to parse where it parsed before is dropped for that file.
pub fn fix_all(files: &[SourceFile], config: &Config, include_unsafe: bool) -> Vec<FixedFile> {
    fix_matching(files, config, include_unsafe, |_| true)
}

/// [`fix_all`] restricted to the findings `select` accepts (asked again in every round, of the
/// findings of the re-analysed text): "fix every GO001", "fix these findings".
pub fn fix_matching(
    files: &[SourceFile],
    config: &Config,
    include_unsafe: bool,
    mut select: impl FnMut(&Finding) -> bool,
) -> Vec<FixedFile> {
    let mut current: Vec<SourceFile> = files.to_vec();
    let mut applied = vec![0usize; files.len()];
    for _ in 0..MAX_FIX_ROUNDS {
        let analysis = crate::analyze(&current, config);
        let mut changed = false;
        for (index, file) in current.iter_mut().enumerate() {
            let fixes = analysis
                .findings
                .iter()
                .filter(|f| f.file == index && select(f))
                .filter_map(|f| {
                    f.fix
                        .as_ref()
                        .filter(|fix| include_unsafe || fix.applicability == Applicability::Safe)
                });
            let (text, count) = apply_fixes(&file.text, fixes);
            if count == 0 || text == file.text {
                continue;
            }
            let candidate = SourceFile::new(file.name.clone(), text);
            if parse_errors(&candidate) > parse_errors(file) {
                continue;
            }
            *file = candidate;
            applied[index] += count;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    current
        .into_iter()
        .zip(applied)
        .map(|(f, applied)| FixedFile {
            name: f.name,
            text: f.text,
            applied,
        })
        .collect()
}

fn parse_errors(file: &SourceFile) -> usize {
    let parsed = crate::workspace::ParsedFile::parse(file);
    match &parsed.content {
        crate::workspace::Content::Yaml(y) => y.errors.len(),
        crate::workspace::Content::Dockerfile(d) => d.errors.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::TextRange;

    #[test]
    fn non_overlapping_edits_apply_and_overlapping_are_skipped() {
        let text = "abcdef";
        let a = Fix::safe("a", vec![Edit::replace(TextRange::new(0, 1), "A")]);
        let b = Fix::safe("b", vec![Edit::insert(3, "-")]);
        let c = Fix::safe("c", vec![Edit::replace(TextRange::new(0, 2), "xx")]);
        let (out, n) = apply_fixes(text, [&a, &b, &c]);
        assert_eq!(out, "Abc-def");
        assert_eq!(n, 2);
    }

    #[test]
    fn out_of_bounds_edits_are_ignored() {
        let bad = Fix::safe("bad", vec![Edit::insert(99, "x")]);
        assert_eq!(apply_fixes("ab", [&bad]), ("ab".to_string(), 0));
    }
}
