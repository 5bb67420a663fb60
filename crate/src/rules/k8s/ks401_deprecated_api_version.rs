//! KS401 deprecated-api-version.

use crate::finding::{Fix, Severity};
use crate::k8s::Object;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::replace_scalar;
use crate::yaml::Node;

pub struct DeprecatedApiVersion;

pub static META: RuleMeta = RuleMeta {
    code: "KS401",
    name: "deprecated-api-version",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "Object uses an apiVersion that Kubernetes has removed",
    help: "move the object to the current apiVersion",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports an object whose `apiVersion` (for its `kind`) has been removed from Kubernetes, following
the official deprecated API migration guide: `extensions/v1beta1`, `apps/v1beta1` and
`apps/v1beta2` workloads (removed in 1.16), `networking.k8s.io/v1beta1` Ingress, the `v1beta1`
RBAC, CRD, webhook, storage and scheduling APIs (1.22), `batch/v1beta1` CronJob,
`policy/v1beta1` PodDisruptionBudget and PodSecurityPolicy, `autoscaling/v2beta1` (1.25),
`autoscaling/v2beta2` and `flowcontrol.apiserver.k8s.io/v1beta1` (1.26), `storage.k8s.io/v1beta1`
CSIStorageCapacity (1.27), `flowcontrol.apiserver.k8s.io/v1beta2` (1.29) and `v1beta3` (1.32).
The message names the replacement and the release that removed the old version.

The fix rewrites `apiVersion` where the new version reads the same fields:

- `apps/v1beta1`, `apps/v1beta2` and `extensions/v1beta1` workloads → `apps/v1`, only when the
  object has a `spec.selector` (required by `apps/v1`); unsafe for a DaemonSet or StatefulSet
  coming from a `v1beta1` version without an explicit `updateStrategy`, whose default changes
  from `OnDelete` to `RollingUpdate`;
- `batch/v1beta1` CronJob → `batch/v1`, `autoscaling/v2beta2` → `autoscaling/v2`,
  `extensions/v1beta1` NetworkPolicy → `networking.k8s.io/v1`, and the `v1beta1` → `v1` moves of
  RBAC, PriorityClass, Lease, IngressClass, RuntimeClass, storage classes and drivers, APIService;
- `policy/v1beta1` PodDisruptionBudget → `policy/v1` when its selector is not empty (an empty
  selector matched no pod in `v1beta1` and matches every pod of the namespace in `v1`).

Other migrations change the schema (Ingress backends, `autoscaling/v2beta1` metric targets,
CRD schemas, webhook fields) and are left as advice.

## Why it matters

The API server no longer serves a removed version: `kubectl apply` fails with
`no matches for kind "Deployment" in version "extensions/v1beta1"` (or `resource mapping not
found`), a Helm upgrade aborts halfway, and a GitOps controller stops syncing the whole
application. It usually surfaces during a cluster upgrade, when manifests that worked for years
are suddenly rejected.

## Example

```yaml bad
apiVersion: batch/v1beta1
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
            image: ghcr.io/acme/report:1.4.0
```

```yaml good
apiVersion: batch/v1
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
            image: ghcr.io/acme/report:1.4.0
```

## Fix safety

The safe rewrites keep every field's meaning. Moving a DaemonSet or StatefulSet from a `v1beta1`
version to `apps/v1` without an explicit `updateStrategy` is marked unsafe: the next change to
its pod template then rolls pods automatically instead of waiting for them to be deleted. Add
`updateStrategy: {type: OnDelete}` to keep the old behaviour.

## References

- Kubernetes: [Deprecated API migration guide](https://kubernetes.io/docs/reference/using-api/deprecation-guide/)
- Kubernetes: [Kubernetes deprecation policy](https://kubernetes.io/docs/reference/using-api/deprecation-policy/)
- Kubernetes: [`kubectl convert`](https://kubernetes.io/docs/tasks/tools/included/kubectl-convert-overview/)
- Peers: kube-score `stable-version`, kube-linter `no-extensions-v1beta`, Fairwinds Pluto, kubent (kube-no-trouble)
"#
    ),
};

/// How an object moves to its replacement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Migration {
    /// Same fields: rewriting `apiVersion` is enough.
    Rename,
    /// `apps/v1` workloads: needs `spec.selector`.
    Workload,
    /// `policy/v1` PodDisruptionBudget: needs a non-empty selector.
    Pdb,
    /// The schema changed, or there is no replacement.
    Manual,
}

struct Removed {
    api_version: &'static str,
    /// Kinds this row covers (empty: every kind of the group version).
    kinds: &'static [&'static str],
    /// The replacement apiVersion, or an explanation when there is none.
    replacement: &'static str,
    removed_in: &'static str,
    migration: Migration,
}

