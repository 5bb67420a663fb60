use super::*;
use crate::yaml::parse;

// ---- helpers --------------------------------------------------------------------------------

/// Applies one edit to the original text.
fn apply(text: &str, edit: &Edit) -> String {
    let mut out = String::new();
    out.push_str(&text[..edit.range.start()]);
    out.push_str(&edit.content);
    out.push_str(&text[edit.range.end()..]);
    out
}

/// The root of the first document, asserting the text parses cleanly.
fn root(text: &str) -> Node {
    let file = parse(text);
    assert!(
        file.errors.is_empty(),
        "errors {:?} in\n{text}",
        file.errors
    );
    file.documents[0].root.clone().expect("a root node")
}

/// The node at `path` (mapping keys, or `#n` for the n-th sequence item).
fn at<'n>(node: &'n Node, path: &[&str]) -> &'n Node {
    path.iter()
        .fold(node, |n, step| match step.strip_prefix('#') {
            Some(i) => &n.items()[i.parse::<usize>().unwrap()],
            None => n
                .get(step)
                .unwrap_or_else(|| panic!("no `{step}` in {path:?}")),
        })
}

/// Applies the edit, asserts the exact result, re-parses it and returns the new root.
fn check(text: &str, edit: Option<Edit>, expected: &str) -> Node {
    let edit = edit.expect("an edit");
    let out = apply(text, &edit);
    assert_eq!(
        out, expected,
        "\n--- got ---\n{out}\n--- expected ---\n{expected}"
    );
    root(&out)
}

fn gomemlimit() -> Frag {
    Frag::map([
        ("name", Frag::scalar("GOMEMLIMIT")),
        (
            "valueFrom",
            Frag::map([(
                "resourceFieldRef",
                Frag::map([("resource", Frag::scalar("limits.memory"))]),
            )]),
        ),
    ])
}

fn str_at(node: &Node, path: &[&str]) -> String {
    at(node, path).str().unwrap_or_default().to_string()
}

// ---- scalar_text ----------------------------------------------------------------------------

#[test]
fn scalar_text_quotes_only_when_needed() {
    for (value, expected) in [
        ("yes", "\"yes\""),
        ("on", "\"on\""),
        ("0755", "\"0755\""),
        ("2", "\"2\""),
        ("1.5", "\"1.5\""),
        ("~", "\"~\""),
        ("null", "\"null\""),
        ("", "\"\""),
        ("a: b", "\"a: b\""),
        ("a #b", "\"a #b\""),
        (" lead", "\" lead\""),
        ("- x", "\"- x\""),
        ("*ref", "\"*ref\""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"\n", "\"say \\\"hi\\\"\\n\""),
        ("limits.memory", "limits.memory"),
        ("GOMEMLIMIT", "GOMEMLIMIT"),
        ("True", "\"True\""),
        ("OFF", "\"OFF\""),
        ("NULL", "\"NULL\""),
        ("a/b.c_d-e", "a/b.c_d-e"),
        ("1Gi", "1Gi"),
        ("500m", "500m"),
        ("héllo wörld", "héllo wörld"),
        ("http://x:80/a", "http://x:80/a"),
    ] {
        assert_eq!(scalar_text(value), expected, "{value:?}");
        // Whatever it renders as, it reads back as the same string.
        let doc = format!("k: {}\n", scalar_text(value));
        let node = root(&doc);
        let s = node.get("k").unwrap().as_scalar().unwrap();
        assert_eq!(s.text, value);
        assert!(
            s.as_bool().is_none() && s.as_int().is_none() && !s.is_null()
                || value.is_empty() && !s.is_null()
        );
    }
}

// ---- replace_scalar -------------------------------------------------------------------------

