//! KS201 run-as-non-root-missing, and the securityContext helpers the KS20x rules share.
//!
//! The security-context rules (KS201–KS205) apply to every container, plain init containers
//! included: an init container runs with the same kernel and node access as the others (this is
//! also what kube-score and Polaris check).
//!
//! Values are typed as Kubernetes reads them: `yes`/`on` are booleans, a quoted `"true"` or
//! `"1000"` is a string that the API server rejects, so it counts as not set.

use crate::finding::{Fix, Severity};
use crate::k8s::Container;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{set_path, Frag};
use crate::yaml::Node;

/// A field of the container's `securityContext` (present and not null).
pub(super) fn container_field<'a>(container: &Container<'a>, key: &str) -> Option<&'a Node> {
    container
        .security_context()?
        .get(key)
        .filter(|n| !n.is_null())
}

/// A boolean field of the container's `securityContext` (not set when not a YAML boolean).
pub(super) fn container_bool(container: &Container<'_>, key: &str) -> Option<bool> {
    container_field(container, key)?.bool()
}

/// A field that the pod-level `securityContext` also defines (`runAsNonRoot`, `runAsUser`,
/// `runAsGroup`): the container's value when it has one of the expected type, else the pod's.
fn effective<T>(
    ws: &Workspace<'_>,
    container: &Container<'_>,
    key: &str,
    read: impl Fn(&Node) -> Option<T>,
) -> Option<T> {
    container_field(container, key).and_then(&read).or_else(|| {
        ws.pod_of(container)
            .security_context()?
            .get(key)
            .and_then(&read)
    })
}

/// The effective `runAsNonRoot` (container overrides pod).
pub(super) fn run_as_non_root(ws: &Workspace<'_>, container: &Container<'_>) -> Option<bool> {
    effective(ws, container, "runAsNonRoot", Node::bool)
}

/// The effective `runAsUser` (container overrides pod).
pub(super) fn run_as_user(ws: &Workspace<'_>, container: &Container<'_>) -> Option<i64> {
    effective(ws, container, "runAsUser", Node::int)
}

/// Known to run as a non-root user: `runAsNonRoot: true`, a non-zero `runAsUser`, or a paired
/// Dockerfile whose final `USER` is a non-zero numeric UID (and no `runAsUser: 0` overriding it).
pub(super) fn runs_as_non_root(ws: &Workspace<'_>, container: &Container<'_>) -> bool {
    match run_as_user(ws, container) {
        Some(0) => false,
        Some(_) => true,
        None => {
            run_as_non_root(ws, container) == Some(true)
                || image_user_is_numeric_non_root(ws, container)
        }
    }
}

/// The paired Dockerfile's final `USER` is a non-zero numeric UID.
pub(super) fn image_user_is_numeric_non_root(
    ws: &Workspace<'_>,
    container: &Container<'_>,
) -> bool {
    container
        .dockerfile
        .is_some_and(|d| ws.dockerfiles[d].facts.numeric_uid().is_some())
}

/// `privileged: true` on the container.
pub(super) fn is_privileged(container: &Container<'_>) -> bool {
    container_bool(container, "privileged") == Some(true)
}

/// A Windows pod (`spec.os.name: windows`, or a `kubernetes.io/os: windows` node selector):
/// Linux-only fields (`allowPrivilegeEscalation`, `readOnlyRootFilesystem`, `capabilities`) do
/// not apply, and the API server rejects them when `os.name` is `windows`.
pub(super) fn is_windows(ws: &Workspace<'_>, container: &Container<'_>) -> bool {
    let spec = ws.pod_of(container).spec;
    let os = spec.path(&["os", "name"]).and_then(Node::str);
    let selector = spec
        .path(&["nodeSelector", "kubernetes.io/os"])
        .and_then(Node::str);
    os == Some("windows") || selector == Some("windows")
}

/// A fix that sets `securityContext.<path>` on the container, creating what is missing.
pub(super) fn set_security_field(
    ws: &Workspace<'_>,
    container: &Container<'_>,
    path: &[&str],
    value: &Frag,
) -> Option<crate::finding::Edit> {
    let mut full = vec!["securityContext"];
    full.extend_from_slice(path);
    set_path(ws.text(ws.file_of(container)), container.node, &full, value)
}

