//! KS102 memory-limit-missing.
//!
//! Applies to every container, plain init containers included. A `LimitRange` of the container's
//! namespace in the input that sets a `default` memory limit for containers counts as a limit.

use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::ks101_resources_requests_missing::limit_range_default;

pub struct MemoryLimitMissing;

pub static META: RuleMeta = RuleMeta {
    code: "KS102",
    name: "memory-limit-missing",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Container sets no memory limit",
    help: "set `resources.limits.memory` (and give a Go service `GOMEMLIMIT` below it)",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a container without `resources.limits.memory`. A `LimitRange` of the same namespace in
the input that gives containers a `default` memory limit counts as a limit. Plain init containers
are checked too.

## Why it matters

Without a memory limit a container may grow until the node runs out of memory. A leak, a cache
without a bound or one oversized request then does not just kill the faulty pod: the kernel's
OOM killer picks processes across the node and the kubelet starts evicting neighbours, so an
incident in one service takes down unrelated ones. A memory limit keeps the damage inside the
container that caused it (it is OOMKilled and restarted).

For Go services the limit is also the number the runtime needs: `GOMEMLIMIT` is typically derived
from `limits.memory` so the garbage collector works harder as the heap approaches the limit,
instead of growing the heap to twice the live data and being killed.

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
          valueFrom:
            resourceFieldRef: {resource: limits.memory}
        resources:
          requests: {cpu: 250m, memory: 256Mi}
          limits: {memory: 512Mi}
```

## References

- Kubernetes: [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
- Kubernetes: [Node-pressure eviction](https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/)
- Go: [A Guide to the Go Garbage Collector — memory limit](https://go.dev/doc/gc-guide#Memory_limit)
- Peers: kube-score `container-resources`, kube-linter `unset-memory-requirements`, Polaris `memoryLimitsMissing`
"#
    ),
};

impl Rule for MemoryLimitMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let set = container
                .resource("limits", "memory")
                .is_some_and(|e| !e.value.is_null());
            if set || limit_range_default(ws, container, &["default"], "memory") {
                continue;
            }
            out.report(
                ws.file_of(container),
                container.resources_anchor(),
                ws.container_ref(container),
                format!(
                    "{} has no memory limit: a leak or a burst can exhaust the node's memory and get neighbouring pods OOM-killed or evicted, and the Go runtime has no limit to size its heap against",
                    ws.describe(container)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const DEPLOY: &str = "\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db-proxy}
spec:
  serviceName: db-proxy
  selector: {matchLabels: {app: db-proxy}}
  template:
    metadata: {labels: {app: db-proxy}}
    spec:
      containers:
      - name: proxy
        image: ghcr.io/acme/proxy:3.1
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 500m}
      - name: ok
        image: ghcr.io/acme/proxy:3.1
        resources:
          limits:
            memory: 128Mi
      - name: bare
        image: redis:7.2
      - name: null-limit
        image: ghcr.io/acme/proxy:3.1
        resources:
          limits:
            memory:
";

    #[test]
    fn fires_without_memory_limit() {
        let found = check_yaml("KS102", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [13, 21, 25]);
        assert_eq!(spans(&found, DEPLOY), ["resources", "bare", "resources"]);
        assert!(found[0]
            .message
            .contains("container `proxy` of StatefulSet/db-proxy has no memory limit"));
    }

    #[test]
    fn limit_range_default_counts() {
        let lr = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: mem}\nspec:\n  limits:\n  - type: Container\n    default:\n      memory: 512Mi\n";
        assert!(check_files("KS102", &[("a.yaml", DEPLOY), ("lr.yaml", lr)]).is_empty());
        // defaultRequest alone sets no limit.
        let req = lr.replace("default:", "defaultRequest:");
        assert_eq!(
            check_files("KS102", &[("a.yaml", DEPLOY), ("lr.yaml", &req)]).len(),
            3
        );
    }

    #[test]
    fn init_containers_count() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      initContainers:\n      - name: fetch\n        image: busybox:1.36\n        resources: {limits: {memory: 32Mi}}\n      - name: unpack\n        image: busybox:1.36\n      containers:\n      - name: run\n        image: ghcr.io/acme/run:1.0\n        resources: {limits: {memory: 1Gi}}\n";
        let found = check_yaml("KS102", text);
        assert_eq!(lines(&found, text), [12]);
    }
}
