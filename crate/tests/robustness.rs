//! Bad input never panics, hangs or loses text: property tests over arbitrary and
//! manifest-like inputs for `analyze` and `fix_all`, plus the pathological inputs the engine
//! promises to survive.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use shoal::{analyze, fix_all, Config, SourceFile};

const MANIFEST: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api
        ports:
        - containerPort: 8080
        resources:
          limits:
            cpu: 250m
            memory: 400Mi
        livenessProbe:
          httpGet: {path: /healthz, port: 8080}
        readinessProbe:
          httpGet: {path: /healthz, port: 8080}
";

const DOCKERFILE: &str = "FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /app .
FROM scratch
COPY --from=build /app /app
ENTRYPOINT /app
";

fn check_all_ranges(files: &[SourceFile]) {
    let analysis = analyze(files, &Config::default());
    for finding in &analysis.findings {
        let text = &files[finding.file].text;
        assert!(finding.range.start() <= finding.range.end(), "{finding:?}");
        assert!(finding.range.end() <= text.len(), "{finding:?}");
        assert!(text.is_char_boundary(finding.range.start()), "{finding:?}");
        assert!(text.is_char_boundary(finding.range.end()), "{finding:?}");
        if let Some(fix) = &finding.fix {
            for edit in &fix.edits {
                assert!(
                    edit.range.end() <= text.len() && text.is_char_boundary(edit.range.start())
                );
            }
        }
    }
}

/// Mutates a valid input: deletes, duplicates or inserts characters at a position.
fn mutate(base: &str, at: usize, op: u8, insert: &str) -> String {
    let mut at = at % (base.len() + 1);
    while !base.is_char_boundary(at) {
        at -= 1;
    }
    let mut out = base[..at].to_string();
    match op % 4 {
        0 => out.push_str(insert),
        1 => {
            let rest = &base[at..];
            let skip = rest.char_indices().nth(3).map_or(rest.len(), |(i, _)| i);
            out.push_str(&rest[skip..]);
            return out;
        }
        2 => out.push_str("\n  - &a [*a]\n"),
        _ => out.push_str(":\t{[\"'#|>-"),
    }
    out.push_str(&base[at..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_all_ranges(&[SourceFile::new("x.yaml", text.clone())]);
        check_all_ranges(&[SourceFile::new("Dockerfile", text)]);
    }

    #[test]
    fn mutated_inputs_never_panic_and_fixes_reparse(
        at in 0usize..2000, op in any::<u8>(), insert in "[ -~\n\t]{0,12}"
    ) {
        let manifest = mutate(MANIFEST, at, op, &insert);
        let dockerfile = mutate(DOCKERFILE, at, op, &insert);
        let files = vec![
            SourceFile::new("api/deploy.yaml", manifest),
            SourceFile::new("api/Dockerfile", dockerfile),
        ];
        check_all_ranges(&files);
        let fixed = fix_all(&files, &Config::default(), true);
        prop_assert_eq!(fixed.len(), 2);
        let before = analyze(&files, &Config::default());
        let after = analyze(
            &fixed.iter().map(|f| SourceFile::new(f.name.clone(), f.text.clone())).collect::<Vec<_>>(),
            &Config::default(),
        );
        let parse = |a: &shoal::Analysis| a.findings.iter().filter(|f| f.code == "PARSE" || f.code == "DF016").count();
        prop_assert!(parse(&after) <= parse(&before), "fixes broke parsing");
    }
}

fn timed(label: &str, limit: Duration, f: impl FnOnce()) {
    let started = Instant::now();
    f();
    assert!(
        started.elapsed() < limit,
        "{label} took {:?}",
        started.elapsed()
    );
}

#[test]
fn pathological_inputs() {
    let limit = Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 10 });
    let deep_flow = format!("a: {}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_map = format!("a: {}1{}", "{k: ".repeat(10_000), "}".repeat(10_000));
    let long_line = format!(
        "# {}\nkind: Pod\nmetadata: {{name: {}}}\n",
        "x".repeat(100_000),
        "n".repeat(100_000)
    );
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    let binary: String =
        String::from_utf8_lossy(&(0..=255u8).cycle().take(50_000).collect::<Vec<_>>()).into_owned();
    let big = MANIFEST
        .replace("name: api", "name: api-x")
        .repeat(200)
        .replace("apiVersion", "---\napiVersion");
    for (label, text) in [
        ("deep flow sequences", deep_flow),
        ("deep flow mappings", deep_map),
        ("100 KB lines", long_line),
        ("alias bomb", bomb),
        ("binary junk", binary),
        ("empty", String::new()),
        ("many documents", big),
    ] {
        timed(label, limit, || {
            let files = [
                SourceFile::new("in.yaml", text.clone()),
                SourceFile::new("Dockerfile", text.clone()),
            ];
            check_all_ranges(&files);
        });
    }
}

#[test]
fn alias_bomb_is_reported_at_its_position() {
    let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bomb.push_str("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n");
    let analysis = analyze(
        &[SourceFile::new("bomb.yaml", bomb.clone())],
        &Config::default(),
    );
    let parse: Vec<_> = analysis
        .findings
        .iter()
        .filter(|f| f.code == "PARSE")
        .collect();
    assert_eq!(parse.len(), 1, "{:#?}", analysis.findings);
    assert!(parse[0].message.contains("alias"));
    assert!(bomb[parse[0].range.start()..].starts_with('*'));
    // The document after the bomb is still analysed.
    assert!(analysis.findings.iter().any(|f| f.code == "KS105"));
}
