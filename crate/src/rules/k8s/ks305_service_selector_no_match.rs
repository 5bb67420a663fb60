//! KS305 service-selector-no-match.

use crate::finding::Severity;
use crate::k8s::workload::string_map;
use crate::k8s::Object;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Entry;

use super::ks302_grpc_service_not_headless::is_core_service;

pub struct ServiceSelectorNoMatch;

pub static META: RuleMeta = RuleMeta {
    code: "KS305",
    name: "service-selector-no-match",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Service selector matches none of the workloads in its namespace",
    help:
        "make the selector a subset of the pod template labels of the workload it should route to",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a Service whose `selector` matches no pod template when the input holds workloads (Pods,
Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs) in the Service's namespace. A
workload matches when its pod template labels contain every key and value of the selector.
Services without a selector (backed by hand-written EndpointSlices, or `ExternalName`) are not
checked, nor are Services in a namespace where the input holds no workload.

Objects without `metadata.namespace` are treated as being in the same namespace as each other
and as `default`: that is where `kubectl apply -f` puts them unless a `-n` flag or a
kustomization says otherwise.

## Why it matters

A Service whose selector matches no pod gets no endpoints. `kubectl apply` succeeds and the
Deployment is healthy, but every request to the Service fails with `connection refused` (or an
Ingress answers 503 "no endpoints available"). It usually comes from a typo, from renaming the
`app` label in one place only, or from a selector that adds a label (`tier: backend`) the pods
never had.

## Example

```yaml bad
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api, tier: backend}
  ports:
  - {name: http, port: 80, targetPort: http}
---
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
        ports:
        - {name: http, containerPort: 8080}
```

```yaml good
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports:
  - {name: http, port: 80, targetPort: http}
---
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
        ports:
        - {name: http, containerPort: 8080}
```

## References

- Kubernetes: [Services — defining a Service](https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service)
- Kubernetes: [Labels and selectors](https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/)
- Kubernetes: [Debug Services — does the Service have any endpoints?](https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/#does-the-service-have-any-endpoints)
- Peers: kube-score `service-targets-pod`, kube-linter `dangling-service`
"#
    ),
};

/// A Service's non-empty `selector` entry and its pairs. `None` for anything else.
pub(super) fn selector<'a>(service: &Object<'a>) -> Option<(&'a Entry, Vec<(&'a str, &'a str)>)> {
    if !is_core_service(service) {
        return None;
    }
    let entry = service.node.get("spec")?.entry("selector")?;
    let pairs = string_map(Some(&entry.value));
    (!pairs.is_empty()).then_some((entry, pairs))
}

impl Rule for ServiceSelectorNoMatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for service in &ws.objects {
            let Some((entry, pairs)) = selector(service) else {
                continue;
            };
            let namespace = service.namespace_or_default();
            if ws.pods_in_namespace(namespace).next().is_none() {
                continue;
            }
            if !ws.selected_pods(namespace, &pairs).is_empty() {
                continue;
            }
            let shown: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.report(
                service.file,
                entry.key.range,
                service.object_ref(None),
                format!(
                    "{} selects `{}` but no workload in namespace `{}` has a pod template with these labels: the Service gets no endpoints and every request to it fails",
                    service.display_name(),
                    shown.join(","),
                    service.namespace_or_default()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const TEXT: &str = "\
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector:
    app: api
    tier: backend
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: other, namespace: shop}
spec: {selector: {app: nothing}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: external}
spec: {type: ExternalName, externalName: db.example.com}
---
apiVersion: v1
kind: Service
metadata: {name: version}
spec: {selector: {app: api, version: '1'}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, version: 1}}
    spec:
      containers: [{name: api, image: api:1}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, tier: frontend}
    spec:
      containers: [{name: web, image: web:1}]
";

    #[test]
    fn fires_when_no_workload_matches() {
        let found = check_yaml("KS305", TEXT);
        assert_eq!(lines(&found, TEXT), [5]);
        assert_eq!(spans(&found, TEXT), ["selector"]);
        assert!(found[0].message.contains("`app=api,tier=backend`"));
        assert!(found[0].message.contains("namespace `default`"));
    }

    #[test]
    fn namespaces_are_compared() {
        let text = "\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: api, namespace: shop}
  spec: {selector: {app: api}, ports: [{port: 80}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: api, labels: {app: api}}
  spec: {containers: [{name: api, image: api:1}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: other, namespace: shop}
  spec: {containers: [{name: x, image: x:1}]}
";
        let found = check_yaml("KS305", text);
        assert_eq!(lines(&found, text), [7]);
        assert!(found[0].message.contains("namespace `shop`"));
    }

    #[test]
    fn silent_without_workloads() {
        let text =
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {selector: {app: a}}\n";
        assert!(check_yaml("KS305", text).is_empty());
    }
}
