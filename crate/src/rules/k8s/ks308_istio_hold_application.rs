//! KS308 istio-hold-application.

use crate::finding::{Fix, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{insert_entry, set_path, Frag};
use crate::yaml::{Entry, Node};

pub struct IstioHoldApplication;

pub static META: RuleMeta = RuleMeta {
    code: "KS308",
    name: "istio-hold-application",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "Istio-injected pod does not wait for the proxy before starting the application",
    help:
        "add the annotation `proxy.istio.io/config: '{\"holdApplicationUntilProxyStarts\": true}'`",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports a pod (or pod template) that opts into Istio sidecar injection with
`sidecar.istio.io/inject: "true"` (as an annotation or as a label) and whose
`proxy.istio.io/config` annotation does not set `holdApplicationUntilProxyStarts: true`. The fix
adds the annotation `proxy.istio.io/config: '{"holdApplicationUntilProxyStarts": true}'` when the
pod has no `proxy.istio.io/config` yet; when it has one without the setting, the change is left
to you (the finding shows it).

## Why it matters

With a classic (non-native) sidecar the application container and `istio-proxy` start side by
side, while the iptables rules installed at pod start already redirect all traffic through the
proxy. A Go service that connects to its database, fetches config or registers itself in `main`
before Envoy listens gets `connection refused` or `upstream connect error`, exits, and the pod
goes through a few CrashLoopBackOff restarts on every rollout. `holdApplicationUntilProxyStarts`
makes the injector put the proxy first and block the application's start until the proxy is
ready.

The setting can also be enabled mesh-wide (`meshConfig.defaultConfig`), and Istio's native
sidecar mode (Kubernetes ≥ 1.29 sidecar containers) orders start-up by itself; if either applies
to your cluster, this finding can be ignored.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {app: api}
      annotations:
        sidecar.istio.io/inject: "true"
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
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {app: api}
      annotations:
        sidecar.istio.io/inject: "true"
        proxy.istio.io/config: '{"holdApplicationUntilProxyStarts": true}'
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
```

## References

- Istio: [Resource annotations — `proxy.istio.io/config`](https://istio.io/latest/docs/reference/config/annotations/#ProxyConfig)
- Istio: [ProxyConfig — `holdApplicationUntilProxyStarts`](https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#ProxyConfig)
- Istio: [Application bootstrap and sidecar start order (FAQ)](https://istio.io/latest/docs/ops/common-problems/injection/)
- Kubernetes: [Sidecar containers](https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/)
"#
    ),
};

const INJECT: &str = "sidecar.istio.io/inject";
const PROXY_CONFIG: &str = "proxy.istio.io/config";
/// The annotation value the fix writes (single-quoted: it holds double quotes).
const HOLD: &str = r#"'{"holdApplicationUntilProxyStarts": true}'"#;

/// The entry that decides injection: the label wins over the annotation, as in Istio's injector.
fn inject_entry(metadata: &Node) -> Option<&Entry> {
    metadata
        .get("labels")
        .and_then(|l| l.entry(INJECT))
        .or_else(|| metadata.get("annotations").and_then(|a| a.entry(INJECT)))
}

/// Does a `proxy.istio.io/config` value (YAML or JSON) set `holdApplicationUntilProxyStarts: true`?
fn holds_application(config: &str) -> bool {
    let file = crate::yaml::parse(config);
    file.documents
        .first()
        .and_then(|d| d.root.as_ref())
        .and_then(|root| root.get("holdApplicationUntilProxyStarts"))
        .and_then(Node::bool)
        == Some(true)
}

impl Rule for IstioHoldApplication {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for pod in &ws.pods {
            let Some(metadata) = pod.metadata else {
                continue;
            };
            let Some(inject) = inject_entry(metadata) else {
                continue;
            };
            if inject.value.str() != Some("true") {
                continue;
            }
            let config = pod.annotation(PROXY_CONFIG);
            if config
                .and_then(|c| c.value.str())
                .is_some_and(holds_application)
            {
                continue;
            }
            let object = &ws.objects[pod.object];
            let text = ws.text(object.file);
            let finding = out.report(
                object.file,
                inject.key.range,
                object.object_ref(None),
                format!(
                    "{} opts into Istio sidecar injection without `holdApplicationUntilProxyStarts: true`: the application can start before the proxy is ready, so its first connections fail and the pod may crash-loop on every rollout",
                    object.display_name()
                ),
            );
            if config.is_some() {
                finding.help = format!(
                    "add `holdApplicationUntilProxyStarts: true` to the existing `{PROXY_CONFIG}` annotation"
                ).into();
                continue;
            }
            let value = Frag::scalar(HOLD);
            let edit = match metadata.get("annotations") {
                Some(annotations) if annotations.as_mapping().is_some() => {
                    insert_entry(text, annotations, PROXY_CONFIG, &value)
                }
                _ => set_path(text, metadata, &["annotations", PROXY_CONFIG], &value),
            };
            if let Some(edit) = edit {
                finding.fix = Some(Fix::safe(
                    "add the proxy.istio.io/config annotation with holdApplicationUntilProxyStarts",
                    vec![edit],
                ));
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
metadata:
  name: api
  annotations:
    sidecar.istio.io/inject: \"false\"
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels:
        app: api
      annotations:
        sidecar.istio.io/inject: \"true\" # mesh
        prometheus.io/scrape: \"true\"
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.2
";

    #[test]
    fn fires_at_the_annotation_with_a_fix() {
        let found = check_yaml("KS308", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [15]);
        assert_eq!(spans(&found, DEPLOY), ["sidecar.istio.io/inject"]);
        assert!(is_safe(&found[0]));
        assert!(found[0].message.contains("Deployment/api"));
    }

    #[test]
    fn fix_inserts_the_annotation() {
        assert_eq!(
            fixed_yaml("KS308", DEPLOY),
            DEPLOY.replace(
                "        prometheus.io/scrape: \"true\"\n",
                "        prometheus.io/scrape: \"true\"\n        proxy.istio.io/config: '{\"holdApplicationUntilProxyStarts\": true}'\n"
            )
        );
    }

    #[test]
    fn label_opt_in_without_annotations_creates_them() {
        let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    sidecar.istio.io/inject: \"true\"
spec:
  containers: [{name: a, image: a:1}]
";
        let found = check_yaml("KS308", text);
        assert_eq!(lines(&found, text), [6]);
        assert_eq!(
            fixed_yaml("KS308", text),
            "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    sidecar.istio.io/inject: \"true\"
  annotations:
    proxy.istio.io/config: '{\"holdApplicationUntilProxyStarts\": true}'
spec:
  containers: [{name: a, image: a:1}]
"
        );
    }

    #[test]
    fn fix_on_flow_style_annotations() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {sidecar.istio.io/inject: 'true'}}\nspec: {containers: [{name: a, image: a:1}]}\n";
        assert_eq!(
            fixed_yaml("KS308", text),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {sidecar.istio.io/inject: 'true', proxy.istio.io/config: '{\"holdApplicationUntilProxyStarts\": true}'}}\nspec: {containers: [{name: a, image: a:1}]}\n"
        );
    }

    #[test]
    fn existing_config_without_hold_is_advice_only() {
        let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    sidecar.istio.io/inject: \"true\"
    proxy.istio.io/config: |
      concurrency: 2
spec:
  containers: [{name: a, image: a:1}]
";
        let found = check_yaml("KS308", text);
        assert_eq!(lines(&found, text), [6]);
        assert!(found[0].fix.is_none());
        assert!(found[0].help.contains("existing"));
    }

    #[test]
    fn silent_when_held_or_not_injected() {
        let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: a
  annotations:
    sidecar.istio.io/inject: \"true\"
    proxy.istio.io/config: |
      holdApplicationUntilProxyStarts: true
spec:
  containers: [{name: a, image: a:1}]
---
apiVersion: v1
kind: Pod
metadata:
  name: b
  annotations:
    sidecar.istio.io/inject: \"true\"
    proxy.istio.io/config: '{ \"holdApplicationUntilProxyStarts\": true }'
spec:
  containers: [{name: a, image: a:1}]
---
apiVersion: v1
kind: Pod
metadata:
  name: c
  labels: {sidecar.istio.io/inject: \"false\"}
  annotations: {sidecar.istio.io/inject: \"true\"}
spec:
  containers: [{name: a, image: a:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: d}
spec:
  containers: [{name: a, image: a:1}]
";
        assert!(check_yaml("KS308", text).is_empty());
    }
}
