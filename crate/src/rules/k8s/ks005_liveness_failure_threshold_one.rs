//! KS005 liveness-failure-threshold-one.

use crate::finding::{Fix, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{set_path, Frag};

pub struct LivenessFailureThresholdOne;

pub static META: RuleMeta = RuleMeta {
    code: "KS005",
    name: "liveness-failure-threshold-one",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "livenessProbe restarts the container after a single failed check",
    help: "set `failureThreshold: 3` so one slow or lost probe does not restart the container",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports a `livenessProbe` with `failureThreshold: 1`. The fix sets it to 3, the Kubernetes
default.

## Why it matters

With a threshold of one, a single probe that does not answer within `timeoutSeconds` (one
second by default) makes the kubelet kill the container. In a Go service that happens in normal
operation: a long GC cycle under memory pressure, a burst that saturates the CPU limit and gets
the container throttled for the rest of the CFS period, a full accept queue, a node under load.
Each such hiccup becomes a restart: in-flight requests are dropped, caches and connection pools
are rebuilt, and the restart count climbs until the pod lands in CrashLoopBackOff with its
back-off delay. Requiring a few consecutive failures keeps the probe able to catch a real
deadlock while riding out a transient stall.

## Example

```yaml bad
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: sessions
spec:
  serviceName: sessions
  selector:
    matchLabels: {app: sessions}
  template:
    metadata:
      labels: {app: sessions}
    spec:
      containers:
      - name: sessions
        image: ghcr.io/acme/sessions:1.9.0
        ports:
        - {name: http, containerPort: 8080}
        livenessProbe:
          httpGet: {path: /livez, port: http}
          initialDelaySeconds: 15
          timeoutSeconds: 1
          failureThreshold: 1
```

```yaml good
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: sessions
spec:
  serviceName: sessions
  selector:
    matchLabels: {app: sessions}
  template:
    metadata:
      labels: {app: sessions}
    spec:
      containers:
      - name: sessions
        image: ghcr.io/acme/sessions:1.9.0
        ports:
        - {name: http, containerPort: 8080}
        livenessProbe:
          httpGet: {path: /livez, port: http}
          initialDelaySeconds: 15
          timeoutSeconds: 1
          failureThreshold: 3
```

## References

- Kubernetes: [Configure probes — `failureThreshold`](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes)
- Kubernetes: [Liveness, Readiness, and Startup Probes](https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/)
- Go: [A Guide to the Go Garbage Collector](https://go.dev/doc/gc-guide)
"#
    ),
};

impl Rule for LivenessFailureThresholdOne {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            if !container.is_long_running_kind() {
                continue;
            }
            let Some(probe) = container.node.get("livenessProbe") else {
                continue;
            };
            let Some(entry) = probe.entry("failureThreshold") else {
                continue;
            };
            if entry.value.int() != Some(1) {
                continue;
            }
            let file = ws.file_of(container);
            let finding = out.report(
                file,
                entry.key.range,
                ws.container_ref(container),
                format!(
                    "the livenessProbe of {} has failureThreshold 1: a single slow answer (a GC pause, CPU throttling, a busy node) restarts the container and drops its in-flight requests",
                    ws.describe(container)
                ),
            );
            if let Some(edit) = set_path(
                ws.text(file),
                probe,
                &["failureThreshold"],
                &Frag::scalar("3"),
            ) {
                finding.fix = Some(Fix::safe("set `failureThreshold: 3`", vec![edit]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const TEXT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        livenessProbe:
          httpGet: {path: /livez, port: 8080}
          failureThreshold: 1   # strict
        readinessProbe:
          httpGet: {path: /readyz, port: 8080}
          failureThreshold: 1
      - name: flow
        image: ghcr.io/acme/flow:1.0
        livenessProbe: {tcpSocket: {port: 9090}, failureThreshold: 1}
      - name: fine
        image: ghcr.io/acme/fine:1.0
        livenessProbe: {tcpSocket: {port: 9090}, failureThreshold: 2}
      - name: quoted
        image: ghcr.io/acme/quoted:1.0
        livenessProbe: {tcpSocket: {port: 9090}, failureThreshold: "1"}
"#;

    #[test]
    fn fires_on_liveness_threshold_one_only() {
        let found = check_yaml("KS005", TEXT);
        assert_eq!(lines(&found, TEXT), [15, 21]);
        assert_eq!(
            spans(&found, TEXT),
            ["failureThreshold", "failureThreshold"]
        );
        assert!(found.iter().all(is_safe));
        assert!(found[0]
            .message
            .contains("container `api` of Deployment/api"));
    }

    #[test]
    fn fix_sets_three() {
        let expected = TEXT
            .replace(
                "failureThreshold: 1   # strict",
                "failureThreshold: 3   # strict",
            )
            .replace(
                "{tcpSocket: {port: 9090}, failureThreshold: 1}",
                "{tcpSocket: {port: 9090}, failureThreshold: 3}",
            );
        assert_eq!(fixed_yaml("KS005", TEXT), expected);
    }
}