#[test]
fn replace_scalar_keeps_quoting_style() {
    let text = "a: plain # c\nb: 'single'\nc: \"double\"\nd: \ttab\n";
    let r = root(text);
    check(
        text,
        replace_scalar(text, r.get("a").unwrap(), "new"),
        "a: new # c\nb: 'single'\nc: \"double\"\nd: \ttab\n",
    );
    check(
        text,
        replace_scalar(text, r.get("a").unwrap(), "true"),
        "a: \"true\" # c\nb: 'single'\nc: \"double\"\nd: \ttab\n",
    );
    let out = check(
        text,
        replace_scalar(text, r.get("b").unwrap(), "it's"),
        "a: plain # c\nb: 'it''s'\nc: \"double\"\nd: \ttab\n",
    );
    assert_eq!(str_at(&out, &["b"]), "it's");
    let out = check(
        text,
        replace_scalar(text, r.get("c").unwrap(), "q\"é\\"),
        "a: plain # c\nb: 'single'\nc: \"q\\\"é\\\\\"\nd: \ttab\n",
    );
    assert_eq!(str_at(&out, &["c"]), "q\"é\\");
    check(
        text,
        replace_scalar(text, r.get("d").unwrap(), "x"),
        "a: plain # c\nb: 'single'\nc: \"double\"\nd: \tx\n",
    );
}

#[test]
fn replace_scalar_refuses_block_scalars_aliases_and_collections() {
    let text = "a: |\n  x\nb: &v 1\nc: *v\nd: {e: 1}\n";
    let r = root(text);
    assert!(replace_scalar(text, r.get("a").unwrap(), "y").is_none());
    assert!(replace_scalar(text, r.get("c").unwrap(), "y").is_none());
    assert!(replace_scalar(text, r.get("d").unwrap(), "y").is_none());
    assert!(replace_scalar(text, r.get("b").unwrap(), "y").is_some());
}

#[test]
fn replace_scalar_fills_an_empty_value_after_its_colon() {
    let text = "a:\nb: 1\n";
    let r = root(text);
    let out = check(
        text,
        replace_scalar(text, r.get("a").unwrap(), "x"),
        "a: x\nb: 1\n",
    );
    assert_eq!(str_at(&out, &["a"]), "x");
}

// ---- insert_entry ---------------------------------------------------------------------------

#[test]
fn insert_entry_keeps_a_trailing_comment_on_the_last_line() {
    let text = "spec:\n  replicas: 3 # keep me\nstatus: {}\n";
    let r = root(text);
    let out = check(
        text,
        insert_entry(
            text,
            r.get("spec").unwrap(),
            "paused",
            &Frag::scalar("true"),
        ),
        "spec:\n  replicas: 3 # keep me\n  paused: true\nstatus: {}\n",
    );
    assert_eq!(at(&out, &["spec", "paused"]).bool(), Some(true));
}

#[test]
fn insert_entry_after_a_nested_block_at_the_outer_indentation() {
    let text = "spec:\n  template:\n    metadata:\n      labels:\n        app: web\n# end\n";
    let r = root(text);
    let out = check(
        text,
        insert_entry(text, r.get("spec").unwrap(), "replicas", &Frag::scalar("2")),
        "spec:\n  template:\n    metadata:\n      labels:\n        app: web\n  replicas: 2\n# end\n",
    );
    assert_eq!(at(&out, &["spec", "replicas"]).int(), Some(2));
}

#[test]
fn insert_entry_after_a_block_scalar() {
    let text = "data:\n  script: |\n    echo hi\n    echo bye\n\nkind: ConfigMap\n";
    let r = root(text);
    let out = check(
        text,
        insert_entry(
            text,
            r.get("data").unwrap(),
            "mode",
            &Frag::scalar("\"0644\""),
        ),
        "data:\n  script: |\n    echo hi\n    echo bye\n\n  mode: \"0644\"\nkind: ConfigMap\n",
    );
    assert_eq!(str_at(&out, &["data", "script"]), "echo hi\necho bye\n");
    assert_eq!(str_at(&out, &["data", "mode"]), "0644");
}

