//! Our YAML parser against `granit-parser`, the parser it replaced, both feeding the same tree
//! builder (the oracle of `crate/src/yaml/differential_tests.rs`, compiled here from the same
//! file): on input both accept the trees are identical, and the same documents fail.
#![no_main]
use libfuzzer_sys::fuzz_target;

/// The paths the oracle file uses (`crate::source`, `crate::yaml`).
mod source {
    pub use shoal::source::*;
}
mod yaml {
    pub use shoal::yaml::*;
}
#[path = "../../crate/src/yaml/oracle.rs"]
mod oracle;

fn summary(file: &shoal::yaml::YamlFile) -> (Vec<Option<&shoal::yaml::Document>>, bool) {
    let docs = file
        .documents
        .iter()
        .map(|d| d.root.is_some().then_some(d))
        .collect();
    (docs, file.errors.is_empty())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ours = shoal::yaml::parse(text);
    let theirs = oracle::parse(text);
    if ours == theirs {
        return;
    }
    let same = summary(&ours) == summary(&theirs)
        && (!ours.errors.is_empty() || ours.comments == theirs.comments);
    assert!(same, "input {text:?}\nours {ours:#?}\ngranit {theirs:#?}");
});