const fn row(
    api_version: &'static str,
    kinds: &'static [&'static str],
    replacement: &'static str,
    removed_in: &'static str,
    migration: Migration,
) -> Removed {
    Removed {
        api_version,
        kinds,
        replacement,
        removed_in,
        migration,
    }
}

use Migration::*;

const WORKLOADS: &[&str] = &["Deployment", "DaemonSet", "ReplicaSet", "StatefulSet"];

/// From the deprecated API migration guide.
static REMOVED: &[Removed] = &[
    row("extensions/v1beta1", WORKLOADS, "apps/v1", "1.16", Workload),
    row(
        "extensions/v1beta1",
        &["NetworkPolicy"],
        "networking.k8s.io/v1",
        "1.16",
        Rename,
    ),
    row(
        "extensions/v1beta1",
        &["Ingress"],
        "networking.k8s.io/v1",
        "1.22",
        Manual,
    ),
    row(
        "extensions/v1beta1",
        &["PodSecurityPolicy"],
        "nothing: PodSecurityPolicy itself was removed in 1.25, use Pod Security Admission",
        "1.16",
        Manual,
    ),
    row("apps/v1beta1", &[], "apps/v1", "1.16", Workload),
    row("apps/v1beta2", &[], "apps/v1", "1.16", Workload),
    row(
        "networking.k8s.io/v1beta1",
        &["Ingress"],
        "networking.k8s.io/v1",
        "1.22",
        Manual,
    ),
    row(
        "networking.k8s.io/v1beta1",
        &["IngressClass"],
        "networking.k8s.io/v1",
        "1.22",
        Rename,
    ),
    row(
        "admissionregistration.k8s.io/v1beta1",
        &[],
        "admissionregistration.k8s.io/v1",
        "1.22",
        Manual,
    ),
    row(
        "apiextensions.k8s.io/v1beta1",
        &[],
        "apiextensions.k8s.io/v1",
        "1.22",
        Manual,
    ),
    row(
        "apiregistration.k8s.io/v1beta1",
        &[],
        "apiregistration.k8s.io/v1",
        "1.22",
        Rename,
    ),
    row(
        "authentication.k8s.io/v1beta1",
        &[],
        "authentication.k8s.io/v1",
        "1.22",
        Rename,
    ),
    row(
        "authorization.k8s.io/v1beta1",
        &[],
        "authorization.k8s.io/v1",
        "1.22",
        Rename,
    ),
    row(
        "certificates.k8s.io/v1beta1",
        &[],
        "certificates.k8s.io/v1",
        "1.22",
        Manual,
    ),
    row(
        "coordination.k8s.io/v1beta1",
        &[],
        "coordination.k8s.io/v1",
        "1.22",
        Rename,
    ),
    row(
        "rbac.authorization.k8s.io/v1beta1",
        &[],
        "rbac.authorization.k8s.io/v1",
        "1.22",
        Rename,
    ),
    row(
        "scheduling.k8s.io/v1beta1",
        &[],
        "scheduling.k8s.io/v1",
        "1.22",
        Rename,
    ),
    row(
        "storage.k8s.io/v1beta1",
        &["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
        "storage.k8s.io/v1",
        "1.22",
        Rename,
    ),
    row(
        "storage.k8s.io/v1beta1",
        &["CSIStorageCapacity"],
        "storage.k8s.io/v1",
        "1.27",
        Rename,
    ),
    row("batch/v1beta1", &["CronJob"], "batch/v1", "1.25", Rename),
    row(
        "discovery.k8s.io/v1beta1",
        &[],
        "discovery.k8s.io/v1",
        "1.25",
        Manual,
    ),
    row(
        "events.k8s.io/v1beta1",
        &[],
        "events.k8s.io/v1",
        "1.25",
        Manual,
    ),
    row("autoscaling/v2beta1", &[], "autoscaling/v2", "1.25", Manual),
    row(
        "policy/v1beta1",
        &["PodDisruptionBudget"],
        "policy/v1",
        "1.25",
        Pdb,
    ),
    row(
        "policy/v1beta1",
        &["PodSecurityPolicy"],
        "nothing: use Pod Security Admission",
        "1.25",
        Manual,
    ),
    row("node.k8s.io/v1beta1", &[], "node.k8s.io/v1", "1.25", Rename),
    row("autoscaling/v2beta2", &[], "autoscaling/v2", "1.26", Rename),
    row(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        &[],
        "flowcontrol.apiserver.k8s.io/v1",
        "1.26",
        Manual,
    ),
    row(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        &[],
        "flowcontrol.apiserver.k8s.io/v1",
        "1.29",
        Manual,
    ),
    row(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        &[],
        "flowcontrol.apiserver.k8s.io/v1",
        "1.32",
        Manual,
    ),
];

fn lookup(api_version: &str, kind: &str) -> Option<&'static Removed> {
    REMOVED
        .iter()
        .find(|r| r.api_version == api_version && (r.kinds.is_empty() || r.kinds.contains(&kind)))
}