#[test]
fn insert_entry_at_end_of_file_without_newline() {
    let text = "a:\n  b: 1";
    let r = root(text);
    check(
        text,
        insert_entry(
            text,
            r.get("a").unwrap(),
            "c",
            &Frag::map([("d", Frag::scalar("x"))]),
        ),
        "a:\n  b: 1\n  c:\n    d: x",
    );
}

#[test]
fn insert_entry_into_flow_mappings() {
    let text = "limits: {cpu: 1, memory: 1Gi}\nrequests: {}\n";
    let r = root(text);
    let out = check(
        text,
        insert_entry(
            text,
            r.get("limits").unwrap(),
            "nvidia.com/gpu",
            &Frag::scalar("1"),
        ),
        "limits: {cpu: 1, memory: 1Gi, nvidia.com/gpu: 1}\nrequests: {}\n",
    );
    assert_eq!(at(&out, &["limits", "nvidia.com/gpu"]).int(), Some(1));
    let out = check(
        text,
        insert_entry(text, r.get("requests").unwrap(), "memory", &gomemlimit()),
        "limits: {cpu: 1, memory: 1Gi}\nrequests: {memory: {name: GOMEMLIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory}}}}\n",
    );
    assert_eq!(
        str_at(
            &out,
            &[
                "requests",
                "memory",
                "valueFrom",
                "resourceFieldRef",
                "resource"
            ]
        ),
        "limits.memory"
    );
}

#[test]
fn insert_entry_with_four_space_indentation() {
    let text = "spec:\n    containers:\n        -   name: app\n            image: app:1\n";
    let r = root(text);
    let container = at(&r, &["spec", "containers", "#0"]);
    let out = check(
        text,
        insert_entry(
            text,
            container,
            "resources",
            &Frag::map([("limits", Frag::map([("memory", Frag::scalar("1Gi"))]))]),
        ),
        "spec:\n    containers:\n        -   name: app\n            image: app:1\n            resources:\n                limits:\n                    memory: 1Gi\n",
    );
    assert_eq!(
        str_at(
            &out,
            &["spec", "containers", "#0", "resources", "limits", "memory"]
        ),
        "1Gi"
    );
}

#[test]
fn insert_entry_keeps_crlf() {
    let text = "a:\r\n  b: 1 # c\r\nz: 2\r\n";
    let r = root(text);
    let out = check(
        text,
        insert_entry(
            text,
            r.get("a").unwrap(),
            "c",
            &Frag::map([("d", Frag::scalar("x"))]),
        ),
        "a:\r\n  b: 1 # c\r\n  c:\r\n    d: x\r\nz: 2\r\n",
    );
    assert_eq!(str_at(&out, &["a", "c", "d"]), "x");
}

#[test]
fn insert_entry_refuses_aliases() {
    let text = "a: &x\n  b: 1\nc: *x\n";
    let r = root(text);
    assert!(insert_entry(text, r.get("c").unwrap(), "d", &Frag::scalar("1")).is_none());
}

// ---- append_item ----------------------------------------------------------------------------

#[test]
fn append_item_to_block_and_flow_sequences() {
    let text = "args:\n  - --a   # first\n  - --b\nports: [80, 443]\nnone: []\n";
    let r = root(text);
    let out = check(
        text,
        append_item(text, r.get("args").unwrap(), &Frag::scalar("--c")),
        "args:\n  - --a   # first\n  - --b\n  - --c\nports: [80, 443]\nnone: []\n",
    );
    assert_eq!(str_at(&out, &["args", "#2"]), "--c");
    let out = check(
        text,
        append_item(text, r.get("ports").unwrap(), &Frag::scalar("8080")),
        "args:\n  - --a   # first\n  - --b\nports: [80, 443, 8080]\nnone: []\n",
    );
    assert_eq!(at(&out, &["ports", "#2"]).int(), Some(8080));
    check(
        text,
        append_item(
            text,
            r.get("none").unwrap(),
            &Frag::map([("a", Frag::scalar("1"))]),
        ),
        "args:\n  - --a   # first\n  - --b\nports: [80, 443]\nnone: [{a: 1}]\n",
    );
}

