//! Span-preserving YAML: a tree whose every node knows its byte range, with comments kept,
//! duplicate keys kept, aliases expanded under a cap, and scalars typed as Kubernetes reads them.

pub mod edit;
mod parse;
mod scan;
pub mod scalar;
mod tree;

pub use parse::{parse, MAX_ALIAS_NODES, MAX_NESTING};
pub use tree::{
    Comment, Document, Entry, Mapping, Node, Scalar, ScalarStyle, Sequence, Value, YamlError,
    YamlFile,
};

#[cfg(test)]
mod differential_tests;
#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;