/// Is the rewrite to the replacement mechanical, and if so is it safe?
fn rewrite(row: &Removed, object: &Object<'_>) -> Option<bool> {
    let spec = object.node.get("spec");
    match row.migration {
        Rename => Some(true),
        Manual => None,
        Workload => {
            if !WORKLOADS.contains(&object.kind) {
                return None;
            }
            let selector = spec.and_then(|s| s.get("selector"))?;
            if selector.is_null() {
                return None;
            }
            let old_default = matches!(row.api_version, "extensions/v1beta1" | "apps/v1beta1")
                && matches!(object.kind, "DaemonSet" | "StatefulSet")
                && spec.and_then(|s| s.get("updateStrategy")).is_none();
            Some(!old_default)
        }
        Pdb => {
            let selector = spec.and_then(|s| s.get("selector"))?;
            let non_empty = ["matchLabels", "matchExpressions"].iter().any(|key| {
                selector
                    .get(key)
                    .is_some_and(|v| v.entries().next().is_some() || !v.items().is_empty())
            });
            non_empty.then_some(true)
        }
    }
}

impl Rule for DeprecatedApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for object in &ws.objects {
            let Some(node) = object.node.get("apiVersion") else {
                continue;
            };
            let Some(api_version) = node.str() else {
                continue;
            };
            let Some(row) = lookup(api_version.trim(), object.kind) else {
                continue;
            };
            let use_instead = if row.replacement.contains(' ') {
                format!("migrate to {}", row.replacement)
            } else {
                format!("use `{}`", row.replacement)
            };
            let finding = out.report(
                object.file,
                node.range,
                object.object_ref(None),
                format!(
                    "{} uses `{api_version}`, removed in Kubernetes {}: the API server rejects it with `no matches for kind \"{}\"`; {use_instead}",
                    object.display_name(),
                    row.removed_in,
                    object.kind
                ),
            );
            if row.migration == Workload && !WORKLOADS.contains(&object.kind) {
                continue;
            }
            if row.migration == Workload
                && object
                    .node
                    .path(&["spec", "selector"])
                    .is_none_or(Node::is_null)
            {
                finding.help = format!(
                    "use `{}` and add `spec.selector.matchLabels` matching the pod template labels (required there)",
                    row.replacement
                ).into();
            }
            let Some(safe) = rewrite(row, object) else {
                continue;
            };
            let Some(edit) = replace_scalar(ws.text(object.file), node, row.replacement) else {
                continue;
            };
            let title = format!("change apiVersion to {}", row.replacement);
            finding.fix = Some(if safe {
                Fix::safe(title, vec![edit])
            } else {
                Fix::unsafe_(title, vec![edit])
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const TEXT: &str = "\
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api:1}]
---
apiVersion: apps/v1beta1
kind: Deployment
metadata: {name: old}
spec:
  template:
    metadata: {labels: {app: old}}
    spec:
      containers: [{name: old, image: old:1}]
---
apiVersion: \"batch/v1beta1\"
kind: CronJob
metadata: {name: report}
spec:
  schedule: '0 3 * * *'
  jobTemplate: {spec: {template: {spec: {restartPolicy: OnFailure, containers: [{name: r, image: r:1}]}}}}
---
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: web}
spec:
  backend: {serviceName: web, servicePort: 80}
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: api}
spec: {minAvailable: 1, selector: {matchLabels: {app: api}}}
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: all}
spec: {minAvailable: 1, selector: {}}
---
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, minReplicas: 2, maxReplicas: 5}
---
apiVersion: apps/v1beta2
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: a:1}]}
---
apiVersion: extensions/v1beta1
kind: DaemonSet
metadata: {name: agent2}
spec:
  selector: {matchLabels: {app: agent2}}
  template:
    metadata: {labels: {app: agent2}}
    spec: {containers: [{name: a, image: a:1}]}
