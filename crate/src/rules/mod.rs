//! The rules. One file per rule, grouped by what they read:
//! `go/` (Go runtime vs container limits), `k8s/` (Kubernetes objects), `docker/` (Dockerfiles)
//! and `cross/` (a Dockerfile and a manifest together). [`crate::registry`] lists them all.
//!
//! A rule file holds a `static META: RuleMeta` (code, name, severity, docs), a unit struct that
//! implements [`Rule`], and its tests.

/// A rule's Markdown documentation, written in its file as `docs: rule_docs!(r#"..."#)`: the
/// text with the `docs` cargo feature (on by default: the CLI, the tests, `shoal explain`), `""`
/// without it. The wasm builds of the web app and the docs embed leave it out and load the docs
/// as a separate JSON asset (`crate/examples/docs_json.rs`, see docs/web.md "Rule docs").
#[cfg(feature = "docs")]
macro_rules! rule_docs {
    ($text:literal) => {
        $text
    };
}

/// Without the `docs` feature: every rule's documentation is `""` (see above).
#[cfg(not(feature = "docs"))]
macro_rules! rule_docs {
    ($text:literal) => {
        ""
    };
}

pub mod cross;
pub mod docker;
pub mod go;
pub mod k8s;

#[cfg(test)]
pub mod testing;

use crate::finding::{Finding, ObjectRef, Severity};
use crate::source::TextRange;
use crate::workspace::Workspace;

/// Static description of a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `GO001`. Never reused.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `gomemlimit-missing`.
    pub name: &'static str,
    /// Default severity (a rule may report some findings at another severity, as the catalog says).
    pub severity: Severity,
    /// Off-by-default rules run only when the configuration enables them.
    pub enabled_by_default: bool,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Default short help shown under each finding.
    pub help: &'static str,
    /// Whether the rule offers a machine-applicable fix.
    pub fix: FixAvailability,
    /// The rule's documentation in Markdown, with these sections: `## What it does`,
    /// `## Why it matters`, `## Example` (fenced blocks tagged `yaml bad`, `yaml good`,
    /// `dockerfile bad`, `dockerfile good`; the doc tests run them), optionally `## Fix safety`,
    /// and `## References`.
    pub docs: &'static str,
}

/// What a rule offers beyond the finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    /// A text edit that can be applied.
    Edit,
    /// The explanation shows the change; nothing is applied automatically.
    Advice,
    /// Nothing to fix (e.g. syntax errors).
    None,
}

/// A check. Implementations are unit structs registered in [`crate::registry`].
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Looks at the whole workspace and reports findings.
    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter);
}

/// Collects one rule's findings.
pub struct Reporter {
    meta: &'static RuleMeta,
    findings: Vec<Finding>,
}

impl Reporter {
    pub fn new(meta: &'static RuleMeta) -> Self {
        Self {
            meta,
            findings: Vec::new(),
        }
    }

    /// Reports a finding with the rule's default severity and help; the returned finding can be
    /// adjusted (`severity`, `help`, `fix`).
    pub fn report(
        &mut self,
        file: usize,
        range: TextRange,
        object: ObjectRef,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding {
            code: self.meta.code,
            name: self.meta.name,
            severity: self.meta.severity,
            file,
            range,
            message: message.into(),
            help: std::borrow::Cow::Borrowed(self.meta.help),
            object,
            fix: None,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
