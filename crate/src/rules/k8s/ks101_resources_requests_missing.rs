//! KS101 resources-requests-missing.
//!
//! Applies to every container, plain init containers included: the scheduler counts their
//! requests too (a pod reserves the larger of its biggest init container and the sum of the
//! others).
//!
//! A request counts as set when `requests.<res>` is set, when `limits.<res>` is set (Kubernetes
//! then defaults the request to the limit), or when a `LimitRange` of the container's namespace
//! in the input gives containers a default (`defaultRequest`, or `default`, which the request
//! falls back to).

use crate::finding::Severity;
use crate::k8s::Container;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct ResourcesRequestsMissing;

pub static META: RuleMeta = RuleMeta {
    code: "KS101",
    name: "resources-requests-missing",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Container sets no CPU or memory request",
    help: "set `resources.requests.cpu` and `resources.requests.memory` to what the container needs at steady state",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

Reports a container that has no `resources.requests.cpu` or no `resources.requests.memory`, and
says which of the two is missing.

A request is not missing when the matching limit is set: Kubernetes copies a limit into an unset
request, so `limits: {memory: 512Mi}` alone also requests 512Mi. It is not missing either when
the input holds a `LimitRange` in the same namespace that gives containers a default request
(`defaultRequest`, or `default`, which unset requests fall back to). Plain init containers are
checked too, because the scheduler counts their requests.

## Why it matters

Requests are what the scheduler reserves. A container that requests nothing is placed on nodes
as if it used nothing, so busy nodes keep receiving pods until they run short of memory. Without
requests the pod also lands in the `BestEffort` (or `Burstable`) QoS class: under node memory
pressure the kubelet evicts it first, and without a CPU request it gets the smallest CPU share
when the node is busy, which shows up as latency spikes nobody can explain from the service's
own metrics. The Horizontal Pod Autoscaler cannot compute CPU or memory utilisation for a
container without requests either.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
        resources:
          requests:
            cpu: 250m
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
        resources:
          requests:
            cpu: 250m
            memory: 256Mi
          limits:
            memory: 512Mi
      - name: worker
        image: ghcr.io/acme/worker:1.8.2
        resources:
          limits:           # requests default to these limits
            cpu: "1"
            memory: 1Gi
```

## References

- Kubernetes: [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
- Kubernetes: [Pod quality of service classes](https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/)
- Kubernetes: [Limit ranges](https://kubernetes.io/docs/concepts/policy/limit-range/)
- Peers: kube-score `container-resources`, kube-linter `unset-cpu-requirements` / `unset-memory-requirements`, Polaris `cpuRequestsMissing` / `memoryRequestsMissing`
"#),
};

/// Is `value` an actual setting (present and not null)?
fn is_set(value: Option<&Node>) -> bool {
    value.is_some_and(|v| !v.is_null())
}

/// Whether a `LimitRange` of the container's namespace, in the input, gives containers a
/// default for `resource` under one of `keys` (`default` for limits; `defaultRequest` or
/// `default` for requests).
pub(super) fn limit_range_default(
    ws: &Workspace<'_>,
    container: &Container<'_>,
    keys: &[&str],
    resource: &str,
) -> bool {
    let namespace = ws.object_of(container).namespace_or_default();
    ws.objects
        .iter()
        .filter(|o| o.kind == "LimitRange" && o.namespace_or_default() == namespace)
        .flat_map(|o| {
            o.node
                .path(&["spec", "limits"])
                .map(Node::items)
                .unwrap_or_default()
        })
        .filter(|item| item.get("type").and_then(Node::str) == Some("Container"))
        .any(|item| {
            keys.iter()
                .any(|key| is_set(item.get(key).and_then(|d| d.get(resource))))
        })
}

/// Whether the container ends up with a request for `resource`.
fn has_request(ws: &Workspace<'_>, container: &Container<'_>, resource: &str) -> bool {
    is_set(container.resource("requests", resource).map(|e| &e.value))
        || is_set(container.resource("limits", resource).map(|e| &e.value))
        || limit_range_default(ws, container, &["defaultRequest", "default"], resource)
}

impl Rule for ResourcesRequestsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let cpu = has_request(ws, container, "cpu");
            let memory = has_request(ws, container, "memory");
            let what = match (cpu, memory) {
                (true, true) => continue,
                (false, false) => {
                    "sets neither `requests.cpu` nor `requests.memory`: the scheduler reserves nothing for it, so it can land on a full node, gets the smallest CPU share under contention and is evicted first under memory pressure"
                }
                (false, true) => {
                    "sets no `requests.cpu`: the scheduler reserves no CPU for it, so on a busy node it gets the smallest CPU share and its latency spikes"
                }
                (true, false) => {
                    "sets no `requests.memory`: the scheduler reserves no memory for it, so it can land on a node without room and is among the first evicted under memory pressure"
                }
            };
            out.report(
                ws.file_of(container),
                container.resources_anchor(),
                ws.container_ref(container),
                format!("{} {what}", ws.describe(container)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const DEPLOY: &str = "\
apiVersion: apps/v1
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
        image: ghcr.io/acme/migrate:1.0
      - name: proxy
        image: envoyproxy/envoy:v1.30.1
        restartPolicy: Always
        resources:
          requests: {cpu: 100m}
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources:
          requests:
            memory: 256Mi
      - name: full
        image: ghcr.io/acme/api:1.0
        resources:
          requests:
            cpu: \"1\"
            memory: 1Gi
      - name: limits-only
        image: ghcr.io/acme/api:1.0
        resources:
          limits:
            cpu: 2
            memory: \"1Gi\"
      - name: mixed
        image: ghcr.io/acme/api:1.0
        resources:
          requests: {memory: 128Mi}
          limits: {cpu: 500m}
      - name: nulls
        image: ghcr.io/acme/api:1.0
        resources:
          requests:
            cpu:
            memory: ~
";

    #[test]
    fn fires_with_what_is_missing() {
        let found = check_yaml("KS101", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [14, 19, 24, 46]);
        assert_eq!(
            spans(&found, DEPLOY),
            ["migrate", "resources", "resources", "resources"]
        );
        let by = |name: &str| {
            found
                .iter()
                .find(|f| f.object.container.as_deref() == Some(name))
                .map(|f| f.message.clone())
                .unwrap_or_default()
        };
        assert!(by("migrate").contains("neither `requests.cpu` nor `requests.memory`"));
        assert!(by("migrate").contains("container `migrate` of Deployment/shop/api"));
        assert!(by("proxy").contains("no `requests.memory`"));
        assert!(by("api").contains("no `requests.cpu`"));
        assert!(by("nulls").contains("neither"));
    }

    #[test]
    fn limits_default_the_requests() {
        let found = check_yaml("KS101", DEPLOY);
        for name in ["full", "limits-only", "mixed"] {
            assert!(
                found
                    .iter()
                    .all(|f| f.object.container.as_deref() != Some(name)),
                "{name}"
            );
        }
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\nspec:\n  containers:\n  - {name: a, image: redis:7.2}\n";

    #[test]
    fn flow_container_without_resources_points_at_name() {
        let found = check_yaml("KS101", POD);
        assert_eq!(lines(&found, POD), [6]);
        assert_eq!(spans(&found, POD), ["a"]);
    }

    #[test]
    fn limit_range_in_the_same_namespace_counts() {
        let lr = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults, namespace: team}\nspec:\n  limits:\n  - type: Container\n    defaultRequest: {cpu: 100m}\n    default: {memory: 256Mi}\n";
        assert!(check_files("KS101", &[("pod.yaml", POD), ("lr.yaml", lr)]).is_empty());
        // Only cpu defaulted: memory still missing.
        let cpu_only = lr.replace("    default: {memory: 256Mi}\n", "");
        let found = check_files("KS101", &[("pod.yaml", POD), ("lr.yaml", &cpu_only)]);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("no `requests.memory`"));
        // Another namespace, or a Pod-type limit, does not count.
        let other = lr.replace("namespace: team", "namespace: other");
        assert_eq!(
            check_files("KS101", &[("pod.yaml", POD), ("lr.yaml", &other)]).len(),
            1
        );
        let pod_type = lr.replace("type: Container", "type: Pod");
        assert_eq!(
            check_files("KS101", &[("pod.yaml", POD), ("lr.yaml", &pod_type)]).len(),
            1
        );
    }

    #[test]
    fn cronjob_and_list_with_alias() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1\n  kind: CronJob\n  metadata: {name: nightly}\n  spec:\n    schedule: \"0 3 * * *\"\n    jobTemplate:\n      spec:\n        template:\n          spec:\n            restartPolicy: OnFailure\n            containers:\n            - name: job\n              image: ghcr.io/acme/job:2.0\n              resources: &r\n                requests: {cpu: 50m, memory: 64Mi}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers:\n    - name: c\n      image: ghcr.io/acme/c:1.0\n      resources: *r\n    - name: d\n      image: ghcr.io/acme/c:1.0\n";
        let found = check_yaml("KS101", text);
        assert_eq!(lines(&found, text), [27]);
        assert_eq!(spans(&found, text), ["d"]);
    }
}