pub struct RunAsNonRootMissing;

pub static META: RuleMeta = RuleMeta {
    code: "KS201",
    name: "run-as-non-root-missing",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Container may run as root: no `runAsNonRoot: true` and no non-zero `runAsUser`",
    help: "set `securityContext.runAsNonRoot: true` (and build the image with a numeric non-root `USER`)",
    fix: FixAvailability::Edit,
    docs: rule_docs!(r#"## What it does

Reports a container for which neither the container's nor the pod's `securityContext` sets
`runAsNonRoot: true` or a non-zero `runAsUser`. The container's settings override the pod's,
field by field, so a container that says `runAsNonRoot: false` or `runAsUser: 0` is reported even
when the pod says otherwise. Plain init containers are checked too.

Only real YAML values count: `runAsNonRoot: "true"` and `runAsUser: "1000"` are strings, which the
API server rejects, so they count as not set.

## Why it matters

Most images still default to UID 0. Root inside a container is the same UID 0 as on the node,
held back only by namespaces, the default capability set and seccomp: a kernel or runtime bug,
a writable host mount or an added capability turns a compromised process into a compromised
node. `runAsNonRoot: true` makes the kubelet check the image's user before starting the
container and refuse to run it as root.

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
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
```

## Fix safety

The fix adds `runAsNonRoot: true` to the container's `securityContext` (creating it if needed).
It is safe only when the paired Dockerfile's final `USER` is a numeric non-root UID. Otherwise it
is marked unsafe: if the image runs as root, or names its user (`USER app`, which the kubelet
cannot verify), the pod stops starting (`CreateContainerConfigError: container has runAsNonRoot
and image will run as root`). Build the image with `USER 65532:65532` (distroless `:nonroot`
images already use that UID) or add a non-zero `runAsUser` with it. No fix is offered when
`runAsUser: 0` is set: that must be changed by hand.

## References

- Kubernetes: [Configure a security context for a pod or container](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
- Kubernetes: [Pod Security Standards — restricted: running as non-root](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
- Peers: kube-score `container-security-context-user-group-id`, kube-linter `run-as-non-root`, Polaris `runAsRootAllowed`
"#),
};

impl Rule for RunAsNonRootMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let non_root = run_as_non_root(ws, container);
            let user = run_as_user(ws, container);
            if non_root == Some(true) || user.is_some_and(|u| u != 0) {
                continue;
            }
            let why = if user == Some(0) {
                "sets `runAsUser: 0`, so it runs as root"
            } else if non_root == Some(false) {
                "sets `runAsNonRoot: false` and no non-zero `runAsUser`, so it runs as root whenever the image does"
            } else {
                "sets neither `runAsNonRoot: true` nor a non-zero `runAsUser` (in its own or the pod's securityContext), so it runs as root whenever the image does"
            };
            let finding = out.report(
                ws.file_of(container),
                container.security_anchor(),
                ws.container_ref(container),
                format!(
                    "{} {why}: a process that escapes the container is root on the node",
                    ws.describe(container)
                ),
            );
            if user == Some(0) {
                finding.help =
                    "remove `runAsUser: 0` or set a non-zero UID, then add `runAsNonRoot: true`"
                        .into();
                continue;
            }
            let Some(edit) =
                set_security_field(ws, container, &["runAsNonRoot"], &Frag::scalar("true"))
            else {
                continue;
            };
            let title = "Add `runAsNonRoot: true` to the container's securityContext";
            finding.fix = Some(if image_user_is_numeric_non_root(ws, container) {
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

    const DEPLOY: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        fsGroup: 65532
      initContainers:
      - name: migrate
        image: ghcr.io/acme/migrate:1.4.0
        securityContext:
          runAsNonRoot: false
          runAsUser: 0
      containers:
      - name: api
        image: gcr.io/distroless/static-debian12:nonroot
      - name: override
        image: ghcr.io/acme/api:1.4.0
        securityContext:
          runAsNonRoot: false
      - name: quoted
        image: ghcr.io/acme/api:1.4.0
        securityContext: {runAsNonRoot: \"true\", runAsUser: \"1000\"}
";

    #[test]
    fn container_overrides_pod() {
        let found = check_yaml("KS201", DEPLOY);
        // `override` keeps the pod's runAsUser 65532; `quoted`'s strings fall back to the pod.
        assert_eq!(lines(&found, DEPLOY), [16]);
        assert_eq!(spans(&found, DEPLOY), ["securityContext"]);
        assert!(found[0].message.contains("sets `runAsUser: 0`"));
        assert!(found[0].fix.is_none());
    }

    const NO_POD_CONTEXT: &str = "\
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
        image: ghcr.io/acme/api:1.4.0
        ports:
        - containerPort: 8080
      - name: flow
        image: ghcr.io/acme/api:1.4.0
        securityContext: {allowPrivilegeEscalation: false}
      - name: block
        image: ghcr.io/acme/api:1.4.0
        securityContext:
          runAsNonRoot: no
          readOnlyRootFilesystem: true
      - name: quoted
        image: ghcr.io/acme/api:1.4.0
        securityContext:
          runAsNonRoot: \"true\"
      - name: by-uid
        image: ghcr.io/acme/api:1.4.0
        securityContext:
          runAsUser: 10001
      - name: yaml11-bool
        image: ghcr.io/acme/api:1.4.0
        securityContext:
          runAsNonRoot: yes
";

    #[test]
    fn fires_without_pod_context() {
        let found = check_yaml("KS201", NO_POD_CONTEXT);
        assert_eq!(lines(&found, NO_POD_CONTEXT), [10, 16, 19, 24]);
        assert_eq!(
            spans(&found, NO_POD_CONTEXT),
            [
                "api",
                "securityContext",
                "securityContext",
                "securityContext"
            ]
        );
        assert!(found[2].message.contains("`runAsNonRoot: false`"));
        assert!(found.iter().all(|f| f.fix.is_some() && !is_safe(f)));
    }

    #[test]
    fn fix_creates_or_extends_the_container_security_context() {
        // A new securityContext goes after the container's last entry.
        let expected = NO_POD_CONTEXT
            .replace(
                "        - containerPort: 8080\n",
                "        - containerPort: 8080\n        securityContext:\n          runAsNonRoot: true\n",
            )
            .replace(
                "{allowPrivilegeEscalation: false}",
                "{allowPrivilegeEscalation: false, runAsNonRoot: true}",
            )
            .replace("runAsNonRoot: no", "runAsNonRoot: true")
            .replace("runAsNonRoot: \"true\"", "runAsNonRoot: true");
        assert_eq!(fixed_yaml("KS201", NO_POD_CONTEXT), expected);
    }

    #[test]
    fn fix_is_safe_with_a_numeric_image_user_and_keeps_crlf() {
        let manifest = "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: api\r\nspec:\r\n  containers:\r\n  - name: api\r\n    image: ghcr.io/acme/api:2.0.0\r\n";
        let dockerfile = "FROM golang:1.24 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n";
        let files = [("pod.yaml", manifest), ("api/Dockerfile", dockerfile)];
        let found = check_files("KS201", &files);
        assert_eq!(found.len(), 1);
        assert!(is_safe(&found[0]));
        assert_eq!(
            fixed("KS201", &files),
            format!("{manifest}    securityContext:\r\n      runAsNonRoot: true\r\n")
        );
        // A named USER cannot be verified by the kubelet: unsafe.
        let named = dockerfile.replace("USER 65532:65532", "USER app");
        let found = check_files(
            "KS201",
            &[("pod.yaml", manifest), ("api/Dockerfile", &named)],
        );
        assert!(!is_safe(&found[0]));
    }

    #[test]
    fn alias_security_context_is_reported_without_fix() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec:\n    containers:\n    - name: a\n      image: ghcr.io/acme/a:1.0\n      securityContext: &sc\n        readOnlyRootFilesystem: true\n    - name: b\n      image: ghcr.io/acme/a:1.0\n      securityContext: *sc\n";
        let found = check_yaml("KS201", text);
        assert_eq!(lines(&found, text), [11, 15]);
        assert!(found[0].fix.is_some());
        assert!(found[1].fix.is_none());
    }
}