#[test]
fn append_map_item_aligns_continuation_lines() {
    let text = "env:\n- name: A\n  value: \"1\"\n";
    let r = root(text);
    let out = check(
        text,
        append_item(text, r.get("env").unwrap(), &gomemlimit()),
        "env:\n- name: A\n  value: \"1\"\n- name: GOMEMLIMIT\n  valueFrom:\n    resourceFieldRef:\n      resource: limits.memory\n",
    );
    assert_eq!(str_at(&out, &["env", "#1", "name"]), "GOMEMLIMIT");
}

// ---- append_to_list: the GOMEMLIMIT fix -----------------------------------------------------

const DEPLOYMENT_NO_ENV: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api # the API
spec:
  template:
    spec:
      containers:
        - name: api
          image: example/api:1.2 # pinned
          resources:
            limits:
              memory: 512Mi
        - name: sidecar
          image: example/sidecar:1
";

#[test]
fn add_gomemlimit_to_a_container_without_env() {
    let text = DEPLOYMENT_NO_ENV;
    let r = root(text);
    let api = at(&r, &["spec", "template", "spec", "containers", "#0"]);
    let out = check(
        text,
        append_to_list(text, api, "env", &gomemlimit()),
        "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api # the API
spec:
  template:
    spec:
      containers:
        - name: api
          image: example/api:1.2 # pinned
          resources:
            limits:
              memory: 512Mi
          env:
            - name: GOMEMLIMIT
              valueFrom:
                resourceFieldRef:
                  resource: limits.memory
        - name: sidecar
          image: example/sidecar:1
",
    );
    let env = &["spec", "template", "spec", "containers", "#0", "env", "#0"];
    let mut path = env.to_vec();
    path.extend(["valueFrom", "resourceFieldRef", "resource"]);
    assert_eq!(str_at(&out, &path), "limits.memory");
}

#[test]
fn add_gomemlimit_to_an_indented_env_list() {
    let text = "\
containers:
  - name: api
    env:
      - name: LOG_LEVEL
        value: debug # noisy
    ports:
      - containerPort: 8080
";
    let r = root(text);
    let api = at(&r, &["containers", "#0"]);
    let out = check(
        text,
        append_to_list(text, api, "env", &gomemlimit()),
        "\
containers:
  - name: api
    env:
      - name: LOG_LEVEL
        value: debug # noisy
      - name: GOMEMLIMIT
        valueFrom:
          resourceFieldRef:
            resource: limits.memory
    ports:
      - containerPort: 8080
",
    );
    assert_eq!(
        str_at(&out, &["containers", "#0", "env", "#1", "name"]),
        "GOMEMLIMIT"
    );
}

#[test]
fn add_gomemlimit_in_a_file_that_does_not_indent_dashes() {
    let text = "\
spec:
  containers:
  - name: api
    image: api
    ports:
    - containerPort: 80
  - name: web
    env:
    - name: A
      value: b
";
    let r = root(text);
    let api = at(&r, &["spec", "containers", "#0"]);
    let out = check(
        text,
        append_to_list(text, api, "env", &gomemlimit()),
        "\
spec:
  containers:
  - name: api
    image: api
    ports:
    - containerPort: 80
    env:
    - name: GOMEMLIMIT
      valueFrom:
        resourceFieldRef:
          resource: limits.memory
  - name: web
    env:
    - name: A
      value: b
",
    );
    assert_eq!(
        str_at(&out, &["spec", "containers", "#0", "env", "#0", "name"]),
        "GOMEMLIMIT"
    );
    let web = at(&r, &["spec", "containers", "#1"]);
    let out = check(
        text,
        append_to_list(text, web, "env", &gomemlimit()),
        "\
spec:
  containers:
  - name: api
    image: api
    ports:
    - containerPort: 80
  - name: web
    env:
    - name: A
      value: b
    - name: GOMEMLIMIT
      valueFrom:
        resourceFieldRef:
          resource: limits.memory
",
    );
    assert_eq!(
        str_at(&out, &["spec", "containers", "#1", "env", "#1", "name"]),
        "GOMEMLIMIT"
    );
}

