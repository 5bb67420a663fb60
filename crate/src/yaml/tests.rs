use super::*;

fn root(text: &str) -> Node {
    let file = parse(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    file.documents[0].root.clone().expect("root")
}

#[test]
fn key_and_value_ranges() {
    let text = "spec:\n  replicas: 3\n  name: \"web\"\n";
    let root = root(text);
    let entry = root.get("spec").unwrap().entry("replicas").unwrap();
    assert_eq!(entry.key.range.slice(text), "replicas");
    assert_eq!(entry.value.range.slice(text), "3");
    let name = root.path(&["spec", "name"]).unwrap();
    assert_eq!(name.range.slice(text), "\"web\"");
    assert_eq!(name.str(), Some("web"));
}

#[test]
fn multi_document_and_comments() {
    let text = "# head\na: 1 # right\n---\nb: 2\n...\n---\n# only a comment\n";
    let file = parse(text);
    assert_eq!(file.documents.len(), 3);
    assert!(file.documents[2].root.is_none() || file.documents[2].root.as_ref().unwrap().is_null());
    let texts: Vec<_> = file.comments.iter().map(|c| c.range.slice(text)).collect();
    assert_eq!(texts, ["# head", "# right", "# only a comment"]);
}

#[test]
fn duplicate_keys_are_kept_and_last_wins() {
    let root = root("a: 1\nb: 2\na: 3\n");
    let m = root.as_mapping().unwrap();
    assert_eq!(m.entries.len(), 3);
    assert_eq!(root.get("a").unwrap().int(), Some(3));
}

#[test]
fn yaml_1_1_scalars() {
    let root = root("a: yes\nb: \"yes\"\nc: 0755\nd: ~\ne:\n");
    assert_eq!(root.get("a").unwrap().bool(), Some(true));
    assert_eq!(root.get("b").unwrap().bool(), None);
    assert_eq!(root.get("c").unwrap().int(), Some(0o755));
    assert!(root.get("d").unwrap().is_null());
    assert!(root.get("e").unwrap().is_null());
}

#[test]
fn flow_collections() {
    let text = "limits: {cpu: 500m, memory: 1Gi}\nports: [80, 443]\n";
    let root = root(text);
    let limits = root.get("limits").unwrap();
    assert!(!limits.is_block());
    assert_eq!(limits.range.slice(text), "{cpu: 500m, memory: 1Gi}");
    assert_eq!(limits.get("memory").unwrap().range.slice(text), "1Gi");
    assert_eq!(root.get("ports").unwrap().items().len(), 2);
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let text = "base: &b\n  cpu: 1\n  memory: 1Gi\nuse: *b\nover:\n  <<: *b\n  cpu: 2\n";
    let root = root(text);
    let used = root.get("use").unwrap();
    assert!(used.via_alias);
    assert_eq!(used.get("memory").unwrap().str(), Some("1Gi"));
    let over = root.get("over").unwrap();
    assert_eq!(over.get("cpu").unwrap().int(), Some(2));
    assert_eq!(over.get("memory").unwrap().str(), Some("1Gi"));
    assert!(over.get("memory").unwrap().via_alias);
}

#[test]
fn crlf_bom_tabs_and_non_ascii() {
    let text = "\u{feff}a: 1\r\nname: \"naïve 😀\"\r\nb:\t2\r\n";
    let root = root(text);
    let name = root.get("name").unwrap();
    assert_eq!(name.str(), Some("naïve 😀"));
    assert_eq!(name.range.slice(text), "\"naïve 😀\"");
    assert_eq!(root.get("b").unwrap().range.slice(text), "2");
}

#[test]
fn block_scalars_keep_their_range() {
    let text = "cmd: |\n  echo hi\n  echo bye\nnext: 1\n";
    let root = root(text);
    assert_eq!(root.get("cmd").unwrap().str(), Some("echo hi\necho bye\n"));
    assert_eq!(root.get("next").unwrap().int(), Some(1));
}

#[test]
fn malformed_document_is_an_error_and_others_survive() {
    let text = "a: 1\n---\nb: [1, 2\n---\nc: 3\n";
    let file = parse(text);
    assert_eq!(file.errors.len(), 1, "{:?}", file.errors);
    let roots: Vec<_> = file
        .documents
        .iter()
        .filter_map(|d| d.root.as_ref())
        .collect();
    assert!(roots.iter().any(|r| r.get("a").is_some()));
    assert!(
        roots.iter().any(|r| r.get("c").is_some()),
        "{:?}",
        file.documents
    );
}

#[test]
fn alias_bomb_is_a_clear_error() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
        text.push_str(&format!(
            "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
        prev = name;
    }
    let started = std::time::Instant::now();
    let file = parse(&text);
    assert!(started.elapsed().as_secs() < 2);
    assert_eq!(file.errors.len(), 1);
    assert!(
        file.errors[0].message.contains("alias"),
        "{}",
        file.errors[0].message
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let text = format!("{}1{}", open.repeat(10_000), close.repeat(10_000));
        let file = parse(&text);
        assert!(!file.errors.is_empty());
    }
    let mut block = String::new();
    for depth in 0..2_000 {
        block.push_str(&" ".repeat(depth));
        block.push_str("k:\n");
    }
    let file = parse(&block);
    assert!(!file.errors.is_empty());
}

#[test]
fn empty_and_junk_input() {
    assert!(parse("").errors.is_empty());
    let junk =
        String::from_utf8_lossy(&[0xff, 0x00, 0x1b, b':', b'[', 0x80, b'\n', b'{']).into_owned();
    let _ = parse(&junk);
}

#[test]
fn hashes_inside_scalars_are_not_comments() {
    let text = "a: \"x # not\" # yes\nb: 'y # no'\nc: url#frag\nd: | # indicator comment\n  # body line\n  text\n# own line\ne: [1, # in flow\n  2]\n";
    let file = parse(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let texts: Vec<_> = file.comments.iter().map(|c| c.range.slice(text)).collect();
    assert_eq!(
        texts,
        ["# yes", "# indicator comment", "# own line", "# in flow"]
    );
    let root = file.documents[0].root.as_ref().unwrap();
    assert_eq!(root.get("d").unwrap().str(), Some("# body line\ntext\n"));
}

#[test]
fn comments_with_crlf_and_bom() {
    let text = "\u{feff}# first\r\na: 1 # second\r\n";
    let file = parse(text);
    let texts: Vec<_> = file.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, [" first", " second"]);
}

/// The tree of a 1 MB manifest holds ~90,000 nodes: their size is most of the engine's memory.
#[test]
#[cfg(target_pointer_width = "64")]
fn nodes_stay_small() {
    assert_eq!(std::mem::size_of::<crate::yaml::tree::Node>(), 56);
    assert_eq!(std::mem::size_of::<crate::yaml::tree::Entry>(), 112);
}

#[test]
fn linear_time_on_long_lines_and_long_scalars() {
    let cases = [
        format!("a: {}\n", "x ".repeat(300_000)),
        format!("a: [{}]\n", "x, ".repeat(200_000)),
        format!("{{{}}}\n", "k: v, ".repeat(100_000)),
        format!("a: |\n{}", "  line\n".repeat(100_000)),
        format!("a: >\n{}", "  word\n\n".repeat(100_000)),
        format!("a: \"{}\"\n", "é\\n ".repeat(100_000)),
        format!("a: {}\n", "word\n  ".repeat(100_000)),
        format!("[{}: v]\n", "é".repeat(100_000)),
        format!("{}: v\n", "k".repeat(100_000)),
        format!("{}\n", "- ".repeat(100_000)),
        format!("{}x\n", "[".repeat(100_000)),
        format!("{}\n", "? ".repeat(100_000)),
        "a: 1\n...\n".repeat(50_000),
        "# c\n".repeat(100_000),
        format!("a: {}\n", "[x, ".repeat(150)).repeat(1_000),
    ];
    for text in &cases {
        let started = std::time::Instant::now();
        let _ = parse(text);
        let elapsed = started.elapsed();
        // Quadratic behaviour would take minutes; debug builds on a loaded machine, seconds.
        assert!(
            elapsed.as_secs() < 10,
            "{elapsed:?} for {:?}...",
            &text[..40.min(text.len())]
        );
    }
}
