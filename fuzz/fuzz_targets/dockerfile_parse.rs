//! The Dockerfile parser never panics, and every range it returns is inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let df = shoal::dockerfile::parse(text);
    for instruction in &df.instructions {
        assert!(text.get(instruction.range.start()..instruction.range.end()).is_some());
    }
});
