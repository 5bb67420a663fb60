//! analyze + fix_all never panic; fixes never make a file fail to parse where it parsed before.
//! The input is split into a manifest and a Dockerfile at the first NUL byte.
#![no_main]
use libfuzzer_sys::fuzz_target;
use shoal::{analyze, fix_all, Config, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (manifest, dockerfile) = text.split_once('\0').unwrap_or((text, ""));
    let files = [
        SourceFile::new("api/deploy.yaml", manifest),
        SourceFile::new("api/Dockerfile", dockerfile),
    ];
    let config = Config::default();
    let before = analyze(&files, &config);
    let fixed = fix_all(&files, &config, true);
    let after: Vec<SourceFile> = fixed.into_iter().map(|f| SourceFile::new(f.name, f.text)).collect();
    let errors = |a: &shoal::Analysis| a.findings.iter().filter(|f| f.code == "PARSE" || f.code == "DF016").count();
    assert!(errors(&analyze(&after, &config)) <= errors(&before));
});
