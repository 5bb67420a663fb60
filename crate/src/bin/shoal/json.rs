//! `--format json`: a stable, versioned document.
//!
//! ```json
//! {"version": 1, "findings": [{"code", "name", "severity", "file", "line", "column", "end_line",
//!   "end_column", "message", "help", "fix": null | {"title", "applicability", "edits": [{"file",
//!   "line", "column", "end_line", "end_column", "replacement"}]}, "object": {…}}],
//!  "suppressed": [{…the same fields…, "reason"}], "files": [{"file", "kind"}]}
//! ```
//!
//! Lines and columns are 1-based; columns count Unicode scalar values; ends are exclusive.

use std::io::{self, Write};

use serde::Serialize;
use shoal::{ColumnEncoding, FileKind, Finding, ObjectRef};

use crate::report::{Positions, Report};

/// Version of the JSON document's shape.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    shoal_version: &'static str,
    findings: Vec<JsonFinding<'a>>,
    suppressed: Vec<JsonSuppressed<'a>>,
    files: Vec<JsonFile<'a>>,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    kind: FileKind,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: &'a str,
    fix: Option<JsonFix<'a>>,
    object: &'a ObjectRef,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'a str,
}

fn finding<'a>(
    f: &'a Finding,
    report: &'a Report<'a>,
    positions: &Positions<'_>,
) -> JsonFinding<'a> {
    let file = report.files[f.file].name.as_str();
    let span = positions.span(f.file, f.range);
    JsonFinding {
        code: f.code,
        name: f.name,
        severity: f.severity.as_str(),
        file,
        line: span.start.line,
        column: span.start.column,
        end_line: span.end.line,
        end_column: span.end.column,
        message: &f.message,
        help: &f.help,
        fix: f.fix.as_ref().map(|fix| JsonFix {
            title: &fix.title,
            applicability: match fix.applicability {
                shoal::Applicability::Safe => "safe",
                shoal::Applicability::Unsafe => "unsafe",
            },
            edits: fix
                .edits
                .iter()
                .map(|e| {
                    let span = positions.span(f.file, e.range);
                    JsonEdit {
                        file,
                        line: span.start.line,
                        column: span.start.column,
                        end_line: span.end.line,
                        end_column: span.end.column,
                        replacement: &e.content,
                    }
                })
                .collect(),
        }),
        object: &f.object,
    }
}

pub fn write(out: &mut dyn Write, report: &Report<'_>) -> io::Result<()> {
    let positions = Positions::new(report.files, ColumnEncoding::Utf32);
    let valid = |file: usize| file < report.files.len();
    let document = Document {
        version: JSON_VERSION,
        shoal_version: shoal::VERSION,
        findings: report
            .analysis
            .findings
            .iter()
            .filter(|f| valid(f.file))
            .map(|f| finding(f, report, &positions))
            .collect(),
        suppressed: report
            .analysis
            .suppressed
            .iter()
            .filter(|s| valid(s.finding.file))
            .map(|s| JsonSuppressed {
                finding: finding(&s.finding, report, &positions),
                reason: s.reason.as_deref(),
            })
            .collect(),
        files: report
            .files
            .iter()
            .zip(&report.analysis.kinds)
            .map(|(f, kind)| JsonFile {
                file: &f.name,
                kind: *kind,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
    writeln!(out)
}
