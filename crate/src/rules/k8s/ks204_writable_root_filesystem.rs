//! KS204 writable-root-filesystem.
//!
//! Every container, plain init containers included; Windows pods are skipped (a Linux-only
//! field).

use crate::finding::{Fix, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::Frag;

use super::ks201_run_as_non_root_missing::{container_bool, is_windows, set_security_field};

pub struct WritableRootFilesystem;

pub static META: RuleMeta = RuleMeta {
    code: "KS204",
    name: "writable-root-filesystem",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "Container root filesystem is writable",
    help: "set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the app writes",
    fix: FixAvailability::Edit,
    docs: rule_docs!(r#"## What it does

Reports a container whose `securityContext` does not set `readOnlyRootFilesystem: true`
(a quoted `"true"` is a string the API server rejects, so it counts as not set). Plain init
containers are checked too; Windows pods are skipped.

## Why it matters

A writable root filesystem lets an intruder drop tools, replace binaries or plant a web shell
that survives until the container restarts. It also hides a reliability problem: files written
to the container layer (logs, caches, uploads) count against the node's ephemeral storage, are
lost on every restart and can get the pod evicted when the disk fills. A Go service that is a
single static binary usually writes nothing, so making the root filesystem read-only costs
nothing and documents that it is stateless; where it does write (`/tmp`, a cache directory),
mount an `emptyDir` there.

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
        securityContext:
          allowPrivilegeEscalation: false
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
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
        volumeMounts:
        - {name: tmp, mountPath: /tmp}
      volumes:
      - {name: tmp, emptyDir: {}}
```

## Fix safety

The fix adds `readOnlyRootFilesystem: true` to the container's `securityContext` and is marked
unsafe: an application that writes anywhere outside a mounted volume (`/tmp`, a cache, a PID
file, SQLite, `os.CreateTemp`) then fails at run time with `read-only file system`. Check where
the application writes and mount `emptyDir` volumes there before applying it.

## References

- Kubernetes: [Configure a security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
- Kubernetes: [Volumes — emptyDir](https://kubernetes.io/docs/concepts/storage/volumes/#emptydir)
- Peers: kube-score `container-security-context-readonlyrootfilesystem`, kube-linter `no-read-only-root-fs`, Polaris `notReadOnlyRootFilesystem`
"#),
};

impl Rule for WritableRootFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let value = container_bool(container, "readOnlyRootFilesystem");
            if value == Some(true) || is_windows(ws, container) {
                continue;
            }
            let what = if value == Some(false) {
                "sets `readOnlyRootFilesystem: false`"
            } else {
                "does not set `readOnlyRootFilesystem: true`"
            };
            let finding = out.report(
                ws.file_of(container),
                container.security_anchor(),
                ws.container_ref(container),
                format!(
                    "{} {what}: an intruder can write tools or replace binaries in it, and files written there fill the node's disk and vanish on restart",
                    ws.describe(container)
                ),
            );
            if let Some(edit) = set_security_field(
                ws,
                container,
                &["readOnlyRootFilesystem"],
                &Frag::scalar("true"),
            ) {
                finding.fix = Some(Fix::unsafe_(
                    "Set `readOnlyRootFilesystem: true` (mount an emptyDir where the app writes)",
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
        image: gcr.io/distroless/static-debian12:nonroot
        securityContext:
          readOnlyRootFilesystem: on
      - name: no-context
        image: gcr.io/distroless/static-debian12:nonroot
      - name: flow
        image: ghcr.io/acme/api:1.0
        securityContext: {readOnlyRootFilesystem: \"true\", allowPrivilegeEscalation: false}
      - name: off
        image: ghcr.io/acme/api:1.0
        securityContext:
          readOnlyRootFilesystem: false
";

    #[test]
    fn fires_unless_true() {
        let found = check_yaml("KS204", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [17, 21, 24]);
        assert_eq!(
            spans(&found, DEPLOY),
            ["no-context", "securityContext", "securityContext"]
        );
        assert!(found.iter().all(|f| f.fix.is_some() && !is_safe(f)));
        assert!(found[2]
            .message
            .contains("sets `readOnlyRootFilesystem: false`"));
    }

    #[test]
    fn fix_sets_true() {
        let expected = DEPLOY
            .replace(
                "      - name: no-context\n        image: gcr.io/distroless/static-debian12:nonroot\n",
                "      - name: no-context\n        image: gcr.io/distroless/static-debian12:nonroot\n        securityContext:\n          readOnlyRootFilesystem: true\n",
            )
            .replace(
                "{readOnlyRootFilesystem: \"true\",",
                "{readOnlyRootFilesystem: true,",
            )
            .replace(
                "readOnlyRootFilesystem: false",
                "readOnlyRootFilesystem: true",
            );
        assert_eq!(fixed_yaml("KS204", DEPLOY), expected);
    }
}
