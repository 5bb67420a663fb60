//! KS405 config-ref-missing.

use std::collections::HashMap;

use crate::finding::{ObjectRef, Severity};
use crate::k8s::workload::containers_of;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::{Content, Workspace};
use crate::yaml::Node;

pub struct ConfigRefMissing;

pub static META: RuleMeta = RuleMeta {
    code: "KS405",
    name: "config-ref-missing",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "A pod references a ConfigMap or Secret that the input does not define",
    help: "add the ConfigMap/Secret to the manifests, fix the name, or mark the reference `optional: true`",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

Reports a reference from a pod spec to a ConfigMap or a Secret that none of the checked files
defines in the pod's namespace: `env[].valueFrom.configMapKeyRef` / `secretKeyRef`,
`envFrom[].configMapRef` / `secretRef` (init containers included), and `configMap`, `secret` and
`projected` volume sources. It points at the reference's `name` (`secretName` for a secret
volume).

The rule only looks for ConfigMaps when the input defines at least one ConfigMap, and for Secrets
when it defines at least one Secret, so a single Deployment checked on its own is not flagged.
References marked `optional: true` are skipped. Secrets produced by a cert-manager `Certificate`
(`spec.secretName`), an `ExternalSecret` or a `SealedSecret`, and ConfigMaps and Secrets from a
kustomization's `configMapGenerator` / `secretGenerator` count as defined. Objects without
`metadata.namespace` are taken to be in the same namespace as each other.

## Why it matters

A missing ConfigMap or Secret does not fail the `kubectl apply`: the pods are created and then
stay in `CreateContainerConfigError` (environment references) or `ContainerCreating` with
`FailedMount` events (volumes) until the object appears. During a rollout the new ReplicaSet never
becomes ready, and the rollout hangs until its progress deadline. A misspelled name looks exactly
like a correct one in review.

## Example

```yaml bad
apiVersion: v1
kind: ConfigMap
metadata: {name: api-config}
data: {LOG_LEVEL: info}
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
        envFrom:
        - configMapRef: {name: api-confg}
```

```yaml good
apiVersion: v1
kind: ConfigMap
metadata: {name: api-config}
data: {LOG_LEVEL: info}
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
        envFrom:
        - configMapRef: {name: api-config}
```

## References

- Kubernetes: [Configure a Pod to use a ConfigMap](https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/)
- Kubernetes: [ConfigMaps — optional references](https://kubernetes.io/docs/concepts/configuration/configmap/#optional-configmaps)
- Kubernetes: [Secrets — optional Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#restriction-secret-must-exist)
"#),
};

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    ConfigMap,
    Secret,
}

impl Target {
    fn kind(self) -> &'static str {
        match self {
            Target::ConfigMap => "ConfigMap",
            Target::Secret => "Secret",
        }
    }
}

/// Names the input defines; `namespace: None` matches any namespace (generated objects).
#[derive(Default)]
struct Defined<'a> {
    /// Namespaces (`None`: any) of the defined objects, by kind and name: one lookup per
    /// reference, so the check stays linear in the size of the input.
    by_name: HashMap<(Target, &'a str), Vec<Option<&'a str>>>,
}

impl<'a> Defined<'a> {
    fn add(&mut self, target: Target, namespace: Option<&'a str>, name: Option<&'a str>) {
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            self.by_name
                .entry((target, name))
                .or_default()
                .push(namespace);
        }
    }

    fn any(&self, target: Target) -> bool {
        self.by_name.keys().any(|(t, _)| *t == target)
    }

    fn has(&self, target: Target, namespace: &str, name: &str) -> bool {
        self.by_name.get(&(target, name)).is_some_and(|namespaces| {
            namespaces
                .iter()
                .any(|ns| ns.is_none_or(|ns| ns == namespace))
        })
    }
}

fn defined<'a>(ws: &Workspace<'a>) -> Defined<'a> {
    let mut out = Defined::default();
    for object in &ws.objects {
        let ns = Some(object.namespace_or_default());
        let spec = object.node.get("spec");
        let core = matches!(object.api_version, None | Some("v1"));
        match object.kind {
            "ConfigMap" if core => out.add(Target::ConfigMap, ns, object.name),
            "Secret" if core => out.add(Target::Secret, ns, object.name),
            "SealedSecret" => {
                let templated = spec
                    .and_then(|s| s.path(&["template", "metadata", "name"]))
                    .and_then(Node::str);
                out.add(Target::Secret, ns, templated.or(object.name));
            }
            "ExternalSecret" => {
                let target = spec
                    .and_then(|s| s.path(&["target", "name"]))
                    .and_then(Node::str);
                out.add(Target::Secret, ns, target.or(object.name));
            }
            "Certificate" => {
                let secret = spec.and_then(|s| s.get("secretName")).and_then(Node::str);
                out.add(Target::Secret, ns, secret);
            }
            _ => {}
        }
    }
    // Kustomize generators (a kustomization.yaml may have no `kind`).
    for file in ws.files {
        let Content::Yaml(yaml) = &file.content else {
            continue;
        };
        for root in yaml.documents.iter().filter_map(|d| d.root.as_ref()) {
            for (key, target) in [
                ("configMapGenerator", Target::ConfigMap),
                ("secretGenerator", Target::Secret),
            ] {
                for item in root.get(key).map(Node::items).unwrap_or_default() {
                    out.add(target, None, item.get("name").and_then(Node::str));
                }
            }
        }
    }
    out
}

