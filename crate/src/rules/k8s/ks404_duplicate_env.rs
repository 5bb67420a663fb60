//! KS404 duplicate-env.

use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::source::TextRange;
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct DuplicateEnv;

pub static META: RuleMeta = RuleMeta {
    code: "KS404",
    name: "duplicate-env",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "A container's `env` lists the same variable twice",
    help: "keep one entry per variable name",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports an `env` entry whose `name` an earlier entry of the same container already uses (init
containers included), pointing at the later entry and saying which value the container gets.

## Why it matters

The kubelet builds the environment in list order, so the last entry wins and the earlier one is
silently ignored: a `GOMEMLIMIT` tuned near the top of the list is overridden by a stale one
added further down, or a value from a Secret is replaced by a leftover literal. The API server
only answers with a warning (`hides previous definition`) that CI pipelines rarely show.
Duplicates also confuse `kubectl apply`: the strategic merge patch keys `env` entries by name,
so removing one of the two later can delete both or leave the wrong one.

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
        env:
        - name: GOMEMLIMIT
          value: 900MiB
        - name: LOG_LEVEL
          value: info
        - name: GOMEMLIMIT
          value: 450MiB
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
        env:
        - name: GOMEMLIMIT
          value: 900MiB
        - name: LOG_LEVEL
          value: info
```

## References

- Kubernetes: [Define environment variables for a container](https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/)
- Kubernetes: [EnvVar API reference](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#environment-variables)
- Peers: kube-linter `duplicate-env-var`
"#
    ),
};

/// How an env entry sets its value, for messages.
fn describe_value(item: &Node) -> String {
    if let Some(value) = item.get("value") {
        return format!("`{}`", value.as_scalar().map_or("", |s| s.text.as_str()));
    }
    if let Some(from) = item.get("valueFrom") {
        if let Some(source) = from.entries().next().and_then(|e| e.key.str()) {
            return format!("the value from `{source}`");
        }
    }
    "an empty value".to_string()
}

impl Rule for DuplicateEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let env = container.env();
            for (i, item) in env.iter().enumerate() {
                let Some(name_entry) = item.entry("name") else {
                    continue;
                };
                let Some(name) = name_entry.value.str() else {
                    continue;
                };
                let seen_before = env[..i]
                    .iter()
                    .any(|e| e.get("name").and_then(Node::str) == Some(name));
                if !seen_before {
                    continue;
                }
                let Some(last) = container.env_var(name) else {
                    continue;
                };
                let winner = if std::ptr::eq(last, item) {
                    format!("this entry wins with {}", describe_value(item))
                } else {
                    format!("a later entry wins with {}", describe_value(last))
                };
                let start = name_entry.key.range.start();
                out.report(
                    ws.file_of(container),
                    TextRange::new(start, name_entry.value.range.end().max(start)),
                    ws.container_ref(container),
                    format!(
                        "{} sets `{name}` more than once: the last entry is used and the earlier ones are silently ignored ({winner})",
                        ws.describe(container)
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const TEXT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      initContainers:
      - name: migrate
        image: ghcr.io/acme/migrate:1
        env: [{name: DSN, value: a}, {name: DSN, value: b}]
      containers:
      - name: api
        image: ghcr.io/acme/api:1.2
        env:
        - name: GOMEMLIMIT
          value: 900MiB
        - name: MODE
          value: prod
        - name: GOMEMLIMIT
          valueFrom:
            resourceFieldRef: {resource: limits.memory}
        - name: GOMEMLIMIT
          value: \"450MiB\"
        - name: PORT
          value: \"8080\"
";

    #[test]
    fn fires_on_repeated_names() {
        let found = check_yaml("KS404", TEXT);
        assert_eq!(lines(&found, TEXT), [12, 21, 24]);
        assert_eq!(
            spans(&found, TEXT),
            ["name: DSN", "name: GOMEMLIMIT", "name: GOMEMLIMIT"]
        );
        assert!(found[0].message.contains("container `migrate`"));
        assert!(found[0].message.contains("this entry wins with `b`"));
        assert!(found[1]
            .message
            .contains("a later entry wins with `450MiB`"));
        assert!(found[2].message.contains("this entry wins with `450MiB`"));
        assert_eq!(found[1].object.container.as_deref(), Some("api"));
    }

    #[test]
    fn silent_on_distinct_names() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: a:1\n    env: [{name: A, value: '1'}, {name: a, value: '2'}]\n  - name: b\n    image: b:1\n    env: [{name: A, value: '1'}]\n";
        assert!(check_yaml("KS404", text).is_empty());
    }
}
