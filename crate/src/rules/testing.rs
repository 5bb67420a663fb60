//! Helpers for rule tests: run one rule on inputs, read lines, apply its fixes.

use crate::config::Config;
use crate::finding::{Applicability, Finding};
use crate::source::{ColumnEncoding, LineIndex};
use crate::workspace::SourceFile;

/// A configuration that runs only `code` (enabling it even when it is off by default).
pub fn only(code: &str) -> Config {
    let mut config = Config::default();
    for rule in crate::registry::all() {
        let c = rule.meta().code;
        config.rules.insert(
            c.to_string(),
            crate::config::RuleSetting {
                enabled: Some(c == code),
                severity: None,
            },
        );
    }
    config
}

/// Runs only `code` on the files (name, text) and returns its findings.
pub fn check_files(code: &str, files: &[(&str, &str)]) -> Vec<Finding> {
    check_with(code, files, only(code))
}

/// Runs only `code` with a given configuration (its rule settings are replaced).
pub fn check_with(code: &str, files: &[(&str, &str)], mut config: Config) -> Vec<Finding> {
    config.rules = only(code).rules;
    let sources: Vec<SourceFile> = files.iter().map(|(n, t)| SourceFile::new(*n, *t)).collect();
    crate::analyze(&sources, &config)
        .findings
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

/// Runs only `code` on one manifest.
pub fn check_yaml(code: &str, text: &str) -> Vec<Finding> {
    check_files(code, &[("manifest.yaml", text)])
}

/// Runs only `code` on one Dockerfile.
pub fn check_dockerfile(code: &str, text: &str) -> Vec<Finding> {
    check_files(code, &[("Dockerfile", text)])
}

/// 1-based lines of the findings' starts in file `file` of `text`.
pub fn lines(findings: &[Finding], text: &str) -> Vec<usize> {
    let index = LineIndex::new(text);
    findings
        .iter()
        .map(|f| {
            index
                .line_col(text, f.range.start(), ColumnEncoding::Utf32)
                .line
        })
        .collect()
}

/// The text the finding's range covers.
pub fn spans<'t>(findings: &[Finding], text: &'t str) -> Vec<&'t str> {
    findings.iter().map(|f| f.range.slice(text)).collect()
}

/// Applies every fix of `code` (safe and unsafe) to the first file, repeatedly, and returns the
/// text; asserts the result re-parses and no longer triggers a fixable finding of `code`.
pub fn fixed(code: &str, files: &[(&str, &str)]) -> String {
    let sources: Vec<SourceFile> = files.iter().map(|(n, t)| SourceFile::new(*n, *t)).collect();
    let out = crate::fix_all(&sources, &only(code), true);
    let text = out[0].text.clone();
    let mut after: Vec<(&str, &str)> = files.to_vec();
    after[0].1 = &text;
    let again: Vec<Finding> = check_files(code, &after)
        .into_iter()
        .filter(|f| f.file == 0 && f.fix.is_some())
        .collect();
    assert!(
        again.is_empty(),
        "fix did not converge for {code}:\n{text}\n{again:#?}"
    );
    let parse = crate::analyze(
        &[SourceFile::new(files[0].0, text.as_str())],
        &only("PARSE"),
    );
    assert!(
        parse.findings.iter().all(|f| f.code != crate::PARSE_CODE),
        "fixed text does not parse:\n{text}"
    );
    text
}

/// Like [`fixed`] for a single manifest.
pub fn fixed_yaml(code: &str, text: &str) -> String {
    fixed(code, &[("manifest.yaml", text)])
}

/// Like [`fixed`] for a single Dockerfile.
pub fn fixed_dockerfile(code: &str, text: &str) -> String {
    fixed(code, &[("Dockerfile", text)])
}

/// Is the finding's fix safe?
pub fn is_safe(finding: &Finding) -> bool {
    finding
        .fix
        .as_ref()
        .is_some_and(|f| f.applicability == Applicability::Safe)
}
