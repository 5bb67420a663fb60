//! Differential tests: our parser ([`super::parse`]) against the `granit-parser`-based builder
//! it replaced ([`super::oracle`]), which stays a dev-dependency for this purpose only.
//!
//! On input both accept, the trees must be identical (values, styles, tags, ranges,
//! `via_alias`, document ranges, comments). On input the oracle rejects, the same documents
//! must fail (error messages and positions are ours). Inputs: a corpus of tricky YAML
//! ([`CORPUS`]), every YAML snippet of the rule docs and `static/examples/`, every string
//! literal of the crate's sources and tests, and generated/mutated inputs (proptest).
//!
//! Known differences, where the oracle is wrong by the YAML 1.2 spec, are listed in
//! [`KNOWN_DIFFERENCES`]; there are none at the moment.
//!
//! Run against the official yaml-test-suite (not committed) with
//! `SHOAL_YAML_TEST_SUITE=/path/to/yaml-test-suite cargo test -p shoal yaml_test_suite -- --ignored --nocapture`
//! (a checkout of its `data` branch). Last run, 2026-11-23: all 706 `in.yaml`/`out.yaml`/
//! `emit.yaml` files of its 402 cases agree (91 rejected by both parsers).

use proptest::prelude::*;

use super::tree::{Document, YamlFile};
use super::{oracle, parse};

/// Inputs on which the parsers are known to differ, with the reason.
pub const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

/// What must agree: the documents that parsed, which failed, and the comments.
fn summary(file: &YamlFile) -> (Vec<Option<&Document>>, usize) {
    let docs = file
        .documents
        .iter()
        .map(|d| d.root.is_some().then_some(d))
        .collect();
    (docs, file.errors.len())
}

/// `Err` with a readable account of the first difference.
pub fn compare(text: &str) -> Result<(), String> {
    let ours = parse(text);
    let theirs = oracle::parse(text);
    if ours == theirs {
        return Ok(());
    }
    let (our_docs, our_errors) = summary(&ours);
    let (their_docs, their_errors) = summary(&theirs);
    if our_docs == their_docs
        && (our_errors == 0) == (their_errors == 0)
        && (our_errors == 0 || our_errors == their_errors)
        && (our_errors > 0 || ours.comments == theirs.comments)
    {
        return Ok(());
    }
    let a = format!("{ours:#?}");
    let b = format!("{theirs:#?}");
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(0);
    let window = |s: &str| {
        s.lines()
            .skip(line.saturating_sub(12))
            .take(24)
            .collect::<Vec<_>>()
            .join("\n")
    };
    Err(format!(
        "input {text:?}\n--- ours (errors {:?})\n{}\n--- granit (errors {:?})\n{}",
        ours.errors,
        window(&a),
        theirs.errors,
        window(&b)
    ))
}

fn check_all<'a>(inputs: impl IntoIterator<Item = &'a str>) -> (usize, Vec<String>) {
    let mut count = 0;
    let mut failures = Vec::new();
    for text in inputs {
        count += 1;
        if KNOWN_DIFFERENCES.iter().any(|(t, _)| *t == text) {
            continue;
        }
        if let Err(e) = compare(text) {
            failures.push(e);
        }
    }
    (count, failures)
}

