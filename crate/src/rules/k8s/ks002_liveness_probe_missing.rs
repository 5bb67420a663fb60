//! KS002 liveness-probe-missing.

use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::ks001_readiness_probe_missing::{has_key, is_long_running};

pub struct LivenessProbeMissing;

pub static META: RuleMeta = RuleMeta {
    code: "KS002",
    name: "liveness-probe-missing",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "Long-running container has no livenessProbe",
    help: "add a livenessProbe that checks only the process itself (e.g. `/livez`), never its dependencies",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

Reports a container of a long-running workload (Deployment, StatefulSet, DaemonSet, ReplicaSet,
or a Pod that restarts) without a `livenessProbe`. Main containers and native sidecars are
checked; plain init containers, Jobs, CronJobs and run-to-completion Pods are not.

## Why it matters

Kubernetes restarts a container on its own only when its process exits. A Go service can stop
doing useful work while staying alive: a deadlock on a mutex, every worker goroutine blocked on a
channel nobody sends to, an accept loop that died while `main` waits on a signal. The pod then
sits there failing requests (or, with a readiness probe, drops out of the Service for good)
until someone notices and deletes it by hand. A liveness probe lets the kubelet detect the wedge
and restart the container.

The probe must be narrow: answer from the process itself (an HTTP handler on the same server, or
a dedicated probe listener that shares the main loop's fate) and never call the database or other
services. A liveness probe that checks dependencies restarts every replica at once when one of
them has an outage, which turns a partial failure into a full one. That is why this rule is only
advice: no liveness probe is better than a badly designed one.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  replicas: 2
  selector:
    matchLabels: {app: orders}
  template:
    metadata:
      labels: {app: orders}
    spec:
      containers:
      - name: orders
        image: ghcr.io/acme/orders:2.3.0
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet: {path: /readyz, port: http}
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  replicas: 2
  selector:
    matchLabels: {app: orders}
  template:
    metadata:
      labels: {app: orders}
    spec:
      containers:
      - name: orders
        image: ghcr.io/acme/orders:2.3.0
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet: {path: /readyz, port: http}
        livenessProbe:
          httpGet: {path: /livez, port: http}
          periodSeconds: 10
          failureThreshold: 3
```

## References

- Kubernetes: [Liveness, Readiness, and Startup Probes](https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/)
- Kubernetes: [Configure Liveness, Readiness and Startup Probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/)
- Go: [`net/http` — `ServeMux`](https://pkg.go.dev/net/http#ServeMux) for a `/livez` handler
- Peers: kube-score `pod-probes`, kube-linter `no-liveness-probe`, Polaris `livenessProbeMissing`
"#),
};

impl Rule for LivenessProbeMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            if !is_long_running(ws, container) || has_key(container, "livenessProbe") {
                continue;
            }
            out.report(
                ws.file_of(container),
                container.name_range(),
                ws.container_ref(container),
                format!(
                    "{} has no livenessProbe: if the process wedges (a deadlock, blocked goroutines) without exiting, Kubernetes never restarts it",
                    ws.describe(container)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const TEXT: &str = r#"apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      initContainers:
      - name: setup
        image: busybox:1.36
      - name: logs
        image: fluent/fluent-bit:3.1
        restartPolicy: Always
      containers:
      - name: agent
        image: ghcr.io/acme/agent:0.4.1
        livenessProbe: {tcpSocket: {port: 9100}}
      - name: exporter
        image: ghcr.io/acme/exporter:0.4.1
      - name: empty
        image: ghcr.io/acme/exporter:0.4.1
        livenessProbe: ~
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cleanup}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: cleanup
            image: ghcr.io/acme/cleanup:1.0
"#;

    #[test]
    fn fires_on_main_containers_and_sidecars() {
        let found = check_yaml("KS002", TEXT);
        assert_eq!(lines(&found, TEXT), [13, 20, 22]);
        assert_eq!(spans(&found, TEXT), ["logs", "exporter", "empty"]);
        assert!(found[1]
            .message
            .starts_with("container `exporter` of DaemonSet/agent has no livenessProbe"));
    }

    #[test]
    fn silent_on_init_containers_and_cronjobs() {
        let found = check_yaml("KS002", TEXT);
        assert!(found.iter().all(|f| {
            let c = f.object.container.as_deref();
            c != Some("setup") && c != Some("cleanup") && c != Some("agent")
        }));
    }

    #[test]
    fn list_items_and_multiple_documents() {
        let text = r#"apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: a}
  spec:
    selector: {matchLabels: {app: a}}
    template:
      metadata: {labels: {app: a}}
      spec:
        containers:
        - {name: a, image: "ghcr.io/acme/a:1.0"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b}
spec:
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec:
      containers:
      - name: b
        image: ghcr.io/acme/b:1.0
        livenessProbe: {httpGet: {path: /livez, port: 8080}}
"#;
        let found = check_yaml("KS002", text);
        assert_eq!(lines(&found, text), [13]);
        assert_eq!(spans(&found, text), ["a"]);
    }
}
