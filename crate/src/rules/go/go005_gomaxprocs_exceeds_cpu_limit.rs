//! GO005 gomaxprocs-exceeds-cpu-limit.

use crate::finding::{Fix, Severity};
use crate::k8s::quantity::ceil_cores;
use crate::rules::go::{env_setting, limit, targets, EnvSetting};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::replace_scalar;

pub struct GomaxprocsExceedsCpuLimit;

pub static META: RuleMeta = RuleMeta {
    code: "GO005",
    name: "gomaxprocs-exceeds-cpu-limit",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Literal GOMAXPROCS is larger than the container's CPU limit in whole cores",
    help: "set GOMAXPROCS to ceil(limits.cpu), or read it from resourceFieldRef limits.cpu",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports a Go container whose `GOMAXPROCS` is a literal number (`value: "8"`, quoted or not)
greater than its CPU limit rounded up to whole cores (`ceil(limits.cpu)`: `500m` → 1,
`1500m` → 2, `4` → 4).

## Why it matters

`GOMAXPROCS` is how many threads run Go code at the same time. A container limited to 2 CPUs
but told to use 8 threads spends its CPU quota four times as fast as the kernel refills it: for
most of every 100 ms period the container is throttled, and request latency jumps whenever
several goroutines are busy at once. The hard-coded number usually dates from a time when the
limit was higher, or was copied from a benchmark run on a laptop.

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
        - name: GOMAXPROCS
          value: "8"
        resources:
          limits:
            cpu: 1500m
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
        - name: GOMAXPROCS
          valueFrom:
            resourceFieldRef:
              resource: limits.cpu
        resources:
          limits:
            cpu: 1500m
```

The fix replaces the number with `ceil(limits.cpu)` and keeps its quotes. Reading the value from
the Downward API (as in the good example, which yields the same rounded-up number) keeps it right
when the limit changes.

## References

- Go: [runtime package — GOMAXPROCS](https://pkg.go.dev/runtime#GOMAXPROCS)
- Go: [Container-aware GOMAXPROCS (Go blog)](https://go.dev/blog/container-aware-gomaxprocs)
- Kubernetes: [How pods with resource limits are run](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-limits-are-run)
"#
    ),
};

impl Rule for GomaxprocsExceedsCpuLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in targets(ws) {
            let Some((limit_entry, limit)) = limit(container, "cpu") else {
                continue;
            };
            let setting = env_setting(ws, container, "GOMAXPROCS");
            let EnvSetting::Value { value, .. } = setting else {
                continue;
            };
            let Some(literal) = setting.literal() else {
                continue;
            };
            // The runtime reads a positive decimal integer and ignores anything else.
            let Ok(procs) = literal.trim().parse::<i128>() else {
                continue;
            };
            let cores = ceil_cores(limit.milli());
            if procs <= cores {
                continue;
            }
            let file = ws.file_of(container);
            let target = cores.to_string();
            let edit = replace_scalar(ws.text(file), value, &target);
            let limit_text = limit_entry.value.str().unwrap_or_default();
            let finding = out.report(
                file,
                value.range,
                ws.container_ref(container),
                format!(
                    "GOMAXPROCS {procs} of {} is more than its CPU limit of {limit_text} allows ({cores} core{}): the threads use up the CPU quota early in each period and the container is throttled",
                    ws.describe(container),
                    if cores == 1 { "" } else { "s" }
                ),
            );
            if let Some(edit) = edit {
                finding.fix = Some(Fix::safe(format!("set GOMAXPROCS to {cores}"), vec![edit]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "GO005";

    fn pod(value: &str, cpu: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n    env:\n    - name: GOMAXPROCS\n      value: {value}\n    resources:\n      limits:\n        cpu: {cpu}\n")
    }

    #[test]
    fn fires_at_the_value() {
        let text = pod("\"8\"", "1500m");
        let found = check_yaml(CODE, &text);
        assert_eq!(lines(&found, &text), [11]);
        assert_eq!(spans(&found, &text), ["\"8\""]);
        assert!(found[0].message.contains("2 cores"));
        assert!(is_safe(&found[0]));
    }

    #[test]
    fn fix_writes_ceil_keeping_quotes() {
        assert_eq!(
            fixed_yaml(CODE, &pod("\"8\"", "1500m")),
            pod("\"2\"", "1500m")
        );
        assert_eq!(fixed_yaml(CODE, &pod("'4'", "250m")), pod("'1'", "250m"));
        assert_eq!(
            fixed_yaml(CODE, &pod("16", "\"2\"")),
            pod("16", "\"2\"").replace("value: 16", "value: \"2\"")
        );
        assert_eq!(fixed_yaml(CODE, &pod("3", "0.5")), pod("\"1\"", "0.5"));
    }

    #[test]
    fn fix_in_flow_style() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: api, image: ghcr.io/acme/api, env: [{name: GOMAXPROCS, value: '6'}], resources: {limits: {cpu: 2}}}\n";
        assert_eq!(fixed_yaml(CODE, text), text.replace("'6'", "'2'"));
    }

    #[test]
    fn silent_within_the_limit_or_when_not_literal() {
        for (value, cpu) in [
            ("\"2\"", "1500m"),
            ("\"1\"", "250m"),
            ("\"4\"", "4"),
            ("\"4\"", "4000m"),
            ("auto", "1"),
            ("\"8\"", "~"),
        ] {
            let text = pod(value, cpu);
            assert!(check_yaml(CODE, &text).is_empty(), "{text}");
        }
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: api\n    image: ghcr.io/acme/api\n    env:\n    - {name: GOMAXPROCS, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}\n    resources: {limits: {cpu: 500m}}\n";
        assert!(check_yaml(CODE, text).is_empty());
    }
}