/// One reference: what it names, where the name is, and how it is used (for messages).
struct Reference<'a> {
    target: Target,
    name: &'a Node,
    usage: String,
    container: Option<&'a str>,
}

fn optional(source: &Node) -> bool {
    source.get("optional").and_then(Node::bool) == Some(true)
}

/// Records a reference unless it is optional or has no name.
fn push<'a>(
    out: &mut Vec<Reference<'a>>,
    target: Target,
    source: &'a Node,
    key: &str,
    usage: String,
    container: Option<&'a str>,
) {
    if optional(source) {
        return;
    }
    if let Some(name) = source.get(key).filter(|n| n.str().is_some()) {
        out.push(Reference {
            target,
            name,
            usage,
            container,
        });
    }
}

fn references(spec: &Node) -> Vec<Reference<'_>> {
    let mut out = Vec::new();
    for (container, _) in containers_of(spec) {
        let cname = container.get("name").and_then(Node::str);
        for item in container.get("env").map(Node::items).unwrap_or_default() {
            let var = item.get("name").and_then(Node::str).unwrap_or("?");
            let Some(from) = item.get("valueFrom") else {
                continue;
            };
            if let Some(source) = from.get("configMapKeyRef") {
                let usage = format!("env `{var}`");
                push(&mut out, Target::ConfigMap, source, "name", usage, cname);
            }
            if let Some(source) = from.get("secretKeyRef") {
                let usage = format!("env `{var}`");
                push(&mut out, Target::Secret, source, "name", usage, cname);
            }
        }
        for item in container
            .get("envFrom")
            .map(Node::items)
            .unwrap_or_default()
        {
            if let Some(source) = item.get("configMapRef") {
                push(
                    &mut out,
                    Target::ConfigMap,
                    source,
                    "name",
                    "envFrom".into(),
                    cname,
                );
            }
            if let Some(source) = item.get("secretRef") {
                push(
                    &mut out,
                    Target::Secret,
                    source,
                    "name",
                    "envFrom".into(),
                    cname,
                );
            }
        }
    }
    for volume in spec.get("volumes").map(Node::items).unwrap_or_default() {
        let vname = volume.get("name").and_then(Node::str).unwrap_or("?");
        let usage = format!("volume `{vname}`");
        if let Some(source) = volume.get("configMap") {
            push(
                &mut out,
                Target::ConfigMap,
                source,
                "name",
                usage.clone(),
                None,
            );
        }
        if let Some(source) = volume.get("secret") {
            push(
                &mut out,
                Target::Secret,
                source,
                "secretName",
                usage.clone(),
                None,
            );
        }
        let sources = volume
            .get("projected")
            .and_then(|p| p.get("sources"))
            .map(Node::items)
            .unwrap_or_default();
        for source in sources {
            if let Some(cm) = source.get("configMap") {
                push(&mut out, Target::ConfigMap, cm, "name", usage.clone(), None);
            }
            if let Some(secret) = source.get("secret") {
                push(
                    &mut out,
                    Target::Secret,
                    secret,
                    "name",
                    usage.clone(),
                    None,
                );
            }
        }
    }
    out
}

