//! shoal: finds the hidden pitfalls of running Go services on Kubernetes.
//!
//! The whole public API is a handful of functions:
//! - [`analyze`] checks a set of files (Kubernetes manifests and Dockerfiles) and returns findings;
//! - [`apply_fixes`] applies chosen fixes to a file's text; [`fix_all`] applies every safe (or
//!   unsafe) fix repeatedly until nothing changes;
//! - [`rules`] lists every rule and [`explain`] returns a rule's documentation.
//!
//! Positions are byte ranges ([`TextRange`]); turn them into line/column with [`LineIndex`].

pub mod config;
pub mod dockerfile;
pub mod finding;
pub mod goversion;
pub mod image;
pub mod k8s;
pub mod source;
pub mod yaml;

pub use config::Config;
pub use finding::{Applicability, Edit, Finding, Fix, ObjectRef, Severity};
pub use source::{ColumnEncoding, LineCol, LineIndex, TextRange};