fn assert_all<'a>(what: &str, inputs: impl IntoIterator<Item = &'a str>) {
    let (count, failures) = check_all(inputs);
    assert!(
        failures.is_empty(),
        "{} of {count} {what} differ; first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

#[test]
fn corpus_agrees() {
    assert_all("corpus inputs", CORPUS.iter().copied());
}

#[test]
fn corpus_with_crlf_agrees() {
    let crlf: Vec<String> = CORPUS.iter().map(|t| t.replace('\n', "\r\n")).collect();
    assert_all("CRLF corpus inputs", crlf.iter().map(String::as_str));
}

#[test]
fn every_prefix_of_the_corpus_agrees() {
    let mut cuts = Vec::new();
    for text in CORPUS {
        for (i, _) in text.char_indices() {
            cuts.push(&text[..i]);
        }
    }
    assert_all("corpus prefixes", cuts);
}

fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `roots`, recursively, not following symbolic links (the yaml-test-suite's
/// `tags/` and `name/` folders link to its cases).
fn files_under(roots: Vec<std::path::PathBuf>) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = roots;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_symlink()) {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// The ```yaml blocks of a Markdown text.
fn yaml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        let fence = line.trim_start();
        match current.as_mut() {
            None if fence.starts_with("```yaml") || fence.starts_with("```yml") => {
                current = Some(String::new());
            }
            Some(_) if fence.starts_with("```") => blocks.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn rule_docs_and_examples_agree() {
    let mut inputs: Vec<String> = crate::rules()
        .iter()
        .flat_map(|r| yaml_blocks(r.docs))
        .collect();
    let roots = vec![
        repo_root().join("static/examples"),
        repo_root().join("docs"),
    ];
    for path in files_under(roots) {
        if let Ok(text) = std::fs::read_to_string(&path) {
            match path.extension().and_then(|e| e.to_str()) {
                Some("yaml" | "yml") => inputs.push(text),
                Some("md") => inputs.extend(yaml_blocks(&text)),
                _ => {}
            }
        }
    }
    assert!(inputs.len() > 50, "found only {} snippets", inputs.len());
    assert_all("doc snippets", inputs.iter().map(String::as_str));
}

/// The `"..."` string literals of Rust source (raw strings excepted), unescaped.
fn string_literals(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = source.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'/') {
            for c in chars.by_ref() {
                if c == '\n' {
                    break;
                }
            }
            prev = '\n';
            continue;
        }
        if c == '\'' {
            // A char literal ('"', '\\') or a lifetime.
            let mut look = chars.clone();
            match (look.next(), look.next(), look.next()) {
                (Some('\\'), Some(_), Some('\'')) => {
                    chars.nth(2);
                }
                (Some(_), Some('\''), _) => {
                    chars.nth(1);
                }
                _ => {}
            }
            prev = c;
            continue;
        }
        if c != '"' || prev == 'r' || prev == '#' {
            prev = c;
            continue;
        }
        let mut s = String::new();
        let mut ok = true;
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    Some('r') => s.push('\r'),
                    Some('0') => s.push('\0'),
                    Some('\\') => s.push('\\'),
                    Some('"') => s.push('"'),
                    Some('\'') => s.push('\''),
                    Some('\n') => {
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                    }
                    Some('u') => {
                        let mut hex = String::new();
                        for c in chars.by_ref() {
                            if c == '}' {
                                break;
                            }
                            if c != '{' {
                                hex.push(c);
                            }
                        }
                        match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                            Some(ch) => s.push(ch),
                            None => ok = false,
                        }
                    }
                    Some('x') => {
                        let hex: String = chars.by_ref().take(2).collect();
                        match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                            Some(ch) => s.push(ch),
                            None => ok = false,
                        }
                    }
                    _ => ok = false,
                },
                c => s.push(c),
            }
        }
        if ok {
            out.push(s);
        }
        prev = '"';
    }
    out
}

#[test]
fn string_literals_of_the_crate_agree() {
    let mut inputs = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in files_under(vec![root.join("src"), root.join("tests")]) {
        if path.extension().is_some_and(|e| e == "rs") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                inputs.extend(string_literals(&text));
            }
        }
    }
    assert!(inputs.len() > 500, "found only {} literals", inputs.len());
    assert_all("string literals", inputs.iter().map(String::as_str));
}

/// Set `SHOAL_DIFF_FILE` to compare the parsers on one file and print the difference.
#[test]
#[ignore = "a debugging aid"]
fn diff_file() {
    let path = std::env::var("SHOAL_DIFF_FILE").expect("SHOAL_DIFF_FILE");
    let text = std::fs::read_to_string(path).expect("readable");
    if let Err(e) = compare(&text) {
        panic!("{e}");
    }
}