#[test]
fn append_to_a_null_or_flow_list() {
    let text = "a:\n  env:   # none yet\n  x: {env: [], k: v}\n";
    let r = root(text);
    let out = check(
        text,
        append_to_list(
            text,
            r.get("a").unwrap(),
            "env",
            &Frag::map([("name", Frag::scalar("X"))]),
        ),
        "a:\n  env:   # none yet\n    - name: X\n  x: {env: [], k: v}\n",
    );
    assert_eq!(str_at(&out, &["a", "env", "#0", "name"]), "X");
    let x = at(&r, &["a", "x"]);
    check(
        text,
        append_to_list(text, x, "env", &Frag::map([("name", Frag::scalar("X"))])),
        "a:\n  env:   # none yet\n  x: {env: [{name: X}], k: v}\n",
    );
    check(
        text,
        append_to_list(text, x, "more", &Frag::scalar("1")),
        "a:\n  env:   # none yet\n  x: {env: [], k: v, more: [1]}\n",
    );
    assert!(append_to_list(text, x, "k", &Frag::scalar("1")).is_none());
}

// ---- set_path -------------------------------------------------------------------------------

#[test]
fn set_path_creates_missing_parents() {
    let text = "- name: app\n  image: app:1 # pinned\n";
    let r = root(text);
    let c = at(&r, &["#0"]);
    let out = check(
        text,
        set_path(
            text,
            c,
            &["securityContext", "runAsNonRoot"],
            &Frag::scalar("true"),
        ),
        "- name: app\n  image: app:1 # pinned\n  securityContext:\n    runAsNonRoot: true\n",
    );
    assert_eq!(
        at(&out, &["#0", "securityContext", "runAsNonRoot"]).bool(),
        Some(true)
    );
}

#[test]
fn set_path_fills_a_null_value() {
    let text = "name: app\nsecurityContext:\nimage: x\n";
    let r = root(text);
    let out = check(
        text,
        set_path(
            text,
            &r,
            &["securityContext", "runAsNonRoot"],
            &Frag::scalar("true"),
        ),
        "name: app\nsecurityContext:\n  runAsNonRoot: true\nimage: x\n",
    );
    assert_eq!(
        at(&out, &["securityContext", "runAsNonRoot"]).bool(),
        Some(true)
    );

    let text = "name: app\nsecurityContext: ~ # later\n";
    let r = root(text);
    check(
        text,
        set_path(
            text,
            &r,
            &["securityContext", "runAsNonRoot"],
            &Frag::scalar("true"),
        ),
        "name: app\nsecurityContext:\n  runAsNonRoot: true # later\n",
    );
}

#[test]
fn set_path_writes_inside_empty_braces() {
    let text = "securityContext: {}\n";
    let r = root(text);
    let out = check(
        text,
        set_path(
            text,
            &r,
            &["securityContext", "capabilities", "drop"],
            &Frag::seq([Frag::scalar("ALL")]),
        ),
        "securityContext: {capabilities: {drop: [ALL]}}\n",
    );
    assert_eq!(
        str_at(&out, &["securityContext", "capabilities", "drop", "#0"]),
        "ALL"
    );
}

#[test]
fn set_path_recurses_and_replaces_scalars_in_their_style() {
    let text = "resources:\n  limits:\n    memory: \"1Gi\" # was\n    cpu: 1\n";
    let r = root(text);
    let out = check(
        text,
        set_path(
            text,
            &r,
            &["resources", "limits", "memory"],
            &Frag::scalar("2Gi"),
        ),
        "resources:\n  limits:\n    memory: \"2Gi\" # was\n    cpu: 1\n",
    );
    assert_eq!(str_at(&out, &["resources", "limits", "memory"]), "2Gi");
    check(
        text,
        set_path(
            text,
            &r,
            &["resources", "limits", "cpu"],
            &Frag::scalar("\"2\""),
        ),
        "resources:\n  limits:\n    memory: \"1Gi\" # was\n    cpu: \"2\"\n",
    );
    check(
        text,
        set_path(text, &r, &["resources", "requests", "cpu"], &Frag::scalar("100m")),
        "resources:\n  limits:\n    memory: \"1Gi\" # was\n    cpu: 1\n  requests:\n    cpu: 100m\n",
    );
}

