//! What the engine reports: findings, their fixes and the text edits that make up a fix.

use std::borrow::Cow;

use crate::source::TextRange;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
#[cfg_attr(feature = "cli", serde(rename_all = "lowercase"))]
pub enum Severity {
    /// Advice.
    Info,
    /// A likely production problem.
    Warning,
    /// The workload will break or be rejected.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "info" | "note" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a fix can be applied without a human looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
#[cfg_attr(feature = "cli", serde(rename_all = "lowercase"))]
pub enum Applicability {
    /// Keeps the meaning the author intended; applied by "apply all safe fixes" and `--fix`.
    Safe,
    /// Changes behaviour in a way that may need review (e.g. a read-only root filesystem).
    Unsafe,
}

/// Replace `range` of the original text with `content`. An empty range inserts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn replace(range: TextRange, content: impl Into<String>) -> Self {
        Self {
            range,
            content: content.into(),
        }
    }

    pub fn insert(offset: usize, content: impl Into<String>) -> Self {
        Self::replace(TextRange::empty(offset), content)
    }

    pub fn delete(range: TextRange) -> Self {
        Self::replace(range, "")
    }
}

/// A machine-applicable change: non-overlapping edits on one file's original text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Unsafe, edits)
    }

    fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        Self {
            title: title.into(),
            applicability,
            edits,
        }
    }

    /// The smallest range covering every edit.
    pub fn range(&self) -> Option<TextRange> {
        let first = self.edits.first()?.range;
        Some(self.edits.iter().fold(first, |acc, e| acc.cover(e.range)))
    }
}

/// The Kubernetes object (or Dockerfile) a finding belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct ObjectRef {
    /// 0-based index of the YAML document in its file (0 for Dockerfiles).
    pub document: usize,
    /// `Deployment`, `Service`, … or `Dockerfile`.
    pub kind: Box<str>,
    pub namespace: Option<Box<str>>,
    pub name: Option<Box<str>>,
    /// The container the finding is about, when there is one.
    pub container: Option<Box<str>>,
}

/// One problem found in one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
pub struct Finding {
    /// Stable rule code, e.g. `GO001`, or `PARSE`.
    pub code: &'static str,
    /// Stable rule name, e.g. `gomemlimit-missing`.
    pub name: &'static str,
    pub severity: Severity,
    /// Index of the file in the input to [`crate::analyze`].
    pub file: usize,
    /// Where the finding is reported (the span underlined).
    pub range: TextRange,
    /// What is wrong here, naming the container, the value and the consequence.
    pub message: String,
    /// A short hint on what to do.
    pub help: Cow<'static, str>,
    pub object: ObjectRef,
    pub fix: Option<Fix>,
}
