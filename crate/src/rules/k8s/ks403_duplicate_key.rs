//! KS403 duplicate-key.

use std::collections::HashMap;

use crate::finding::{ObjectRef, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::source::LineIndex;
use crate::workspace::{Content, Workspace};
use crate::yaml::{Node, ScalarStyle, Value};

pub struct DuplicateKey;

pub static META: RuleMeta = RuleMeta {
    code: "KS403",
    name: "duplicate-key",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "A YAML mapping repeats a key and the last value silently wins",
    help: "remove one of the two keys (merge their content if both matter)",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports every repetition of a key in any YAML mapping of a manifest (the second, third, …
occurrence), naming the line of the first one. Keys are compared by their text, so `app` and
`"app"` are the same key. `<<` merge keys are not counted.

## Why it matters

YAML forbids duplicate keys, but the decoders used by `kubectl` and most tools keep the last value
without a word. The first block is silently dropped: a second `resources:` added under a
container throws away the limits written above it, a second `env:` loses every variable of the
first list, a second `labels:` changes what a selector matches. The manifest looks right in
review because both blocks are visible, and the cluster runs something else. Stricter decoders
(newer API servers with strict field validation, yaml.v3, some CI validators) reject the file
instead, so the same manifest behaves differently depending on the tool.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
        resources:
          limits: {memory: 512Mi}
        resources:
          requests: {cpu: 100m, memory: 256Mi}
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
        resources:
          requests: {cpu: 100m, memory: 256Mi}
          limits: {memory: 512Mi}
```

## References

- YAML 1.2: [mapping keys are unique](https://yaml.org/spec/1.2.2/#mapping)
- Kubernetes: [Server-side field validation](https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation)
- Peers: yamllint `key-duplicates`
"#
    ),
};

/// The innermost object of the document that holds `offset` (a `List` item, else the document's
/// object): its reference and ` in Kind/ns/name` for messages.
fn owner(ws: &Workspace<'_>, file: usize, document: usize, offset: usize) -> (ObjectRef, String) {
    let object = ws.objects.iter().rev().find(|o| {
        o.file == file
            && o.document == document
            && o.node.range.start() <= offset
            && offset < o.node.range.end()
    });
    match object {
        Some(o) => (o.object_ref(None), format!(" in {}", o.display_name())),
        None => (
            ObjectRef {
                document,
                ..ObjectRef::default()
            },
            String::new(),
        ),
    }
}

/// The text of a key that takes part in the duplicate check (`<<` merge keys do not).
fn counted_key(key: &Node) -> Option<&str> {
    let key = key.as_scalar()?;
    let merge = key.text == "<<" && key.style == ScalarStyle::Plain;
    (!merge).then_some(key.text.as_str())
}

/// The keys met so far in one mapping, with the node of each key's first occurrence: a short
/// list for the small mappings that manifests are made of, a hash map for large ones. One
/// `Seen` serves every mapping in turn, so checking a file allocates almost nothing.
#[derive(Default)]
struct Seen<'a> {
    few: Vec<(&'a str, &'a Node)>,
    many: HashMap<&'a str, &'a Node>,
    small: bool,
}

impl<'a> Seen<'a> {
    /// Forgets the previous mapping's keys (keeping the memory) before one of `entries`.
    fn reset(&mut self, entries: usize) {
        self.few.clear();
        self.many.clear();
        self.small = entries <= 16;
    }

    /// The first occurrence of `key` if it was met before; otherwise remembers this one.
    fn first_or_insert(&mut self, key: &'a str, node: &'a Node) -> Option<&'a Node> {
        if self.small {
            if let Some((_, first)) = self.few.iter().find(|(k, _)| *k == key) {
                return Some(first);
            }
            self.few.push((key, node));
            return None;
        }
        if let Some(first) = self.many.get(key) {
            return Some(first);
        }
        self.many.insert(key, node);
        None
    }
}

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for (file_index, file) in ws.files.iter().enumerate() {
            let Content::Yaml(yaml) = &file.content else {
                continue;
            };
            // Only needed to name the first occurrence's line, i.e. when a key repeats.
            let mut index: Option<LineIndex> = None;
            let mut seen = Seen::default();
            for document in &yaml.documents {
                let Some(root) = &document.root else { continue };
                let mut stack: Vec<&Node> = vec![root];
                while let Some(node) = stack.pop() {
                    if node.via_alias {
                        // A copy of an anchored node: its keys are reported where written.
                        continue;
                    }
                    match &node.value {
                        Value::Scalar(_) => {}
                        Value::Sequence(s) => stack.extend(s.items.iter().rev()),
                        Value::Mapping(m) => {
                            seen.reset(m.entries.len());
                            for entry in &m.entries {
                                stack.push(&entry.value);
                                let Some(key) = counted_key(&entry.key) else {
                                    continue;
                                };
                                let Some(previous) = seen.first_or_insert(key, &entry.key) else {
                                    continue;
                                };
                                let index = index.get_or_insert_with(|| LineIndex::new(file.text));
                                let first_line = index.line_of(previous.range.start()) + 1;
                                let (reference, owner) =
                                    owner(ws, file_index, document.index, entry.key.range.start());
                                out.report(
                                    file_index,
                                    entry.key.range,
                                    reference,
                                    format!(
                                        "key `{}`{owner} repeats the key on line {first_line}: the last value silently wins and the earlier one is ignored",
                                        key
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const TEXT: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  labels: {app: a, \"app\": b}
data:
  LOG_LEVEL: info
  LOG_LEVEL: debug
  LOG_LEVEL: warn
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
      - name: api
        image: api:1
        env:
        - name: A
          value: x
          value: y
        resources: {}
        resources:
          limits: {memory: 1Gi}
";

    #[test]
    fn fires_on_every_repetition() {
        let found = check_yaml("KS403", TEXT);
        assert_eq!(lines(&found, TEXT), [5, 8, 9, 23, 25]);
        assert_eq!(
            spans(&found, TEXT),
            ["\"app\"", "LOG_LEVEL", "LOG_LEVEL", "value", "resources"]
        );
        assert!(found[1].message.contains("`LOG_LEVEL` in ConfigMap/cfg"));
        assert!(found[1].message.contains("line 7"));
        assert!(found[2].message.contains("line 7"));
        assert!(found[4].message.contains("line 24"));
        assert_eq!(found[3].object.document, 1);
        assert_eq!(found[3].object.kind, "Deployment".into());
    }

    #[test]
    fn merge_keys_and_aliases_are_not_duplicates() {
        let text = "\
base: &base {a: 1, b: 2}
x:
  <<: *base
  <<: {c: 3}
  a: 5
y: *base
z: *base
list:
- {k: 1}
- {k: 2}
";
        assert!(check_yaml("KS403", text).is_empty());
    }

    #[test]
    fn documents_without_kind_and_list_items() {
        let text = "\
just: data
just: again
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: s}
  stringData: {a: b}
  stringData: {a: c}
";
        let found = check_yaml("KS403", text);
        assert_eq!(lines(&found, text), [2, 11]);
        assert_eq!(found[0].object.document, 0);
        assert_eq!(found[0].object.kind, "".into());
        assert_eq!(found[1].object.kind, "Secret".into());
        assert!(found[1].message.contains("Secret/s"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 150;
        let mut text = String::new();
        for i in 0..depth {
            text.push_str(&"  ".repeat(i));
            text.push_str("k:\n");
        }
        text.push_str(&"  ".repeat(depth));
        text.push_str("a: 1\n");
        text.push_str(&"  ".repeat(depth));
        text.push_str("a: 2\n");
        let found = check_yaml("KS403", &text);
        assert_eq!(lines(&found, &text), [depth + 2]);
    }
}
