//! shoal: finds the hidden pitfalls of running Go services on Kubernetes.
//!
//! The whole public API is a handful of functions:
//! - [`analyze`] checks a set of files (Kubernetes manifests and Dockerfiles) and returns findings;
//! - [`apply_fixes`] applies chosen fixes to a file's text; [`fix_all`] applies every safe (or
//!   also unsafe) fix repeatedly until nothing changes;
//! - [`rules`] lists every rule and [`explain`] returns one rule's documentation.
//!
//! Positions are byte ranges ([`TextRange`]); turn them into line/column with [`LineIndex`].
//!
//! ```
//! use shoal::{analyze, Config, SourceFile};
//! let manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n    resources:\n      limits: {memory: 400Mi}\n";
//! let analysis = analyze(&[SourceFile::new("pod.yaml", manifest)], &Config::default());
//! assert!(analysis.findings.iter().any(|f| f.code == "GO001"));
//! ```

#![forbid(unsafe_code)]

pub mod config;
pub mod dockerfile;
pub mod finding;
pub mod fixes;
pub mod goversion;
pub mod image;
pub mod json;
pub mod k8s;
pub mod registry;
pub mod rules;
pub mod source;
pub mod suppress;
#[cfg(feature = "wasm-api")]
pub mod wasm;
pub mod workspace;
pub mod yaml;

pub use config::Config;
pub use finding::{Applicability, Edit, Finding, Fix, ObjectRef, Severity};
pub use fixes::{apply_fixes, fix_all, FixedFile};
pub use rules::{FixAvailability, Rule, RuleMeta};
pub use source::{ColumnEncoding, LineCol, LineIndex, TextRange};
pub use suppress::Suppressed;
pub use workspace::{detect_kind, FileKind, SourceFile};

use rules::Reporter;
use suppress::FilePragmas;
use workspace::{Content, ParsedFile, Workspace};

/// Code of the finding for input that cannot be parsed.
pub const PARSE_CODE: &str = "PARSE";

/// The engine and rule-set version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The result of [`analyze`].
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Analysis {
    /// Findings sorted by file, then position, then code.
    pub findings: Vec<Finding>,
    /// Findings silenced by `# shoal-ignore` comments.
    pub suppressed: Vec<Suppressed>,
    /// What each input file was read as.
    pub kinds: Vec<FileKind>,
}

/// Checks the files together: manifests against the rules, Dockerfiles against theirs, and
/// paired Dockerfiles against the containers that run their image.
pub fn analyze(files: &[SourceFile], config: &Config) -> Analysis {
    let parsed: Vec<ParsedFile> = files.iter().map(ParsedFile::parse).collect();
    analyze_parsed(&parsed, config)
}

fn analyze_parsed(parsed: &[ParsedFile<'_>], config: &Config) -> Analysis {
    let ws = Workspace::new(parsed, config);
    let mut findings = parse_findings(parsed);
    for rule in registry::all() {
        let meta = rule.meta();
        if !config.enabled(meta.code, meta.enabled_by_default) {
            continue;
        }
        let mut reporter = Reporter::new(meta);
        rule.check(&ws, &mut reporter);
        let mut found = reporter.into_findings();
        if let Some(severity) = config.severity(meta.code) {
            found.iter_mut().for_each(|f| f.severity = severity);
        }
        findings.extend(found);
    }
    // One buffer of findings throughout: suppressions move findings out of it in place.
    let mut analysis = Analysis {
        kinds: parsed.iter().map(ParsedFile::kind).collect(),
        ..Analysis::default()
    };
    let known = |code: &str| code == PARSE_CODE || registry::find(code).is_some();
    let pragmas: Vec<Option<FilePragmas>> = parsed.iter().map(FilePragmas::read).collect();
    for (index, file_pragmas) in pragmas.iter().enumerate() {
        if let Some(file_pragmas) = file_pragmas {
            findings.extend(file_pragmas.bad_pragmas(index, known));
        }
    }
    findings.retain(|finding| finding.file < parsed.len());
    // A cached key sorts (key, index) pairs: stable, and no scratch copy of the findings.
    findings.sort_by_cached_key(|f| (f.file, f.range.start(), f.code, f.range.end()));
    findings.dedup();
    if pragmas.iter().any(Option::is_some) {
        findings.retain(|finding| {
            if finding.code == suppress::PRAGMA_CODE {
                return true;
            }
            let pragma = pragmas
                .get(finding.file)
                .and_then(Option::as_ref)
                .and_then(|p| p.silencing(finding));
            match pragma {
                None => true,
                Some(pragma) => {
                    analysis.suppressed.push(Suppressed {
                        finding: finding.clone(),
                        reason: pragma.reason.clone(),
                        pragma: pragma.range,
                    });
                    false
                }
            }
        });
    }
    analysis.findings = findings;
    analysis
}

fn parse_findings(parsed: &[ParsedFile<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (index, file) in parsed.iter().enumerate() {
        if let Content::Yaml(yaml) = &file.content {
            for error in &yaml.errors {
                let document = yaml
                    .documents
                    .iter()
                    .find(|d| {
                        d.range.start() <= error.range.start()
                            && error.range.start() <= d.range.end()
                    })
                    .map_or(0, |d| d.index);
                out.push(Finding {
                    code: PARSE_CODE,
                    name: "parse-error",
                    severity: Severity::Error,
                    file: index,
                    range: error.range,
                    message: format!("YAML cannot be parsed: {}", error.message),
                    help: "fix the syntax; the other documents were still checked".into(),
                    object: ObjectRef {
                        document,
                        ..ObjectRef::default()
                    },
                    fix: None,
                });
            }
        }
    }
    out
}

/// Static information about a rule, for listings and documentation pages.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub enabled_by_default: bool,
    pub summary: &'static str,
    pub fixable: bool,
    /// The rule's documentation (Markdown).
    pub docs: &'static str,
}

impl From<&'static RuleMeta> for RuleInfo {
    fn from(meta: &'static RuleMeta) -> Self {
        RuleInfo {
            code: meta.code,
            name: meta.name,
            severity: meta.severity,
            enabled_by_default: meta.enabled_by_default,
            summary: meta.summary,
            fixable: meta.fix == FixAvailability::Edit,
            docs: meta.docs,
        }
    }
}

/// Every rule, in catalog order.
pub fn rules() -> Vec<RuleInfo> {
    registry::all().map(|r| RuleInfo::from(r.meta())).collect()
}

/// The documentation of the rule with this code or name (case-insensitive).
pub fn explain(code_or_name: &str) -> Option<RuleInfo> {
    registry::all()
        .map(Rule::meta)
        .find(|m| {
            m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
        })
        .map(RuleInfo::from)
}
