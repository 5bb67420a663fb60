//! GO003 gomemlimit-exceeds-limit.

use crate::finding::{Fix, Severity};
use crate::k8s::quantity::{format_gomemlimit, parse_gomemlimit};
use crate::rules::go::{env_setting, limit, targets, EnvSetting};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::replace_scalar;

pub struct GomemlimitExceedsLimit;

pub static META: RuleMeta = RuleMeta {
    code: "GO003",
    name: "gomemlimit-exceeds-limit",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "Literal GOMEMLIMIT is not below the container's memory limit",
    help: "set GOMEMLIMIT to about 90% of limits.memory",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports a Go container whose `GOMEMLIMIT` is a literal value (`value: 1GiB`) that is larger
than its `resources.limits.memory` (error), or equal to it, leaving no headroom (warning).

The value is read as the Go runtime reads it: a byte count with an optional `B`, `KiB`, `MiB`,
`GiB` or `TiB` suffix. The limit is read as Kubernetes reads it (`400Mi`, `1G`, `0.5Gi`).

## Why it matters

`GOMEMLIMIT` only helps if the Go runtime reaches it before the kernel's OOM killer does. With
a `GOMEMLIMIT` of `1GiB` in a container limited to `512Mi`, the garbage collector still believes
it may grow the heap well past 512 MiB, and the pod is `OOMKilled` exactly as if no limit were
set. This typically happens when someone lowers `limits.memory` and forgets the hand-written
variable, or writes the two in different units (`1G` vs `1GiB`).

A value equal to the limit is also too high: the container's memory usage as the kernel counts
it includes memory the Go runtime does not track (cgo allocations, thread stacks of the OS,
page cache charged to the cgroup), so the runtime needs some room below the hard limit.

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
          value: "1GiB"
        resources:
          limits:
            memory: 400Mi
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
          value: "360MiB"
        resources:
          limits:
            memory: 400Mi
```

The fix writes 90% of the limit, rounded down, in the Go runtime's syntax (`400Mi` → `360MiB`),
keeping the value's quotes. Mind the units: `GOMEMLIMIT` takes `MiB`, not Kubernetes' `Mi`.

## References

- Go: [A Guide to the Go Garbage Collector — Memory limit](https://go.dev/doc/gc-guide#Memory_limit)
- Go: [runtime/debug.SetMemoryLimit](https://pkg.go.dev/runtime/debug#SetMemoryLimit)
- Kubernetes: [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
"#
    ),
};

impl Rule for GomemlimitExceedsLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in targets(ws) {
            let Some((limit_entry, limit)) = limit(container, "memory") else {
                continue;
            };
            let setting = env_setting(ws, container, "GOMEMLIMIT");
            let EnvSetting::Value { value, .. } = setting else {
                continue;
            };
            let Some(text_value) = setting.literal() else {
                continue;
            };
            let Some(bytes) = parse_gomemlimit(text_value) else {
                continue;
            };
            // `off` (no limit) means "unset" here, which GO001 is about.
            if text_value == "off" {
                continue;
            }
            let (Ok(bytes), Ok(limit_bytes)) =
                (u128::try_from(bytes), u128::try_from(limit.bytes()))
            else {
                continue;
            };
            if bytes < limit_bytes {
                continue;
            }
            let limit_text = limit_entry.value.str().unwrap_or_default();
            let severity = if bytes > limit_bytes {
                Severity::Error
            } else {
                Severity::Warning
            };
            let what = if bytes > limit_bytes {
                "is larger than its memory limit"
            } else {
                "equals its memory limit"
            };
            let target = format_gomemlimit(limit_bytes / 10 * 9 + limit_bytes % 10 * 9 / 10);
            let file = ws.file_of(container);
            let edit = replace_scalar(ws.text(file), value, &target);
            let finding = out.report(
                file,
                value.range,
                ws.container_ref(container),
                format!(
                    "GOMEMLIMIT `{text_value}` of {} {what} ({limit_text}): the garbage collector lets the heap grow past the point where the kernel OOM-kills the pod",
                    ws.describe(container)
                ),
            );
            finding.severity = severity;
            if let Some(edit) = edit {
                finding.fix = Some(Fix::safe(
                    format!("set GOMEMLIMIT to {target} (90% of {limit_text})"),
                    vec![edit],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::rules::testing::*;

    const CODE: &str = "GO003";

    fn pod(value: &str, memory: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n    env:\n    - name: GOMEMLIMIT\n      value: {value}\n    resources:\n      limits:\n        memory: {memory}\n")
    }

    #[test]
    fn larger_is_an_error_at_the_value() {
        let text = pod("\"1GiB\"", "400Mi");
        let found = check_yaml(CODE, &text);
        assert_eq!(lines(&found, &text), [11]);
        assert_eq!(spans(&found, &text), ["\"1GiB\""]);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains("`1GiB`"));
        assert!(is_safe(&found[0]));
    }

    #[test]
    fn equal_is_a_warning() {
        let text = pod("400MiB", "400Mi");
        let found = check_yaml(CODE, &text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        // A plain byte count equal to the limit too.
        let text = pod("'419430400'", "400Mi");
        assert_eq!(check_yaml(CODE, &text)[0].severity, Severity::Warning);
    }

    #[test]
    fn fix_writes_ninety_percent_keeping_quotes() {
        assert_eq!(
            fixed_yaml(CODE, &pod("\"1GiB\"", "400Mi")),
            pod("\"360MiB\"", "400Mi")
        );
        assert_eq!(
            fixed_yaml(CODE, &pod("'2GiB'", "1Gi")),
            pod("'921MiB'", "1Gi")
        );
        assert_eq!(
            fixed_yaml(CODE, &pod("512MiB", "512Mi")),
            pod("460MiB", "512Mi")
        );
        // Decimal limits: 1G = 1000000000 bytes, 90% = 900000000 → 858MiB (rounded down).
        assert_eq!(fixed_yaml(CODE, &pod("1GiB", "1G")), pod("858MiB", "1G"));
    }

    #[test]
    fn fix_in_a_flow_item() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: api, image: ghcr.io/acme/api, env: [{name: GOMEMLIMIT, value: \"8GiB\"}], resources: {limits: {memory: 4Gi}}}\n";
        assert_eq!(
            fixed_yaml(CODE, text),
            text.replace("\"8GiB\"", "\"3686MiB\"")
        );
    }

    #[test]
    fn silent_below_the_limit_and_on_other_forms() {
        for (value, memory) in [
            ("360MiB", "400Mi"),
            ("'off'", "400Mi"),
            // Kubernetes syntax: the Go runtime rejects it, a different problem.
            ("400Mi", "256Mi"),
            ("\"\"", "256Mi"),
            ("1GiB", "~"),
            ("1GiB", "lots"),
        ] {
            let text = pod(value, memory);
            assert!(check_yaml(CODE, &text).is_empty(), "{text}");
        }
        let from = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: api\n    image: ghcr.io/acme/api\n    env:\n    - name: GOMEMLIMIT\n      valueFrom: {resourceFieldRef: {resource: limits.memory}}\n    resources: {limits: {memory: 1Gi}}\n";
        assert!(check_yaml(CODE, from).is_empty());
    }

    #[test]
    fn the_last_duplicate_counts() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: api\n    image: ghcr.io/acme/api\n    env:\n    - {name: GOMEMLIMIT, value: 8GiB}\n    - {name: GOMEMLIMIT, value: 300MiB}\n    resources: {limits: {memory: 1Gi}}\n";
        assert!(check_yaml(CODE, text).is_empty());
    }
}