/// The yaml-test-suite cases: the `in.yaml` (and `out.yaml`, `emit.yaml`) files of a checkout
/// of its `data` branch.
#[test]
#[ignore = "needs a yaml-test-suite checkout in SHOAL_YAML_TEST_SUITE"]
fn yaml_test_suite() {
    let root = std::path::PathBuf::from(
        std::env::var("SHOAL_YAML_TEST_SUITE").expect("SHOAL_YAML_TEST_SUITE"),
    );
    let mut cases = Vec::new();
    for path in files_under(vec![root]) {
        if path
            .file_name()
            .is_some_and(|n| n == "in.yaml" || n == "out.yaml" || n == "emit.yaml")
        {
            if let Ok(text) = std::fs::read_to_string(&path) {
                cases.push((path, text));
            }
        }
    }
    cases.sort();
    let mut agree = 0;
    let mut differ = Vec::new();
    let rejected = cases
        .iter()
        .filter(|(_, text)| !parse(text).errors.is_empty())
        .count();
    for (path, text) in &cases {
        match compare(text) {
            Ok(()) => agree += 1,
            Err(e) => differ.push((path.clone(), e)),
        }
    }
    for (path, e) in &differ {
        println!("=== {}\n{e}\n", path.display());
    }
    println!(
        "yaml-test-suite: {agree} of {} files agree, {} differ ({rejected} rejected by both)",
        cases.len(),
        differ.len()
    );
    assert!(differ.is_empty());
}

/// Pieces that YAML is made of, for generated inputs.
const PIECES: &[&str] = &[
    "a",
    "b",
    "key",
    "1",
    "~",
    "null",
    "é",
    "😀",
    " ",
    "  ",
    "    ",
    "\t",
    "\n",
    "\r\n",
    ":",
    ": ",
    "- ",
    "-",
    "? ",
    "?",
    ",",
    ", ",
    "[",
    "]",
    "{",
    "}",
    "#",
    " # c",
    "'",
    "''",
    "\"",
    "\\",
    "\\n",
    "\\x41",
    "\\u263A",
    "|",
    "|-",
    "|+",
    "|2",
    ">",
    ">-",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!t ",
    "!<x> ",
    "!e!x ",
    "---",
    "--- ",
    "...",
    "%YAML 1.2\n",
    "%TAG !e! tag:x,2000:\n",
    "<<: ",
    "\u{feff}",
    "\0",
    ".",
    "%",
    "@",
    "`",
    "!",
];