#[test]
fn set_path_replaces_block_values() {
    let text = "a:\n  b:\n    c: 1\n    d: 2\n  e: |\n    text\nz: 0\n";
    let r = root(text);
    let out = check(
        text,
        set_path(
            text,
            &r,
            &["a", "b"],
            &Frag::map([("x", Frag::scalar("y"))]),
        ),
        "a:\n  b:\n    x: y\n  e: |\n    text\nz: 0\n",
    );
    assert_eq!(str_at(&out, &["a", "b", "x"]), "y");
    check(
        text,
        set_path(text, &r, &["a", "e"], &Frag::scalar("plain")),
        "a:\n  b:\n    c: 1\n    d: 2\n  e: plain\nz: 0\n",
    );
    check(
        text,
        set_path(text, &r, &["a", "b"], &Frag::scalar("~")),
        "a:\n  b: ~\n  e: |\n    text\nz: 0\n",
    );
    check(
        text,
        set_path(text, &r, &["z"], &Frag::seq([Frag::scalar("1")])),
        "a:\n  b:\n    c: 1\n    d: 2\n  e: |\n    text\nz:\n  - 1\n",
    );
}

#[test]
fn set_path_refuses_scalars_and_aliases_on_the_way() {
    let text = "a: 1\nb: &x\n  c: 1\nd: *x\ne:\n  <<: *x\n";
    let r = root(text);
    assert!(set_path(text, &r, &["a", "b"], &Frag::scalar("1")).is_none());
    assert!(set_path(text, &r, &["d", "c"], &Frag::scalar("2")).is_none());
    assert!(set_path(text, &r, &["e", "c"], &Frag::scalar("2")).is_none());
    assert!(set_path(text, &r, &[], &Frag::scalar("2")).is_none());
    assert!(set_path(text, &r, &["b", "c"], &Frag::scalar("2")).is_some());
}

#[test]
fn tabs_and_non_ascii_around_the_edit() {
    let text = "meta:\n  note: \"héllo\tworld\" # ünïcode 😀\n  emoji: 😀\n";
    let r = root(text);
    let out = check(
        text,
        set_path(text, &r, &["meta", "note"], &Frag::scalar("ça va")),
        "meta:\n  note: \"ça va\" # ünïcode 😀\n  emoji: 😀\n",
    );
    assert_eq!(str_at(&out, &["meta", "emoji"]), "😀");
    let out = check(
        text,
        insert_entry(
            text,
            r.get("meta").unwrap(),
            "ключ",
            &Frag::scalar("значение"),
        ),
        "meta:\n  note: \"héllo\tworld\" # ünïcode 😀\n  emoji: 😀\n  ключ: значение\n",
    );
    assert_eq!(str_at(&out, &["meta", "ключ"]), "значение");
}

// ---- fuzz-ish: every edit on varied inputs still parses -------------------------------------

const INPUTS: &[&str] = &[
    DEPLOYMENT_NO_ENV,
    "a: 1\n",
    "a:\n",
    "a: {}\n",
    "a: {x: 1, y: [1, 2]}\n",
    "- name: x\n  env:\n  - name: A\n    value: b\n",
    "k: |\n  text\n\n\nz: >-\n  folded\n",
    "a:\r\n  b: 1 # c\r\n  list:\r\n  - 1\r\n",
    "root:\n    deep:\n        deeper: 1\n    list:\n        - a\n        - b: c\n",
    "x: \"é\t😀\" # ü\ny: 'a''b'\nz: ~\n---\nsecond: doc\n...\n",
    "a: &anchor\n  b: 1\nc: *anchor\nd:\n  <<: *anchor\n  e: 2\n",
    "last: value-without-newline",
    "list:\n- - a\n  - b\n- c\n",
    "?complex\n",
];

