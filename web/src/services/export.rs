//! Exports the findings as the CLI's JSON, SARIF 2.1.0 and Markdown (for a pull request
//! comment). Columns are UTF-16 code units, as the browser counts them.

use shoal::json::{Map, Value};
use shoal::object;
use shoal::{ColumnEncoding, LineIndex, Severity};

use super::docs::Docs;
use crate::model::{FileDoc, UiFinding};

/// JSON in the CLI's shape (`{"version": 1, "findings": [...]}`).
pub fn to_json(files: &[FileDoc], findings: &[UiFinding]) -> String {
    let indexes = Indexes::new(files);
    let findings: Vec<Value> = findings
        .iter()
        .map(|f| {
            let name = file_name(files, f.file);
            object! {
                "code" => &*f.code,
                "name" => &*f.name,
                "severity" => f.severity.as_str(),
                "file" => name,
                "line" => f.line,
                "column" => f.column,
                "end_line" => f.end_line,
                "end_column" => f.end_column,
                "message" => &*f.message,
                "help" => &*f.help,
                "fix" => f.fix.as_ref().map(|fix| object! {
                    "title" => &*fix.title,
                    "applicability" => if fix.safe { "safe" } else { "unsafe" },
                    "edits" => fix.edits.iter().map(|(s, e, r)| {
                        let (start, end) = indexes.span(files, f.file, *s, *e);
                        object! {
                            "file" => name,
                            "line" => start.0, "column" => start.1,
                            "end_line" => end.0, "end_column" => end.1,
                            "replacement" => r,
                        }
                    }).collect::<Vec<_>>(),
                }),
            }
        })
        .collect();
    pretty(object! { "version" => 1u64, "findings" => findings })
}

/// SARIF 2.1.0, one run, rules listed with the findings that use them. Each rule's `help` is its
/// Markdown docs from `docs` (the app loads them first, [`super::docs`]); without them, or for a
/// rule they lack, its summary.
pub fn to_sarif(files: &[FileDoc], findings: &[UiFinding], docs: Option<&Docs>) -> String {
    let indexes = Indexes::new(files);
    let mut rule_ids: Vec<&str> = findings.iter().map(|f| &*f.code).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|code| {
            let info = shoal::explain(code);
            let summary = info.map_or("", |i| i.summary);
            let help = docs
                .and_then(|d| d.get(*code))
                .map_or(summary, String::as_str);
            let name = findings
                .iter()
                .find(|f| &*f.code == *code)
                .map(|f| &*f.name);
            let level = level(info.map_or(Severity::Error, |i| i.severity));
            object! {
                "id" => *code,
                "name" => name,
                "shortDescription" => object! { "text" => summary },
                "fullDescription" => object! { "text" => summary },
                "help" => object! { "text" => help, "markdown" => help },
                "defaultConfiguration" => object! { "level" => level },
            }
        })
        .collect();
    let region = |file: usize, s: usize, e: usize| {
        let (start, end) = indexes.span(files, file, s, e);
        object! {
            "startLine" => start.0,
            "startColumn" => start.1,
            "endLine" => end.0,
            "endColumn" => end.1,
        }
    };
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let uri = file_name(files, f.file);
            let location = object! {
                "physicalLocation" => object! {
                    "artifactLocation" => object! { "uri" => uri },
                    "region" => region(f.file, f.start, f.end),
                },
            };
            let mut result = Map::default();
            result.insert("ruleId", &*f.code);
            result.insert("ruleIndex", rule_ids.iter().position(|c| *c == &*f.code));
            result.insert("level", level(f.severity));
            result.insert(
                "message",
                object! { "text" => format!("{} ({})", f.message, f.help) },
            );
            result.insert("locations", vec![location]);
            if let Some(fix) = &f.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|(s, e, r)| {
                        object! {
                            "deletedRegion" => region(f.file, *s, *e),
                            "insertedContent" => object! { "text" => r },
                        }
                    })
                    .collect();
                let change = object! {
                    "artifactLocation" => object! { "uri" => uri },
                    "replacements" => replacements,
                };
                let fix = object! {
                    "description" => object! { "text" => &*fix.title },
                    "artifactChanges" => vec![change],
                };
                result.insert("fixes", vec![fix]);
            }
            Value::Object(result)
        })
        .collect();
    let driver = object! { "name" => "shoal", "version" => shoal::VERSION, "rules" => rules };
    let run = object! {
        "tool" => object! { "driver" => driver },
        "columnKind" => "utf16CodeUnits",
        "results" => results,
    };
    pretty(object! { "version" => "2.1.0", "runs" => vec![run] })
}

/// Markdown for a pull-request comment: a summary line and a table per file.
pub fn to_markdown(files: &[FileDoc], findings: &[UiFinding]) -> String {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let mut out = format!(
        "### shoal: {} finding{} ({} error, {} warning, {} info)\n",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    for (index, file) in files.iter().enumerate() {
        let mine: Vec<&UiFinding> = findings.iter().filter(|f| f.file == index).collect();
        if mine.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n#### `{}`\n\n",
            cell(&file.name).replace('`', "'")
        ));
        out.push_str("| Severity | Line | Rule | Finding |\n|---|---:|---|---|\n");
        for f in mine {
            out.push_str(&format!(
                "| {} | {} | {} `{}` | {}{} |\n",
                f.severity,
                f.line,
                f.code,
                f.name,
                cell(&f.message),
                if f.fix.is_some() {
                    " _(fix available)_"
                } else {
                    ""
                },
            ));
        }
    }
    if findings.is_empty() {
        out.push_str("\nNo findings.\n");
    }
    out
}

