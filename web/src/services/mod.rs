//! Browser-only code (the analysis worker, the rule docs, storage, the URL, files and the
//! clipboard) and the exporters. Only `export` is plain Rust; the rest call browser APIs.

pub mod analyzer;
pub mod deflate;
pub mod docs;
pub mod export;
pub mod files;
pub mod location;
pub mod storage;
