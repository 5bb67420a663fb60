//! The YAML parser never panics, and every range it returns is inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = shoal::yaml::parse(text);
    for error in &file.errors {
        assert!(error.range.end() <= text.len());
    }
    for comment in &file.comments {
        assert!(text.get(comment.range.start()..comment.range.end()).is_some());
    }
});
