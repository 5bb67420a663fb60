//! KS402 selector-template-mismatch.

use crate::finding::Severity;
use crate::k8s::workload::string_map;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct SelectorTemplateMismatch;

pub static META: RuleMeta = RuleMeta {
    code: "KS402",
    name: "selector-template-mismatch",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "Workload `spec.selector.matchLabels` does not match its pod template labels",
    help: "make every `matchLabels` pair a label of the pod template",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a Deployment, StatefulSet, DaemonSet or ReplicaSet (and a Job with
`manualSelector: true`) whose `spec.selector.matchLabels` has a key that the pod template's
`metadata.labels` lacks or sets to another value.

## Why it matters

The API server validates that a workload's selector selects its own template and refuses the
object: `selector does not match template labels`. The apply fails, and because the selector is
immutable on `apps/v1` workloads, "fixing" it on an existing Deployment by editing the selector
is rejected too (`field is immutable`); the labels of the template have to follow the selector,
or the workload must be recreated.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector:
    matchLabels: {app: api, tier: backend}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector:
    matchLabels: {app: api, tier: backend}
  template:
    metadata:
      labels: {app: api, tier: backend, version: 1.8.2}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
```

## References

- Kubernetes: [Deployments — selector](https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector)
- Kubernetes: [Jobs — specifying your own pod selector](https://kubernetes.io/docs/concepts/workloads/controllers/job/#specifying-your-own-pod-selector)
- Kubernetes: [Labels and selectors](https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/)
"#
    ),
};

impl Rule for SelectorTemplateMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for pod in &ws.pods {
            let object = &ws.objects[pod.object];
            let spec = object.node.get("spec");
            match object.kind {
                "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => {}
                "Job" => {
                    if spec
                        .and_then(|s| s.get("manualSelector"))
                        .and_then(Node::bool)
                        != Some(true)
                    {
                        continue;
                    }
                }
                _ => continue,
            }
            let Some(entry) = spec
                .and_then(|s| s.get("selector"))
                .and_then(|s| s.entry("matchLabels"))
            else {
                continue;
            };
            let labels = pod.labels();
            let wanted = string_map(Some(&entry.value));
            let unmatched: Vec<String> = wanted
                .iter()
                .filter(|pair| !labels.contains(pair))
                .map(|(k, v)| match labels.iter().find(|(l, _)| l == k) {
                    Some((_, actual)) => format!("{k}={v} (template has {k}={actual})"),
                    None => format!("{k}={v}"),
                })
                .collect();
            if unmatched.is_empty() {
                continue;
            }
            out.report(
                object.file,
                entry.key.range,
                object.object_ref(None),
                format!(
                    "{} selects `{}` which its pod template labels do not carry: the API server rejects it (`selector does not match template labels`)",
                    object.display_name(),
                    unmatched.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const TEXT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector:
    matchLabels:
      app: api
      tier: backend
  template:
    metadata:
      labels:
        app: api
        tier: frontend
    spec:
      containers: [{name: api, image: api:1}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  serviceName: db
  template:
    spec: {containers: [{name: db, image: postgres:16}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: manual}
spec:
  manualSelector: true
  selector: {matchLabels: {job: x}}
  template:
    metadata: {labels: {job: y}}
    spec: {restartPolicy: Never, containers: [{name: j, image: j:1}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: auto}
spec:
  selector: {matchLabels: {job: x}}
  template:
    metadata: {labels: {job: y}}
    spec: {restartPolicy: Never, containers: [{name: j, image: j:1}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ok}
spec:
  selector: {matchLabels: {app: ok, version: '2'}}
  template:
    metadata: {labels: {app: ok, version: \"2\", extra: x}}
    spec: {containers: [{name: ok, image: ok:1}]}
";

    #[test]
    fn fires_on_mismatches() {
        let found = check_yaml("KS402", TEXT);
        assert_eq!(lines(&found, TEXT), [6, 21, 31]);
        assert_eq!(
            spans(&found, TEXT),
            ["matchLabels", "matchLabels", "matchLabels"]
        );
        assert!(found[0]
            .message
            .contains("`tier=backend (template has tier=frontend)`"));
        assert!(found[0].message.contains("Deployment/shop/api"));
        assert!(found[1].message.contains("`app=db`"));
    }
}
