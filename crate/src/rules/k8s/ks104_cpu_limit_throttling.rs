//! KS104 cpu-limit-throttling.
//!
//! Every container, plain init containers included. A zero limit and values that do not parse
//! (KS107) are left alone.

use crate::finding::Severity;
use crate::k8s::quantity::parse_manifest_quantity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

pub struct CpuLimitThrottling;

pub static META: RuleMeta = RuleMeta {
    code: "KS104",
    name: "cpu-limit-throttling",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "CPU limit below one core: CFS throttling adds tail latency",
    help: "give latency-sensitive services at least one core of limit, or set only a CPU request",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a container whose `resources.limits.cpu` is below one core (less than `1000m`).

## Why it matters

A CPU limit is enforced by the kernel's CFS bandwidth control as a time quota per 100 ms
period: a `250m` limit allows 25 ms of CPU time per period, summed over every thread. A Go
program runs many threads at once (request handlers on several Ps, plus the garbage collector's
background workers, which by default use a quarter of GOMAXPROCS), so it can spend its whole
quota in the first few milliseconds of a period and then be frozen until the next one starts.
Requests that arrive during the freeze wait up to ~75 ms for nothing; p99 latency rises even
though average CPU usage looks low. Before Go 1.25 the runtime also sized GOMAXPROCS to the
node's cores rather than to the limit, which makes the bursts worse.

For latency-sensitive services, prefer a CPU request (which guarantees a share under contention)
with no limit or a limit of at least one or two cores; if a fractional limit is required, set
`GOMAXPROCS` to match it (see GO004).

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
          requests: {cpu: 250m, memory: 256Mi}
          limits: {cpu: 250m, memory: 256Mi}
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
          requests: {cpu: 250m, memory: 256Mi}
          limits: {memory: 256Mi}
```

## References

- Kubernetes: [How pods with resource limits are run](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-limits-are-run)
- Linux: [CFS bandwidth control](https://docs.kernel.org/scheduler/sched-bwc.html)
- Go: [Go 1.25 release notes — container-aware GOMAXPROCS](https://go.dev/doc/go1.25#container-aware-gomaxprocs)
- Peers: no direct equivalent in kube-score, kube-linter or Polaris (they only check that a limit is set)
"#
    ),
};

impl Rule for CpuLimitThrottling {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let Some(entry) = container.resource("limits", "cpu") else {
                continue;
            };
            let Some(text) = entry.value.str() else {
                continue;
            };
            let Ok(quantity) = parse_manifest_quantity(text) else {
                continue;
            };
            let milli = quantity.milli();
            if milli <= 0 || milli >= 1000 {
                continue;
            }
            out.report(
                ws.file_of(container),
                entry.value.range,
                ws.container_ref(container),
                format!(
                    "{} limits CPU to `{}` ({milli}m, {} ms of CPU time per 100 ms period): bursts of request handling and garbage collection use up the quota early and the container is throttled for the rest of the period, which shows up as tail latency",
                    ws.describe(container),
                    text.trim(),
                    format_ms(milli),
                ),
            );
        }
    }
}

/// CPU time per 100 ms period for a limit in millicores: `250` → `25`, `5` → `0.5`.
fn format_ms(milli: i128) -> String {
    if milli % 10 == 0 {
        (milli / 10).to_string()
    } else {
        format!("{}.{}", milli / 10, milli % 10)
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const POD: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    image: ghcr.io/acme/a:1.0
    resources:
      limits:
        cpu: 0.5
  - name: b
    image: ghcr.io/acme/a:1.0
    resources: {limits: {cpu: \"250m\"}}
  - name: one-core
    image: ghcr.io/acme/a:1.0
    resources: {limits: {cpu: 1000m}}
  - name: two
    image: ghcr.io/acme/a:1.0
    resources: {limits: {cpu: 2}}
  - name: request-only
    image: ghcr.io/acme/a:1.0
    resources: {requests: {cpu: 100m}}
  - name: invalid
    image: ghcr.io/acme/a:1.0
    resources: {limits: {cpu: 500 millicores}}
  - name: zero
    image: ghcr.io/acme/a:1.0
    resources: {limits: {cpu: 0}}
  - name: tiny
    image: nginx:1.25
    resources: {limits: {cpu: 5m}}
";

    #[test]
    fn fires_below_one_core() {
        let found = check_yaml("KS104", POD);
        assert_eq!(lines(&found, POD), [10, 13, 31]);
        assert_eq!(spans(&found, POD), ["0.5", "\"250m\"", "5m"]);
        assert!(found[0].message.contains("`0.5` (500m, 50 ms"));
        assert!(found[2].message.contains("(5m, 0.5 ms"));
    }
}
