//! `--format sarif`: SARIF 2.1.0, one run, for code-scanning dashboards.
//!
//! Regions are 1-based with exclusive ends; columns count UTF-16 code units (SARIF's default
//! `columnKind`). Artifact URIs are relative paths with forward slashes (files outside the
//! current directory get a `file://` URI).

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value};
use shoal::{Applicability, ColumnEncoding, Finding, Severity};

use crate::report::{Positions, Report, Span};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where users can learn about the tool.
pub const INFORMATION_URI: &str = "https://github.com/shoal-lint/shoal";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(span: Span) -> Value {
    json!({
        "startLine": span.start.line,
        "startColumn": span.start.column,
        "endLine": span.end.line,
        "endColumn": span.end.column,
    })
}

/// A relative URI reference for a file name as given, or a `file://` URI for an absolute
/// path outside the current directory.
pub fn artifact_uri(name: &str) -> String {
    let mut path = name.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_string();
    }
    let is_absolute = path.starts_with('/') || path.as_bytes().get(1) == Some(&b':');
    if is_absolute {
        if let Some(cwd) = std::env::current_dir()
            .ok()
            .and_then(|d| d.to_str().map(|d| d.replace('\\', "/")))
        {
            let cwd = cwd.trim_end_matches('/').to_string() + "/";
            if let Some(rest) = path.strip_prefix(&cwd) {
                return percent_encode(rest);
            }
        }
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        return format!("file://{}", percent_encode(&path));
    }
    percent_encode(&path)
}

fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

struct RuleEntry {
    id: &'static str,
    name: &'static str,
    summary: &'static str,
    docs: &'static str,
    severity: Severity,
    enabled: bool,
}

fn rule_entries() -> Vec<RuleEntry> {
    let mut rules: Vec<RuleEntry> = shoal::rules()
        .into_iter()
        .map(|r| RuleEntry {
            id: r.code,
            name: r.name,
            summary: r.summary,
            docs: r.docs,
            severity: r.severity,
            enabled: r.enabled_by_default,
        })
        .collect();
    rules.push(RuleEntry {
        id: shoal::PARSE_CODE,
        name: "parse-error",
        summary: "The file cannot be parsed",
        docs: "The file is not valid YAML. The other documents of the file are still checked.",
        severity: Severity::Error,
        enabled: true,
    });
    rules.push(RuleEntry {
        id: shoal::suppress::PRAGMA_CODE,
        name: "unknown-suppression-code",
        summary: "A suppression comment names no known rule code",
        docs: "A `# shoal-ignore` comment names a code that is not a shoal rule, so it silences nothing.",
        severity: Severity::Warning,
        enabled: true,
    });
    rules
}

fn result(
    finding: &Finding,
    report: &Report<'_>,
    positions: &Positions<'_>,
    rule_index: &HashMap<&str, usize>,
) -> Value {
    let uri = artifact_uri(&report.files[finding.file].name);
    let mut result = json!({
        "ruleId": finding.code,
        "level": level(finding.severity),
        "message": {"text": finding.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": region(positions.span(finding.file, finding.range)),
            }
        }],
        "properties": {"name": finding.name, "help": finding.help},
    });
    if let Some(index) = rule_index.get(finding.code) {
        result["ruleIndex"] = json!(index);
    }
    if let Some(fix) = &finding.fix {
        let safety = match fix.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        };
        result["fixes"] = json!([{
            "description": {"text": fix.title},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri},
                "replacements": fix.edits.iter().map(|e| json!({
                    "deletedRegion": region(positions.span(finding.file, e.range)),
                    "insertedContent": {"text": e.content},
                })).collect::<Vec<_>>(),
            }],
            "properties": {"applicability": safety},
        }]);
    }
    result
}

pub fn write(out: &mut dyn Write, report: &Report<'_>) -> io::Result<()> {
    let positions = Positions::new(report.files, ColumnEncoding::Utf16);
    let rules = rule_entries();
    let rule_index: HashMap<&str, usize> =
        rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let valid = |file: usize| file < report.files.len();
    let any_suppressed = !report.analysis.suppressed.is_empty();
    let mut results: Vec<Value> = Vec::new();
    for finding in report.analysis.findings.iter().filter(|f| valid(f.file)) {
        let mut r = result(finding, report, &positions, &rule_index);
        if any_suppressed {
            r["suppressions"] = json!([]);
        }
        results.push(r);
    }
    for suppressed in report
        .analysis
        .suppressed
        .iter()
        .filter(|s| valid(s.finding.file))
    {
        let mut r = result(&suppressed.finding, report, &positions, &rule_index);
        let mut suppression = json!({"kind": "inSource"});
        if let Some(reason) = &suppressed.reason {
            suppression["justification"] = json!(reason);
        }
        r["suppressions"] = json!([suppression]);
        results.push(r);
    }
    let driver_rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.docs, "markdown": r.docs},
                "help": {"text": r.docs, "markdown": r.docs},
                "defaultConfiguration": {"level": level(r.severity), "enabled": r.enabled},
            })
        })
        .collect();
    let artifacts: Vec<Value> = report
        .files
        .iter()
        .zip(&report.analysis.kinds)
        .map(|(f, kind)| {
            json!({
                "location": {"uri": artifact_uri(&f.name)},
                "length": f.text.len(),
                "sourceLanguage": match kind {
                    shoal::FileKind::Manifest => "yaml",
                    shoal::FileKind::Dockerfile => "dockerfile",
                },
            })
        })
        .collect();
    let document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "shoal",
                "version": shoal::VERSION,
                "semanticVersion": shoal::VERSION,
                "informationUri": INFORMATION_URI,
                "rules": driver_rules,
            }},
            "columnKind": "utf16CodeUnits",
            "artifacts": artifacts,
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(artifact_uri("./deploy/api.yaml"), "deploy/api.yaml");
        assert_eq!(artifact_uri("deploy\\api.yaml"), "deploy/api.yaml");
        assert_eq!(artifact_uri("my dir/Dockerfile"), "my%20dir/Dockerfile");
        assert_eq!(artifact_uri("<stdin>"), "%3Cstdin%3E");
        assert!(artifact_uri("/nonexistent-root/x.yaml").starts_with("file:///nonexistent-root/"));
    }
}
