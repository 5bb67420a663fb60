//! Span-preserving YAML tree.
