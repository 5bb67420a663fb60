//! Span-preserving YAML: a tree whose every node knows its byte range, with comments kept,
//! duplicate keys kept, aliases expanded under a cap, and scalars typed as Kubernetes reads them.
//!
//! - [`scan`]: our YAML 1.2 reader (scanner and event parser), no dependency;
//! - [`parse`](fn@parse): builds the tree ([`tree`]) from its events, finds comments;
//! - [`scalar`]: YAML 1.1 typing of plain scalars; [`edit`]: text edits for fixes.
//!
//! Test builds keep the previous parser, `granit-parser`, as an oracle: `differential_tests`
//! checks that both build the same trees on the repository's YAML, a corpus of tricky YAML and
//! generated inputs (`fuzz/fuzz_targets/yaml_differential.rs` does the same under libFuzzer).

pub mod edit;
mod parse;
pub mod scalar;
mod scan;
mod tree;

pub use parse::{parse, MAX_ALIAS_NODES, MAX_NESTING};
pub use tree::{
    Comment, Document, Entry, Mapping, Node, Scalar, ScalarStyle, Sequence, Value, YamlError,
    YamlFile,
};

/// The tree builder and the parser's events, for the differential oracle
/// (`oracle.rs`, also compiled into `fuzz/fuzz_targets/yaml_differential.rs`). Not an API.
#[doc(hidden)]
pub mod internals {
    pub use super::parse::Builder;
    pub use super::scan::{Event, Style};
}

#[cfg(test)]
mod differential_tests;
#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;
