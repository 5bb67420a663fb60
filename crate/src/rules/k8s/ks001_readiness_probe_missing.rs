//! KS001 readiness-probe-missing.

use crate::finding::Severity;
use crate::k8s::Container;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

pub struct ReadinessProbeMissing;

pub static META: RuleMeta = RuleMeta {
    code: "KS001",
    name: "readiness-probe-missing",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Long-running container declares ports but has no readinessProbe",
    help: "add a readinessProbe on a cheap endpoint that reports whether this pod can serve now",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a container of a long-running workload (Deployment, StatefulSet, DaemonSet, ReplicaSet,
or a Pod that restarts) that declares `ports` but has no `readinessProbe`. Main containers and
native sidecars (`initContainers` with `restartPolicy: Always`) are checked; plain init
containers, Jobs, CronJobs and run-to-completion Pods are not, since they do not serve traffic.

## Why it matters

Without a readiness probe a pod counts as ready the moment its containers have started. The
Service adds it to its endpoints while the Go binary is still loading configuration, opening
database pools or warming caches, so the first requests of every rollout hit a process that
is not listening yet and fail with `connection refused` or 502s from the ingress. The same holds
later: a pod that is overloaded or has lost its database stays in rotation and keeps receiving
its share of traffic. During shutdown there is nothing that can take the pod out of the
endpoints early. A rolling update also treats such pods as available at once, so the rollout
races ahead and can replace every healthy pod with ones that do not work.

A readiness probe should answer "can this pod take a request right now": return 200 only once
the listeners are up (for a gRPC server, after `Serve` has started) and the dependencies it
cannot work without are reachable. Keep it cheap, since the kubelet calls it every few seconds.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
      - name: checkout
        image: ghcr.io/acme/checkout:1.14.2
        ports:
        - name: http
          containerPort: 8080
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
      - name: checkout
        image: ghcr.io/acme/checkout:1.14.2
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /readyz
            port: http
          periodSeconds: 5
          failureThreshold: 3
```

## References

- Kubernetes: [Liveness, Readiness, and Startup Probes](https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/)
- Kubernetes: [Configure Liveness, Readiness and Startup Probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/)
- Kubernetes: [Pod lifecycle — container probes](https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes)
- Go: [`net/http.Server.Shutdown`](https://pkg.go.dev/net/http#Server.Shutdown), [`google.golang.org/grpc/health`](https://pkg.go.dev/google.golang.org/grpc/health)
- Peers: kube-score `pod-probes`, kube-linter `no-readiness-probe`, Polaris `readinessProbeMissing`
"#
    ),
};

/// A container that runs as long as its pod: a main container or native sidecar of a workload
/// that is not a Job, CronJob or run-to-completion Pod.
pub(crate) fn is_long_running(ws: &Workspace<'_>, container: &Container<'_>) -> bool {
    ws.pods
        .get(container.pod)
        .is_some_and(|pod| pod.long_running)
        && container.is_long_running_kind()
}

/// Is the probe (or other key) set to something other than null?
pub(crate) fn has_key(container: &Container<'_>, key: &str) -> bool {
    container
        .node
        .get(key)
        .is_some_and(|value| !value.is_null())
}

/// The port to show in an example probe: the first port's name, else its number.
fn example_port(container: &Container<'_>) -> String {
    let ports = container.ports();
    if let Some(name) = ports
        .iter()
        .find_map(|p| p.get("name").and_then(|n| n.str()))
    {
        return name.to_string();
    }
    ports
        .iter()
        .find_map(|p| p.get("containerPort").and_then(|n| n.int()))
        .map_or_else(|| "8080".to_string(), |n| n.to_string())
}

impl Rule for ReadinessProbeMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            if !is_long_running(ws, container)
                || container.ports().is_empty()
                || has_key(container, "readinessProbe")
            {
                continue;
            }
            let port = example_port(container);
            let finding = out.report(
                ws.file_of(container),
                container.name_range(),
                ws.container_ref(container),
                format!(
                    "{} declares ports but has no readinessProbe: its pods join the Service as soon as the process starts, before the server listens, and stay in it while overloaded or shutting down",
                    ws.describe(container)
                ),
            );
            finding.help = format!(
                "add a readiness probe, e.g. `readinessProbe: {{httpGet: {{path: /readyz, port: {port}}}, periodSeconds: 5}}`"
            ).into();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const DEPLOY: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      initContainers:
      - name: migrate
        image: ghcr.io/acme/migrate:2.0.1
        ports:
        - containerPort: 9999
      - name: proxy
        image: envoyproxy/envoy:v1.31.0
        restartPolicy: Always
        ports:
        - name: admin
          containerPort: 9901
      containers:
      - name: api
        image: ghcr.io/acme/api:1.4.0
        ports:
        - name: http
          containerPort: 8080
        livenessProbe:
          httpGet: {path: /livez, port: http}
      - name: worker
        image: ghcr.io/acme/worker:1.4.0
      - name: "web"
        image: nginx:1.27
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: 80}}
      - name: nullprobe
        image: ghcr.io/acme/api:1.4.0
        ports:
        - containerPort: 8081
        readinessProbe:
"#;

    #[test]
    fn fires_on_serving_containers_without_readiness() {
        let found = check_yaml("KS001", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [18, 25, 38]);
        assert_eq!(spans(&found, DEPLOY), ["proxy", "api", "nullprobe"]);
        assert!(found[1]
            .message
            .contains("container `api` of Deployment/shop/api"));
        assert!(found[1].help.contains("port: http"));
        assert!(found[2].help.contains("port: 8081"));
        assert!(found.iter().all(|f| f.fix.is_none()));
    }

    #[test]
    fn silent_on_jobs_cronjobs_and_completing_pods() {
        let text = r#"apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: ghcr.io/acme/report:3.1
            ports: [{containerPort: 8080}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: once
        image: ghcr.io/acme/once:3.1
        ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  restartPolicy: Never
  containers:
  - name: debug
    image: ghcr.io/acme/debug:3.1
    ports: [{containerPort: 8080}]
"#;
        assert!(check_yaml("KS001", text).is_empty());
    }

    #[test]
    fn fires_on_statefulset_and_pod() {
        let text = r#"apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ledger}
spec:
  serviceName: ledger
  selector: {matchLabels: {app: ledger}}
  template:
    metadata: {labels: {app: ledger}}
    spec:
      containers:
      - name: ledger
        image: ghcr.io/acme/ledger:0.9.0
        ports:
        - {name: grpc, containerPort: 9090}
---
apiVersion: v1
kind: Pod
metadata: {name: standalone}
spec:
  containers:
  - image: ghcr.io/acme/api:1.4.0
    name: standalone
    ports: []
  - image: ghcr.io/acme/api:1.4.0
    name: served
    ports:
    - containerPort: 8080
"#;
        let found = check_yaml("KS001", text);
        assert_eq!(lines(&found, text), [11, 25]);
        assert_eq!(spans(&found, text), ["ledger", "served"]);
    }
}