fn generated() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn mutated() -> impl Strategy<Value = String> {
    (
        prop::sample::select(CORPUS),
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                0usize..4,
                prop::sample::select(PIECES),
            ),
            1..4,
        ),
    )
        .prop_map(|(base, edits)| {
            let mut text = base.to_string();
            for (at, kind, piece) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                match kind {
                    0 => text.insert_str(i, piece),
                    1 => {
                        let mut j = (i + piece.len()).min(text.len());
                        while !text.is_char_boundary(j) {
                            j -= 1;
                        }
                        text.replace_range(i..j, "");
                    }
                    2 => {
                        let mut j = (i + 1).min(text.len());
                        while !text.is_char_boundary(j) {
                            j += 1;
                        }
                        text.replace_range(i..j, piece);
                    }
                    _ => {
                        // Re-indent a line.
                        let line = text[..i].rfind('\n').map_or(0, |p| p + 1);
                        text.insert(line, ' ');
                    }
                }
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("SHOAL_DIFF_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3000)))]

    #[test]
    fn generated_inputs_agree(text in generated()) {
        if let Err(e) = compare(&text) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn mutated_corpus_agrees(text in mutated()) {
        if let Err(e) = compare(&text) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Tricky YAML: every feature the parser reads.
pub const CORPUS: &[&str] = &[
    "",
    "a",
    "a: 1\n",
    "a: 1\nb: 2\n",
    "a:\n  b:\n    c: d\n  e: f\ng: h\n",
    "- a\n- b\n- - c\n  - d\n-\n- \n",
    "key:\n- a\n- b\nnext: 1\n",
    "key:\n  - a\n  - b\n",
    "- key: v\n  other: w\n- k2: v2\n",
    "- - - deep\n",
    "a: 1\n---\nb: 2\n...\n---\nc\n",
    "--- text\n...\n",
    "---\n---\n...\n...\n",
    "--- |\n  lit\n--- >\n  fold\n",
    "%YAML 1.2\n---\na: 1\n",
    "%TAG !e! tag:example.com,2000:app/\n---\n- !e!foo bar\n",
    "%FOO bar baz\n---\nx\n",
    "%YAML 1.2\n%YAML 1.1\n---\nx\n",
    "\u{feff}a: 1\n",
    "\u{feff}---\na\n...\n\u{feff}---\nb\n",
    "a: 1\r\nb:\r\n  - x\r\n",
    "[a, b, [c, d], {e: f}]\n",
    "{a: 1, b: [2, 3], c: {d: e}}\n",
    "[a: b, c: d, e]\n",
    "[? a : b, ? c]\n",
    "{? a : b, ? c, d}\n",
    "{a, b: , : c}\n",
    "[a: , : b, c]\n",
    "[\n  a,\n  b\n]\n",
    "{\n  a: 1,\n  b: 2,\n}\n",
    "key: [a,\n  b, c]\n",
    "[\"a\":b, 'c':d, {e: f}: g, [h]: i]\n",
    "{\"a\":1,\"b\":[true,false,null]}\n",
    "[a, b,]\n",
    "plain: multi\n  line\n  text\nnext: 1\n",
    "plain: a\n\n  b\n\n\n  c\n",
    "- multi\n  line item\n- x\n",
    "a b c: d e f\n",
    "url: http://example.com:8080/path#frag\n",
    "a: b#c\nd: e # comment\n",
    "a: -1\nb: -x\nc: ?x\nd: :x\ne: x:y\n",
    "'single': 'it''s'\n",
    "\"double\": \"a\\tb\\nc\\\\d\\\"e\\x41\\u263A\\U0001F600\\ \\/\\0\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\"\n",
    "\"folded\n  lines\n\n  here\"\n",
    "'single\n  folded\n\n  lines'\n",
    "\"escaped \\\n  break\"\n",
    "\"trailing   \n  spaces\"\n",
    "\"a  b\"\n",
    "' lead and trail '\n",
    "\"\\ud83d\\ude00\"\n",
    "lit: |\n  line1\n  line2\n\n  line4\n",
    "lit: |-\n  strip\n\n",
    "lit: |+\n  keep\n\n\n",
    "fold: >\n  a\n  b\n\n  c\n    more\n  d\n",
    "fold: >-\n  a\n   b\n  c\n",
    "lit: |2\n   two\n  one\n",
    "- |1\n  x\n- >2-\n   y\n",
    "a: |\n\n  after blank\n",
    "a: |\nb: 1\n",
    "a: >\n\n\n",
    "top:\n  a: |\n    x\n# comment\n  b: 1\n",
    "- |\n  x\n  \n- z\n",
    "|\n foo\n",
    ">\n\n folded\n",
    "anchors:\n  base: &b {x: 1}\n  use: *b\n  list: &l [1, 2]\n  again: *l\n",
    "&a a: &b b\n*a : *b\n",
    "a: &x\nb: *x\n",
    "merge:\n  - &base {a: 1, b: 2}\n  - <<: *base\n    b: 3\n  - <<: [*base, {c: 4}]\n",
    "tags:\n  - !!str 1\n  - !!int \"2\"\n  - !local x\n  - !<tag:yaml.org,2002:str> y\n  - ! z\n  - !!map {a: b}\n  - !!seq [a]\n",
    "!!str &a x: !!int &b 1\n",
    "&a !!str x: 1\n",
    "- !!null\n- &a\n- !t &b\n",
    "a: !!str\nb: 1\n",
    "!e%21x y\n",
    "- !a%C3%A9 x\n",
    "? complex key\n: value\n? [a, b]\n: c\n? |\n  block key\n: d\n",
    "? a\n? b\n: c\n",
    "?\n: x\n",
    ": only value\n",
    "a:\n  ? b\n  : c\n",
    "- ? a\n  : b\n",
    "key:    value   \n",
    "key: value # comment\n# own line\n  # indented\nnext: v\n",
    "# only a comment\n",
    "\n\n# c\n\na: 1\n\n# trailing\n\n",
    "a:\n\n\n  b: 1\n",
    "a: 1\n  # comment deeper\nb: 2\n",
    "a:\t1\n",
    "a: 1 \t\n",
    "- a\t# tab comment\n",
    "[a,\tb]\n",
    "k: v\n\t\n",
    "k:\n\t- a\n",
    "\tk: v\n",
    "- \ta\n",
    "a: b: c\n",
    "a: 'x' y\n",
    "a: \"unclosed\n",
    "a: 'unclosed\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a: ]\n",
    "a: }\n",
    "[a}\n",
    "{a]\n",
    "a:\n  b: 1\n c: 2\n",
    "a:\n  - b\n  c: 1\n",
    "- a\nb: 1\n",
    "a: 1\n- b\n",
    "key: \"bad \\q escape\"\n",
    "key: \"\\x4\"\n",
    "key: \"\\ud800\"\n",
    "*unknown\n",
    "&a [*a]\n",
    "a: &a\n  b: *a\n",
    "a: |0\n  x\n",
    "a: |x\n",
    "a: >\n  x\n y\n",
    "  a: 1\n b: 2\n",
    "a: 1\n...\nb: 2\n",
    "--- a\nb: c\n",
    "---a\n",
    "...x\n",
    "%YAML 1.2\na: 1\n",
    "%YAML 2.0\n---\na\n",
    "a: 1\n%YAML 1.2\n---\nb\n",
    "- !e!x y\n",
    "a: @x\n",
    "a: `x\n",
    "a: %x\n",
    "[-]\n",
    "[- a]\n",
    "- [a, - b]\n",
    "{a: [b, c}, d]\n",
    "a: b\n  c: d\n",
    "\"key\": value\n\"multi\n line\": x\n",
    "a:\n  # comment\n  b: 1\n",
    "a: b # c\n  d\n",
    "a: b\n  # c\n  d\n",
    "- a\n  # c\n  b\n",
    "[a, #c\n b]\n",
    "{a: b #c\n}\n",
    "a: [b, c] d\n",
    "a: {b: c} d\n",
    "[a]: b\n",
    "{a: b}: c\n",
    "- [a]: b\n",
    "a: 'b'\n  c\n",
    "a: \"b\":c\n",
    "a:\n- b\n-\n  c: d\n",
    "a:\n  -\n    b: c\n",
    "-\n  - a\n",
    "- -\n",
    "- ? \n",
    "? - a\n  - b\n: - c\n",
    "--- &a\nb: c\n",
    "--- !!map\nb: c\n",
    "--- [a]\n--- {b: c}\n",
    "---\n# only comment\n---\n",
    "a: 1\n# c\n...\n# d\n---\nb\n",
    "x: 0755\ny: 0x1F\nz: 1_000\nyes: no\n",
    "emoji: 😀\nnaïve: café\n\"ü\": é\n",
    "é: 1\n  ü: 2\n",
    "- é: 1\n  ü: 2\n",
    "[é: 1, ü]\n",
    "a: \u{85}x\n",
    "a: x\u{2028}y\n",
    "a: \u{1}\n",
    "a: \u{7f}\n",
    "long key with many words that goes on: value\n",
    "a:\n    b: 1\n    c:\n        d: 2\n",
    "a:\n - b\n - c\n",
    "a:\n  - b:\n      c: d\n    e: f\n",
    "- a: |\n    lit\n  b: >-\n    fold\n- c\n",
    "spec:\n  containers:\n  - name: app\n    image: x:1\n    args: [\"--a\", \"--b=c\"]\n    env:\n    - {name: A, value: \"1\"}\n",
    "a: [\n]\n",
    "a: {\n}\n",
    "a: []\nb: {}\n",
    "[[[[a]]]]\n",
    "{a: {b: {c: {d: e}}}}\n",
    "[a, [b, [c, [d]]], e]\n",
    "? [a, b]: c\n",
    "[a, b]: c\n",
    "? a\n",
    "a: \"x\" # c\nb: 'y'#c\n",
    "\"a\"#c\n",
    "a: b\n\n\n",
    "a: >+\n\n",
    "a: |+\n  x\n",
    "a: |+\n  x",
    "a: |\n  x",
    "a: b",
    "- a\n-",
    "a:",
    "?",
    "-",
    "[",
    "{",
    "'",
    "\"",
    "&",
    "*",
    "!",
    "a: !",
    "...",
    "---",
    "--- |",
    "--- >-\n",
    "a: |\n  x\n \n  y\n",
    "a: |\n  x\n   \n  y\n",
    "a: >\n  x\n\n   y\n  z\n",
    "a: >\n   more\n  less\n",
    "a:\n  |\n  x\n",
    "- |\n x\n- >\n y\n",
    "a: |-\n  x\n\nb: 1\n",
    "a: |\n  x\n\n\nb: 1\n",
    "a:\n  b: |\n    x\n\n  c: 1\n",
    "- a\n - b\n",
    "a: 1\n b: 2\n",
    "a\nb\n",
    "a: b\nc\n",
    "[a\n, b]\n",
    "[a\n:b]\n",
    "{a\n: b}\n",
    "[a: b\n]\n",
    "a: 'multi\n\n  line'\n",
    "a: \"x\n\ty\"\n",
    "a: x\n\ty\n",
    "a:\n\t\n  b: 1\n",
    "key: >\n  text\n\t\n",
    "k: \"\\\t\"\n",
    "k: \"a\\\n\n  b\"\n",
    "? |\n  a\n: |\n  b\n",
    "a: 1 # c\n\n# d\n\nb: 2 # e\n",
    "list:\n- a # c\n# d\n- b\n",
    "anchor: &anc value\nref: *anc\nmap:\n  <<: {x: 1}\n  y: 2\n",
    "<<: {a: 1}\nb: 2\n",
    "a: *b\n",
    "- &a x\n- &a y\n- *a\n",
    "--- &a x\n--- *a\n",
    // Found by the generated inputs while the parser was written.
    "#a: \u{1}\n",
    "a: # c \u{1}\n",
    "|:\n---\0",
    "a\n...\0",
    "a: 1\n# c\n...\n% d\n---\nb\n",
];

/// Set `SHOAL_DIFF_FILE` to print our events for a file (compare with granit's).
#[test]
#[ignore = "a debugging aid"]
fn dump_events() {
    let path = std::env::var("SHOAL_DIFF_FILE").expect("SHOAL_DIFF_FILE");
    let text = std::fs::read_to_string(path).expect("readable");
    let mut parser = super::scan::Parser::new(&text, super::MAX_NESTING);
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, start, end))) => {
                println!("{event:?} {start}..{end} {:?}", text.get(start..end));
            }
            Some(Err(error)) => {
                println!("ERR {error:?}");
                if !parser.proceed_next_document() {
                    break;
                }
            }
        }
    }
}
