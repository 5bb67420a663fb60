//! GO002 gomemlimit-without-memory-limit.

use crate::finding::Severity;
use crate::k8s::Container;
use crate::rules::go::{env_setting, has_limit, item_anchor, targets};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct GomemlimitWithoutMemoryLimit;

pub static META: RuleMeta = RuleMeta {
    code: "GO002",
    name: "gomemlimit-without-memory-limit",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "GOMEMLIMIT comes from limits.memory but the container sets no memory limit",
    help: "set resources.limits.memory, or give GOMEMLIMIT a literal value",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a Go container whose `GOMEMLIMIT` is read with the Downward API
(`valueFrom.resourceFieldRef` with `resource: limits.memory`) while the container it reads from
has no `resources.limits.memory`.

## Why it matters

When a container has no memory limit, the kubelet does not leave the variable empty: it passes
the node's allocatable memory instead. On a 64 GiB node `GOMEMLIMIT` becomes about 60 GiB, so
the soft limit never kicks in, and the number changes from node to node. The manifest looks as
if the Go heap were kept in check when it is not, and the pod can still grow until the node
runs out of memory and the kubelet evicts it (or the kernel kills something else).

The usual cause is a `limits.memory` removed (or moved into a patch or a LimitRange that does
not apply) while the `env` item that depended on it stayed behind.

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
        env:
        - name: GOMEMLIMIT
          valueFrom:
            resourceFieldRef:
              resource: limits.memory
        resources:
          requests:
            memory: 256Mi
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
            resourceFieldRef:
              resource: limits.memory
        resources:
          requests:
            memory: 256Mi
          limits:
            memory: 400Mi
```

Nothing is changed automatically: only you know what the limit should be. When the pod spec
sets pod-level `resources.limits.memory`, the rule stays silent (the pod's limit bounds the
container).

## References

- Kubernetes: [Expose container information through environment variables — resource fields](https://kubernetes.io/docs/tasks/inject-data-application/environment-variable-expose-pod-information/)
- Kubernetes: [Downward API — fallback information for resource limits](https://kubernetes.io/docs/concepts/workloads/pods/downward-api/#fallback-information-for-resource-limits)
- Go: [A Guide to the Go Garbage Collector — Memory limit](https://go.dev/doc/gc-guide#Memory_limit)
"#
    ),
};

impl Rule for GomemlimitWithoutMemoryLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in targets(ws) {
            let setting = env_setting(ws, container, "GOMEMLIMIT");
            let (Some(item), Some(field)) = (setting.item(), setting.resource_field_ref()) else {
                continue;
            };
            if field.get("resource").and_then(Node::str).map(str::trim) != Some("limits.memory") {
                continue;
            }
            let pod = ws.pod_of(container);
            if pod
                .spec
                .path(&["resources", "limits", "memory"])
                .is_some_and(|m| !m.is_null())
            {
                continue;
            }
            let source = match field.get("containerName").and_then(Node::str) {
                Some(name) if Some(name) != container.name => {
                    // Reads another container's limit: look at that one.
                    match ws
                        .containers_of_pod(container.pod)
                        .iter()
                        .find(|c| c.name == Some(name))
                    {
                        Some(other) => other,
                        None => continue,
                    }
                }
                _ => container,
            };
            if has_limit(source, "memory") {
                continue;
            }
            out.report(
                ws.file_of(container),
                item_anchor(container, item),
                ws.container_ref(container),
                message(ws, container, source),
            );
        }
    }
}

fn message(ws: &Workspace<'_>, container: &Container<'_>, source: &Container<'_>) -> String {
    let whose = if std::ptr::eq(container, source) {
        "the container sets no memory limit".to_string()
    } else {
        format!("container `{}` sets no memory limit", source.display_name())
    };
    format!(
        "{} reads GOMEMLIMIT from limits.memory but {whose}, so the kubelet passes the node's allocatable memory and the Go runtime has no effective memory limit",
        ws.describe(container)
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "GO002";

    fn pod(container: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n{container}"
        )
    }

    const ENV: &str = "    env:\n    - name: GOMEMLIMIT\n      valueFrom:\n        resourceFieldRef:\n          resource: limits.memory\n";

    #[test]
    fn fires_at_the_env_item() {
        let text = pod(&format!(
            "  - name: api\n    image: ghcr.io/acme/api:1.0\n{ENV}    resources:\n      requests: {{memory: 1Gi}}\n"
        ));
        let found = check_yaml(CODE, &text);
        assert_eq!(lines(&found, &text), [10]);
        assert_eq!(spans(&found, &text), ["name: GOMEMLIMIT"]);
        assert!(found[0].message.contains("node's allocatable memory"));
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn fires_in_flow_style_and_without_resources() {
        let text = pod("  - {name: api, image: ghcr.io/acme/api, env: [{name: GOMEMLIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: '1'}}}]}\n");
        let found = check_yaml(CODE, &text);
        assert_eq!(spans(&found, &text), ["{name: GOMEMLIMIT"]);
    }

    #[test]
    fn silent_with_a_memory_limit_or_another_source() {
        for (env, resources) in [
            (ENV, "    resources:\n      limits: {memory: 1Gi}\n"),
            (
                "    env:\n    - name: GOMEMLIMIT\n      value: 900MiB\n",
                "",
            ),
            (
                "    env:\n    - name: GOMEMLIMIT\n      valueFrom:\n        resourceFieldRef: {resource: requests.memory}\n",
                "",
            ),
            ("    env:\n    - name: GOMAXPROCS\n      valueFrom:\n        resourceFieldRef: {resource: limits.cpu}\n", ""),
        ] {
            let text = pod(&format!(
                "  - name: api\n    image: ghcr.io/acme/api:1.0\n{env}{resources}"
            ));
            assert!(check_yaml(CODE, &text).is_empty(), "{text}");
        }
    }

    #[test]
    fn silent_with_a_pod_level_limit() {
        let text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  resources:\n    limits: {{memory: 1Gi}}\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n{ENV}");
        assert!(check_yaml(CODE, &text).is_empty());
    }

    #[test]
    fn follows_container_name() {
        let env = ENV.replace(
            "resource: limits.memory",
            "resource: limits.memory\n          containerName: app",
        );
        let limited = pod(&format!(
            "  - name: helper\n    image: ghcr.io/acme/helper:1.0\n{env}  - name: app\n    image: ghcr.io/acme/api:1.0\n    resources: {{limits: {{memory: 1Gi}}}}\n"
        ));
        assert!(check_yaml(CODE, &limited).is_empty());
        let unlimited = pod(&format!(
            "  - name: helper\n    image: ghcr.io/acme/helper:1.0\n{env}    resources: {{limits: {{memory: 1Gi}}}}\n  - name: app\n    image: ghcr.io/acme/api:1.0\n"
        ));
        let found = check_yaml(CODE, &unlimited);
        assert_eq!(lines(&found, &unlimited), [10]);
        assert!(found[0]
            .message
            .contains("container `app` sets no memory limit"));
    }

    #[test]
    fn silent_for_non_go_images() {
        let text = pod(&format!("  - name: web\n    image: nginx:1.27\n{ENV}"));
        assert!(check_yaml(CODE, &text).is_empty());
    }
}