";

    #[test]
    fn fires_on_removed_versions() {
        let found = check_yaml("KS401", TEXT);
        assert_eq!(lines(&found, TEXT), [1, 11, 20, 27, 33, 38, 43, 48, 57]);
        assert_eq!(
            spans(&found, TEXT)[..3],
            ["extensions/v1beta1", "apps/v1beta1", "\"batch/v1beta1\""]
        );
        assert!(found[0].message.contains("removed in Kubernetes 1.16"));
        assert!(found[0].message.contains("use `apps/v1`"));
        assert!(found[2].message.contains("1.25"));
        assert!(found[3].message.contains("networking.k8s.io/v1"));
        let fixable: Vec<bool> = found.iter().map(|f| f.fix.is_some()).collect();
        assert_eq!(
            fixable,
            [true, false, true, false, true, false, true, true, true]
        );
        let safe: Vec<bool> = found.iter().map(is_safe).collect();
        assert_eq!(
            safe,
            [true, false, true, false, true, false, true, true, false]
        );
        assert!(found[1].help.contains("spec.selector"));
    }

    #[test]
    fn fix_rewrites_mechanical_migrations_only() {
        let out = fixed_yaml("KS401", TEXT);
        let expected = TEXT
            .replacen(
                "apiVersion: extensions/v1beta1\nkind: Deployment",
                "apiVersion: apps/v1\nkind: Deployment",
                1,
            )
            .replace("\"batch/v1beta1\"", "\"batch/v1\"")
            .replace(
                "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: api}",
                "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api}",
            )
            .replace("autoscaling/v2beta2", "autoscaling/v2")
            .replace("apps/v1beta2", "apps/v1")
            .replace(
                "apiVersion: extensions/v1beta1\nkind: DaemonSet",
                "apiVersion: apps/v1\nkind: DaemonSet",
            );
        assert_eq!(out, expected);
    }

    #[test]
    fn current_versions_and_other_kinds_are_silent() {
        let text = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec: {selector: {matchLabels: {a: a}}, template: {metadata: {labels: {a: a}}, spec: {containers: [{name: a, image: a:1}]}}}
---
apiVersion: storage.k8s.io/v1beta1
kind: Something
metadata: {name: x}
---
apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: Role
  metadata: {name: r}
";
        assert!(check_yaml("KS401", text).is_empty());
    }

    #[test]
    fn list_items_are_checked_and_fixed() {
        let text = "\
apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1beta1
  kind: RoleBinding
  metadata: {name: r}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
  subjects: [{kind: ServiceAccount, name: api}]
";
        let found = check_yaml("KS401", text);
        assert_eq!(lines(&found, text), [4]);
        assert!(found[0].message.contains("1.22"));
        assert_eq!(
            fixed_yaml("KS401", text),
            text.replace(
                "rbac.authorization.k8s.io/v1beta1",
                "rbac.authorization.k8s.io/v1"
            )
        );
    }
}