/// Text for a Markdown table cell: one line, pipes escaped, no HTML.
fn cell(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn file_name(files: &[FileDoc], index: usize) -> &str {
    files.get(index).map_or("", |f| f.name.as_str())
}

/// Indented JSON with every object's keys in alphabetical order, as serde_json wrote the
/// exports before (its `json!` objects were sorted maps).
fn pretty(mut value: Value) -> String {
    fn sort(value: &mut Value) {
        match value {
            Value::Array(items) => items.iter_mut().for_each(sort),
            Value::Object(members) => {
                members.0.sort_by(|a, b| a.0.cmp(&b.0));
                members.0.iter_mut().for_each(|(_, v)| sort(v));
            }
            _ => {}
        }
    }
    sort(&mut value);
    value.to_pretty() + "\n"
}

/// Line indexes of the files, for edit positions.
struct Indexes(Vec<LineIndex>);

impl Indexes {
    fn new(files: &[FileDoc]) -> Self {
        Self(files.iter().map(|f| LineIndex::new(&f.text)).collect())
    }

    /// 1-based (line, UTF-16 column) of a byte range's ends.
    fn span(
        &self,
        files: &[FileDoc],
        file: usize,
        start: usize,
        end: usize,
    ) -> ((usize, usize), (usize, usize)) {
        let (Some(index), Some(doc)) = (self.0.get(file), files.get(file)) else {
            return ((1, 1), (1, 1));
        };
        let at = |o: usize| {
            let p = index.line_col(&doc.text, o, ColumnEncoding::Utf16);
            (p.line, p.column)
        };
        (at(start), at(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{analyze, only, Request, UiFix};
    use serde_json::Value;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a # é😀 <b>|</b>\n    image: ghcr.io/acme/api:latest\n";

    fn sample() -> (Vec<FileDoc>, Vec<UiFinding>) {
        let files = vec![FileDoc {
            name: "pod.yaml".into(),
            text: POD.into(),
        }];
        let request = Request {
            generation: 1,
            ids: vec![1],
            files: files.clone(),
            settings: only(&["KS105"]),
            pairs: Vec::new(),
        };
        let mut findings = analyze(&request).findings;
        let at = POD.find("latest").unwrap();
        findings[0].fix = Some(UiFix {
            title: "pin".into(),
            safe: true,
            edits: vec![(at, at + 6, "1.2".into())],
        });
        findings[0].message = format!("{} | <img src=x>", findings[0].message).into();
        (files, findings)
    }

    #[test]
    fn json_has_the_cli_shape() {
        let (files, findings) = sample();
        let value: Value = serde_json::from_str(&to_json(&files, &findings)).unwrap();
        assert_eq!(value["version"], 1);
        let f = &value["findings"][0];
        assert_eq!(f["code"], "KS105");
        assert_eq!(f["file"], "pod.yaml");
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(7), Some(12))
        );
        assert_eq!(f["fix"]["applicability"], "safe");
        let edit = &f["fix"]["edits"][0];
        assert_eq!(
            (edit["line"].as_u64(), edit["column"].as_u64()),
            (Some(7), Some(29))
        );
        assert_eq!(edit["end_column"].as_u64(), Some(35));
        assert_eq!(edit["replacement"], "1.2");
    }

    #[test]
    fn sarif_lists_rules_results_and_fixes() {
        let (files, findings) = sample();
        let docs = Docs::from([("KS105".to_string(), "## What it does\n".to_string())]);
        let value: Value = serde_json::from_str(&to_sarif(&files, &findings, Some(&docs))).unwrap();
        assert_eq!(value["version"], "2.1.0");
        let run = &value["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "KS105");
        assert_eq!(
            run["tool"]["driver"]["rules"][0]["help"]["markdown"],
            "## What it does\n"
        );
        let without: Value = serde_json::from_str(&to_sarif(&files, &findings, None)).unwrap();
        let summary = shoal::explain("KS105").unwrap().summary;
        assert_eq!(
            without["runs"][0]["tool"]["driver"]["rules"][0]["help"]["text"],
            summary
        );
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        let result = &run["results"][0];
        assert_eq!(result["level"], "warning");
        assert_eq!(result["ruleIndex"], 0);
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 7);
        assert_eq!(
            result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
            "1.2"
        );
    }

    #[test]
    fn markdown_is_one_table_per_file_without_html() {
        let (files, findings) = sample();
        let md = to_markdown(&files, &findings);
        assert!(md.starts_with("### shoal: 1 finding (0 error, 1 warning, 0 info)"));
        assert!(md.contains("#### `pod.yaml`"));
        assert!(md.contains("| warning | 7 | KS105 `image-tag-latest` |"));
        assert!(md.contains("\\| &lt;img src=x&gt;"));
        assert!(md.contains("_(fix available)_"));
        assert!(to_markdown(&files, &[]).contains("No findings."));
    }

    #[test]
    fn exports_are_serde_jsons_pretty_output() {
        let (files, findings) = sample();
        let docs = Docs::from([("KS105".to_string(), "## What it does\n".to_string())]);
        for text in [
            to_json(&files, &findings),
            to_json(&files, &[]),
            to_sarif(&files, &findings, Some(&docs)),
            to_sarif(&files, &findings, None),
        ] {
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(text, serde_json::to_string_pretty(&value).unwrap() + "\n");
        }
    }
}
