//! KS103 requests-exceed-limits.
//!
//! Compares every resource that has both a request and a limit (cpu, memory, ephemeral-storage,
//! hugepages, extended resources) exactly, as apimachinery does. Values that do not parse are
//! left to KS107.

use crate::finding::Severity;
use crate::k8s::quantity::parse_manifest_quantity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

pub struct RequestsExceedLimits;

pub static META: RuleMeta = RuleMeta {
    code: "KS103",
    name: "requests-exceed-limits",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "A resource request is larger than its limit",
    help: "lower the request or raise the limit so that request ≤ limit",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a container whose request for a resource (`cpu`, `memory`, `ephemeral-storage`, or any
other resource listed under both `requests` and `limits`) is larger than its limit. Quantities
are compared exactly, whatever their spelling: `1` and `1000m`, `1Gi` and `1073741824` are
equal. A value that is not a valid quantity is left to KS107.

## Why it matters

The API server refuses such a pod (`must be less than or equal to cpu limit`). For a Deployment
the object itself is accepted, but its ReplicaSet cannot create any pod: the rollout hangs with
no new pods and the error only shows up in the ReplicaSet's events, which is easy to miss in a CI
pipeline that only waits for `kubectl apply` to succeed. The mistake often comes from editing one
number during an incident (raising the request to stop evictions) and forgetting the other.

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
          requests: {cpu: "1", memory: 1Gi}
          limits: {cpu: 500m, memory: 512Mi}
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
          requests: {cpu: 500m, memory: 1Gi}
          limits: {cpu: "1", memory: 1073741824}
```

## References

- Kubernetes: [Requests and limits](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits)
- Kubernetes: [Resource units](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#resource-units-in-kubernetes)
- Peers: kube-linter and Polaris have no equivalent check; the API server's validation is the reference
"#
    ),
};

impl Rule for RequestsExceedLimits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let Some(resources) = container.node.get("resources") else {
                continue;
            };
            let (Some(requests), Some(limits)) =
                (resources.get("requests"), resources.get("limits"))
            else {
                continue;
            };
            for entry in requests.entries() {
                let Some(resource) = entry.key.str() else {
                    continue;
                };
                let Some(limit) = limits.get(resource) else {
                    continue;
                };
                let (Some(req_text), Some(limit_text)) = (entry.value.str(), limit.str()) else {
                    continue;
                };
                let (Ok(req), Ok(lim)) = (
                    parse_manifest_quantity(req_text),
                    parse_manifest_quantity(limit_text),
                ) else {
                    continue;
                };
                if req <= lim {
                    continue;
                }
                out.report(
                    ws.file_of(container),
                    entry.value.range,
                    ws.container_ref(container),
                    format!(
                        "{} requests {resource} `{}` but limits it to `{}`: the API server rejects a request larger than its limit, so no pod is created",
                        ws.describe(container),
                        req_text.trim(),
                        limit_text.trim(),
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const DEPLOY: &str = "\
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
        image: ghcr.io/acme/api:1.0
        resources:
          requests:
            cpu: 2
            memory: \"1Gi\"
            ephemeral-storage: 2Gi
          limits:
            cpu: 1500m
            memory: 1073741824
            ephemeral-storage: 1Gi
      - name: equal
        image: ghcr.io/acme/api:1.0
        resources:
          requests: {cpu: 0.5, memory: 1024Mi, nvidia.com/gpu: 1}
          limits: {cpu: 500m, memory: 1Gi, nvidia.com/gpu: \"1\"}
      - name: invalid
        image: ghcr.io/acme/api:1.0
        resources:
          requests: {cpu: 2 cores, memory: 2GB}
          limits: {cpu: 1, memory: 1Gi}
      - name: only-requests
        image: ghcr.io/acme/api:1.0
        resources:
          requests: {cpu: 4, memory: 8Gi}
";

    #[test]
    fn fires_at_the_request_value() {
        let found = check_yaml("KS103", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [14, 16]);
        assert_eq!(spans(&found, DEPLOY), ["2", "2Gi"]);
        assert!(found[0].message.contains(
            "container `api` of Deployment/api requests cpu `2` but limits it to `1500m`"
        ));
    }

    #[test]
    fn equal_values_in_other_spellings_and_invalid_values_are_silent() {
        let found = check_yaml("KS103", DEPLOY);
        assert!(found
            .iter()
            .all(|f| f.object.container.as_deref() == Some("api")));
    }

    #[test]
    fn init_container_and_flow_style() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - {name: init, image: busybox:1.36, resources: {requests: {memory: 65Mi}, limits: {memory: 64Mi}}}\n  containers:\n  - name: c\n    image: ghcr.io/acme/c:1.0\n";
        let found = check_yaml("KS103", text);
        assert_eq!(lines(&found, text), [6]);
        assert_eq!(spans(&found, text), ["65Mi"]);
    }
}
