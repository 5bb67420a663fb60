//! Prints every rule's Markdown docs as one JSON document, the asset that the wasm builds
//! without the `docs` feature load when a reader opens an explanation or a rule page:
//!
//! ```json
//! {"version": "0.1.0", "rules": {"GO001": "## What it does\n…", …}}
//! ```
//!
//! `version` is the engine's version (`shoal::VERSION`). Run natively, with the default
//! features (which include `docs`): `cargo run -q -p shoal --example docs_json > docs.json`.
//! scripts/build-web.sh and scripts/build-embed.sh do.

use std::io::Write;

fn main() {
    let rules: serde_json::Map<String, serde_json::Value> = shoal::rules()
        .into_iter()
        .map(|r| (r.code.to_string(), r.docs.into()))
        .collect();
    assert!(
        rules
            .values()
            .all(|d| d.as_str().is_some_and(|d| !d.is_empty())),
        "built without the `docs` feature: every rule's docs are empty"
    );
    let doc = serde_json::json!({ "version": shoal::VERSION, "rules": rules });
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &doc).expect("stdout");
    writeln!(out).expect("stdout");
}