fn all_nodes(node: &Node, out: &mut Vec<Node>) {
    out.push(node.clone());
    match &node.value {
        Value::Scalar(_) => {}
        Value::Sequence(s) => s.items.iter().for_each(|n| all_nodes(n, out)),
        Value::Mapping(m) => m.entries.iter().for_each(|e| all_nodes(&e.value, out)),
    }
}

#[test]
fn every_edit_keeps_the_file_parseable() {
    let values = [
        Frag::scalar("v"),
        Frag::scalar("\"q\""),
        gomemlimit(),
        Frag::seq([Frag::scalar("1"), Frag::map([("k", Frag::scalar("v"))])]),
        Frag::map([]),
        Frag::seq([]),
    ];
    let mut edits = 0;
    for text in INPUTS {
        let file = parse(text);
        if !file.errors.is_empty() {
            continue;
        }
        let mut nodes = Vec::new();
        for doc in &file.documents {
            if let Some(r) = &doc.root {
                all_nodes(r, &mut nodes);
            }
        }
        for node in &nodes {
            let mut results = vec![replace_scalar(text, node, "new: value #x")];
            for value in &values {
                results.push(insert_entry(text, node, "added", value));
                results.push(append_item(text, node, value));
                results.push(set_path(text, node, &["a"], value));
                results.push(set_path(text, node, &["a", "b", "c"], value));
                results.push(set_path(text, node, &["k", "x"], value));
                results.push(append_to_list(text, node, "env", value));
                results.push(append_to_list(text, node, "a", value));
            }
            for edit in results.into_iter().flatten() {
                edits += 1;
                let out = apply(text, &edit);
                let reparsed = parse(&out);
                assert!(
                    reparsed.errors.is_empty(),
                    "{:?}\n--- input ---\n{text}\n--- output ---\n{out}",
                    reparsed.errors
                );
                assert_eq!(reparsed.documents.len(), file.documents.len(), "{out}");
            }
        }
    }
    assert!(edits > 100, "only {edits} edits tried");
}

#[test]
fn never_panics_on_odd_nodes() {
    // A node whose range does not fit the text (e.g. from another file) yields no edit or a
    // harmless one, never a panic.
    let text = "a: 1\n";
    let other = root("bbbbbbbbbbbbbbbbbbbbbbbbbbbb:\n  cccccccccccc: dddddddddddddd\n");
    let c = other.get("bbbbbbbbbbbbbbbbbbbbbbbbbbbb").unwrap();
    let _ = insert_entry(text, c, "x", &Frag::scalar("1"));
    let _ = set_path(text, c, &["cccccccccccc"], &Frag::scalar("1"));
    let _ = replace_scalar(text, c.get("cccccccccccc").unwrap(), "z");
    let _ = append_to_list(text, c, "l", &Frag::scalar("1"));
    let _ = insert_entry("é", &root("aé: 1\n"), "x", &Frag::scalar("1"));
}

#[test]
fn quoted_keys_and_null_items() {
    let text = "\"q k\": 1\n'x':\nl:\n-\n- b\n";
    let r = root(text);
    check(
        text,
        set_path(text, &r, &["x", "port"], &Frag::scalar("80")),
        "\"q k\": 1\n'x':\n  port: 80\nl:\n-\n- b\n",
    );
    check(
        text,
        replace_scalar(text, r.get("q k").unwrap(), "v"),
        "\"q k\": v\n'x':\nl:\n-\n- b\n",
    );
    let out = check(
        text,
        replace_scalar(text, &r.get("l").unwrap().items()[0], "a"),
        "\"q k\": 1\n'x':\nl:\n- a\n- b\n",
    );
    assert_eq!(str_at(&out, &["l", "#0"]), "a");
}