impl Rule for ConfigRefMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        let defined = defined(ws);
        let check = [Target::ConfigMap, Target::Secret].map(|t| defined.any(t));
        if !check.contains(&true) {
            return;
        }
        for pod in &ws.pods {
            let object = &ws.objects[pod.object];
            let namespace = object.namespace_or_default();
            for reference in references(pod.spec) {
                let index = usize::from(reference.target == Target::Secret);
                if !check[index] {
                    continue;
                }
                let Some(name) = reference.name.str() else {
                    continue;
                };
                if defined.has(reference.target, namespace, name) {
                    continue;
                }
                let who = match reference.container {
                    Some(c) => format!("container `{c}` of {}", object.display_name()),
                    None => object.display_name(),
                };
                let consequence = if reference.usage.starts_with("volume") {
                    "the pod stays in ContainerCreating (FailedMount) until it exists"
                } else {
                    "the container fails with CreateContainerConfigError until it exists"
                };
                let object_ref: ObjectRef = object.object_ref(reference.container);
                out.report(
                    object.file,
                    reference.name.range,
                    object_ref,
                    format!(
                        "{who} uses {} `{name}` for {}, but the input defines no such {} in namespace `{namespace}`: {consequence}",
                        reference.target.kind(),
                        reference.usage,
                        reference.target.kind(),
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const TEXT: &str = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
data: {LOG_LEVEL: info}
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData: {password: x}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: api, namespace: shop}
spec: {secretName: api-tls, issuerRef: {name: le}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      initContainers:
      - name: migrate
        image: ghcr.io/acme/migrate:1
        envFrom:
        - secretRef: {name: db-admin}
      containers:
      - name: api
        image: ghcr.io/acme/api:1.2
        env:
        - name: LOG_LEVEL
          valueFrom:
            configMapKeyRef: {name: api-config, key: LOG_LEVEL}
        - name: FEATURES
          valueFrom:
            configMapKeyRef:
              name: api-features
              key: flags
        - name: OPTIONAL
          valueFrom:
            configMapKeyRef: {name: maybe, key: x, optional: true}
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: db, key: password}
        envFrom:
        - configMapRef: {name: api-config}
        - secretRef: {name: api-secrets}
      volumes:
      - name: tls
        secret: {secretName: api-tls}
      - name: extra
        configMap: {name: extra-config}
      - name: bundle
        projected:
          sources:
          - configMap: {name: api-config}
          - secret: {name: bundle-secret}
---
apiVersion: v1
kind: Pod
metadata: {name: elsewhere}
spec:
  containers:
  - name: c
    image: c:1
    envFrom: [{configMapRef: {name: api-config}}]
";

    #[test]
    fn fires_on_undefined_references() {
        let found = check_yaml("KS405", TEXT);
        assert_eq!(lines(&found, TEXT), [28, 39, 49, 54, 59, 68]);
        assert_eq!(
            spans(&found, TEXT),
            [
                "db-admin",
                "api-features",
                "api-secrets",
                "extra-config",
                "bundle-secret",
                "api-config"
            ]
        );
        assert!(found[0].message.contains("container `migrate`"));
        assert!(found[1].message.contains("env `FEATURES`"));
        assert!(found[1].message.contains("CreateContainerConfigError"));
        assert!(found[3].message.contains("volume `extra`"));
        assert!(found[3].message.contains("FailedMount"));
        assert!(found[5].message.contains("namespace `default`"));
        assert_eq!(found[1].object.container.as_deref(), Some("api"));
        assert_eq!(found[3].object.container, None);
    }

    #[test]
    fn only_kinds_the_input_defines_are_checked() {
        // Only a ConfigMap is defined: Secret references are not checked.
        let text = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: c:1
    envFrom: [{secretRef: {name: s}}, {configMapRef: {name: cfg}}]
";
        assert!(check_yaml("KS405", text).is_empty());
        let alone = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: c:1, envFrom: [{configMapRef: {name: x}}]}]\n";
        assert!(check_yaml("KS405", alone).is_empty());
    }

    #[test]
    fn kustomize_generators_define_names() {
        let kustomization = "\
resources: [deploy.yaml]
configMapGenerator:
- name: app
  literals: [A=1]
";
        let deploy = "\
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x}
spec:
  containers: [{name: c, image: c:1, envFrom: [{configMapRef: {name: app}}, {configMapRef: {name: other}}]}]
";
        let found = check_files(
            "KS405",
            &[
                ("deploy.yaml", deploy),
                ("kustomization.yaml", kustomization),
            ],
        );
        assert_eq!(spans(&found, deploy), ["other"]);
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let inputs = [
            "",
            "---\n---\n",
            "kind: Service\nspec: [1, 2]\n",
            "kind: Service\napiVersion: v1\nspec: {selector: [a], ports: {a: b}}\n",
            "kind: Service\nspec: {selector: {app: ~}, ports: [~, 1, {targetPort: [x]}, {port: -1, nodePort: 99999999999999999999}]}\n---\nkind: Pod\nmetadata: {labels: [1]}\nspec: {containers: [{name: [x], ports: 3, env: [{name: {a: b}}, 1]}]}\n",
            "kind: Pod\nmetadata: {annotations: {sidecar.istio.io/inject: 'true', proxy.istio.io/config: '{{{'}}}\nspec: {hostNetwork: [true], dnsConfig: [x], volumes: {a: b}, containers: [{volumeMounts: [{subPath: [x]}, 1]}]}\n",
            "kind: Deployment\napiVersion: [apps/v1beta1]\nspec: {selector: ~, template: {metadata: ~, spec: {containers: [{envFrom: [{configMapRef: ~}], env: [{valueFrom: {configMapKeyRef: {name: 5}}}]}]}}}\n---\nkind: ConfigMap\napiVersion: v1\nmetadata: {name: [x]}\n",
            "a: &a {b: 1, b: 2}\nc: [*a, *a]\n? [complex, key]\n: v\n? [complex, key]\n: w\n",
            "kind: List\nitems: {not: a list}\n",
            "kind: List\nitems: [~, 1, {kind: Deployment, apiVersion: extensions/v1beta1}]\n",
            "{unterminated: [\n",
        ];
        for code in [
            "KS301", "KS302", "KS303", "KS304", "KS305", "KS306", "KS307", "KS308", "KS401",
            "KS402", "KS403", "KS404", "KS405",
        ] {
            for input in inputs {
                let _ = check_yaml(code, input);
            }
        }
    }
}
