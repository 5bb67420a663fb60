//! GO006 gogc-off-without-memlimit.

use crate::finding::Severity;
use crate::rules::go::{env_setting, item_anchor, targets, EnvSetting};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

pub struct GogcOffWithoutMemlimit;

pub static META: RuleMeta = RuleMeta {
    code: "GO006",
    name: "gogc-off-without-memlimit",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "GOGC=off without GOMEMLIMIT turns the garbage collector off entirely",
    help: "keep GOGC=off only together with GOMEMLIMIT (e.g. from limits.memory)",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a Go container that sets `GOGC=off` (or a negative `GOGC`) in its `env` without any
`GOMEMLIMIT` (neither a value, a `valueFrom`, an `envFrom` source found among the files, nor an
`ENV` of the paired Dockerfile). An `off` `GOMEMLIMIT` does not count.

## Why it matters

`GOGC=off` stops the garbage collector. On its own that means the heap only ever grows: every
allocation the program makes stays in memory until the container reaches its memory limit and
the kernel kills it (`OOMKilled`), and then again after each restart. Without a memory limit the
pod takes memory from its neighbours until the node evicts it.

The setting is meant to be combined with `GOMEMLIMIT` (Go 1.19+): the collector then stays idle
while memory is plentiful and runs only as the total approaches the limit — useful for batch
jobs that want the least GC work. `GOGC=off` copied without its partner is a crash with a delay.

## Example

```yaml bad
apiVersion: batch/v1
kind: Job
metadata: {name: reindex}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: reindex
        image: ghcr.io/acme/reindex:2.0.1
        env:
        - name: GOGC
          value: "off"
        resources:
          limits:
            memory: 2Gi
```

```yaml good
apiVersion: batch/v1
kind: Job
metadata: {name: reindex}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: reindex
        image: ghcr.io/acme/reindex:2.0.1
        env:
        - name: GOGC
          value: "off"
        - name: GOMEMLIMIT
          value: "1800MiB"
        resources:
          limits:
            memory: 2Gi
```

Nothing is changed automatically: either add `GOMEMLIMIT` (about 90% of the memory limit, or
from `resourceFieldRef: {resource: limits.memory}`), or remove `GOGC=off`.

## References

- Go: [A Guide to the Go Garbage Collector — GOGC and the memory limit](https://go.dev/doc/gc-guide#Memory_limit)
- Go: [runtime package — environment variables](https://pkg.go.dev/runtime#hdr-Environment_Variables)
- Go: [runtime/debug.SetGCPercent](https://pkg.go.dev/runtime/debug#SetGCPercent)
"#
    ),
};

/// Does this `GOGC` value turn the collector off? `off`, or a negative number (the runtime reads
/// any negative percentage as "off").
fn is_off(value: &str) -> bool {
    value == "off" || value.parse::<i64>().is_ok_and(|n| n < 0)
}

impl Rule for GogcOffWithoutMemlimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in targets(ws) {
            let gogc = env_setting(ws, container, "GOGC");
            let (Some(item), Some(value)) = (gogc.item(), gogc.literal()) else {
                continue;
            };
            if !is_off(value) {
                continue;
            }
            let limit = env_setting(ws, container, "GOMEMLIMIT");
            let missing = match &limit {
                EnvSetting::Unset { .. } => true,
                EnvSetting::Value { .. } => limit.literal() == Some("off"),
                _ => false,
            };
            if !missing {
                continue;
            }
            out.report(
                ws.file_of(container),
                item_anchor(container, item),
                ws.container_ref(container),
                format!(
                    "{} sets GOGC={value} without a GOMEMLIMIT: the garbage collector never runs and memory grows until the container is OOMKilled",
                    ws.describe(container)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "GO006";

    fn pod(env: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n    env:\n{env}    resources:\n      limits: {{memory: 1Gi}}\n")
    }

    #[test]
    fn fires_at_the_gogc_entry() {
        let text =
            pod("    - name: LOG\n      value: debug\n    - name: GOGC\n      value: \"off\"\n");
        let found = check_yaml(CODE, &text);
        assert_eq!(lines(&found, &text), [12]);
        assert_eq!(spans(&found, &text), ["name: GOGC"]);
        assert!(found[0].fix.is_none());
        let text = pod("    - {name: GOGC, value: '-1'}\n    - {name: GOMEMLIMIT, value: 'off'}\n");
        assert_eq!(spans(&check_yaml(CODE, &text), &text), ["{name: GOGC"]);
    }

    #[test]
    fn silent_with_a_memory_limit_or_gc_on() {
        for env in [
            "    - {name: GOGC, value: \"off\"}\n    - {name: GOMEMLIMIT, value: 900MiB}\n",
            "    - {name: GOGC, value: \"off\"}\n    - {name: GOMEMLIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory}}}\n",
            "    - {name: GOGC, value: \"200\"}\n",
            "    - {name: GOGC, value: \"OFF\"}\n",
            "    - {name: GOGC, valueFrom: {configMapKeyRef: {name: c, key: gogc}}}\n",
        ] {
            let text = pod(env);
            assert!(check_yaml(CODE, &text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_gomemlimit_in_the_image_counts() {
        let df = "FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM alpine:3.20\nENV GOMEMLIMIT=900MiB\nCOPY --from=b /app /app\n";
        let text = pod("    - {name: GOGC, value: \"off\"}\n");
        assert!(check_files(CODE, &[("Dockerfile", df), ("pod.yaml", &text)]).is_empty());
        assert_eq!(check_files(CODE, &[("pod.yaml", &text)]).len(), 1);
    }
}
