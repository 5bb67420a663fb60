//! KS202 privilege-escalation-allowed.
//!
//! Every container, plain init containers included. Silent for privileged containers (KS203
//! reports them, and the API server rejects `allowPrivilegeEscalation: false` together with
//! `privileged: true`) and for Windows pods (a Linux-only field).

use crate::finding::{Fix, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::Frag;
use crate::yaml::Node;

use super::ks201_run_as_non_root_missing::{
    container_bool, container_field, is_privileged, is_windows, set_security_field,
};

pub struct PrivilegeEscalationAllowed;

pub static META: RuleMeta = RuleMeta {
    code: "KS202",
    name: "privilege-escalation-allowed",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Container does not set `allowPrivilegeEscalation: false`",
    help: "set `securityContext.allowPrivilegeEscalation: false`",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports a container whose `securityContext` does not set `allowPrivilegeEscalation: false`
(the field exists only on containers; unset means allowed). Plain init containers are checked
too. A quoted `"false"` is a string, which the API server rejects, so it counts as not set.

Not reported:

- privileged containers (`privileged: true`): KS203 reports them, escalation is always possible
  there, and the API server rejects `allowPrivilegeEscalation: false` next to
  `privileged: true`;
- Windows pods (`spec.os.name: windows` or a `kubernetes.io/os: windows` node selector), where
  the field does not exist.

## Why it matters

Without the flag, a process in the container can gain privileges it did not start with: a
setuid-root binary (`su`, `mount`, `ping` in older images) or a file with capabilities runs with
more rights than its caller. That is the usual second step after a remote code execution in a
service running as non-root. `allowPrivilegeEscalation: false` sets the kernel's
`no_new_privs` flag on the container's processes, which turns those binaries into ordinary ones.
A Go service built as a static binary never needs escalation.

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
          runAsNonRoot: true
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
          runAsNonRoot: true
          allowPrivilegeEscalation: false
```

## Fix safety

The fix adds (or corrects) `allowPrivilegeEscalation: false` in the container's
`securityContext`, creating it if needed. It is marked safe: only programs that rely on setuid
binaries or file capabilities to gain rights notice the change, which is rare for services. No
fix is offered when the container adds `CAP_SYS_ADMIN`, which the API server does not accept
together with the flag.

## References

- Kubernetes: [Configure a security context — allowPrivilegeEscalation](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
- Kubernetes: [Pod Security Standards — restricted: privilege escalation](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
- Linux: [No New Privileges flag](https://docs.kernel.org/userspace-api/no_new_privs.html)
- Peers: kube-linter `privilege-escalation-container`, Polaris `privilegeEscalationAllowed`, kubeaudit `privesc` (kube-score has no equivalent)
"#
    ),
};

/// `capabilities.add` lists `CAP_SYS_ADMIN` (or `SYS_ADMIN`).
fn adds_sys_admin(container: &crate::k8s::Container<'_>) -> bool {
    container_field(container, "capabilities")
        .and_then(|c| c.get("add"))
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::str)
        .any(|c| matches!(c, "CAP_SYS_ADMIN" | "SYS_ADMIN"))
}

impl Rule for PrivilegeEscalationAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let value = container_bool(container, "allowPrivilegeEscalation");
            if value == Some(false) || is_privileged(container) || is_windows(ws, container) {
                continue;
            }
            let what = if value == Some(true) {
                "sets `allowPrivilegeEscalation: true`"
            } else {
                "does not set `allowPrivilegeEscalation: false`"
            };
            let finding = out.report(
                ws.file_of(container),
                container.security_anchor(),
                ws.container_ref(container),
                format!(
                    "{} {what}: a process in it can gain root through setuid binaries or file capabilities, the usual next step after a code execution bug",
                    ws.describe(container)
                ),
            );
            if adds_sys_admin(container) {
                finding.help = "remove the SYS_ADMIN capability, then set `allowPrivilegeEscalation: false` (the API server rejects the flag together with CAP_SYS_ADMIN)".into();
                continue;
            }
            if let Some(edit) = set_security_field(
                ws,
                container,
                &["allowPrivilegeEscalation"],
                &Frag::scalar("false"),
            ) {
                finding.fix = Some(Fix::safe(
                    "Set `allowPrivilegeEscalation: false` in the container's securityContext",
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
      securityContext: {runAsNonRoot: true, runAsUser: 65532}
      initContainers:
      - name: init
        image: busybox:1.36
        command: [sh, -c, 'echo ready']
      containers:
      - name: api
        image: gcr.io/distroless/static-debian12:nonroot
        securityContext:
          readOnlyRootFilesystem: true # keep this comment
      - name: flow
        image: ghcr.io/acme/api:1.0
        securityContext: {allowPrivilegeEscalation: \"false\"}
      - name: explicit
        image: ghcr.io/acme/api:1.0
        securityContext:
          allowPrivilegeEscalation: true
      - name: good
        image: ghcr.io/acme/api:1.0
        securityContext:
          allowPrivilegeEscalation: no
      - name: privileged
        image: ghcr.io/acme/agent:1.0
        securityContext:
          privileged: true
      - name: sysadmin
        image: ghcr.io/acme/agent:1.0
        securityContext:
          capabilities:
            add: [CAP_SYS_ADMIN]
";

    #[test]
    fn fires_unless_explicitly_false() {
        let found = check_yaml("KS202", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [11, 17, 21, 24, 36]);
        assert_eq!(
            spans(&found, DEPLOY),
            [
                "init",
                "securityContext",
                "securityContext",
                "securityContext",
                "securityContext"
            ]
        );
        assert!(found[3]
            .message
            .contains("sets `allowPrivilegeEscalation: true`"));
        assert!(found[..4].iter().all(is_safe));
        assert!(found[4].fix.is_none());
    }

    #[test]
    fn fix_adds_or_corrects_the_flag() {
        let expected = DEPLOY
            .replace(
                "        command: [sh, -c, 'echo ready']\n",
                "        command: [sh, -c, 'echo ready']\n        securityContext:\n          allowPrivilegeEscalation: false\n",
            )
            .replace(
                "          readOnlyRootFilesystem: true # keep this comment\n",
                "          readOnlyRootFilesystem: true # keep this comment\n          allowPrivilegeEscalation: false\n",
            )
            .replace(
                "{allowPrivilegeEscalation: \"false\"}",
                "{allowPrivilegeEscalation: false}",
            )
            .replace(
                "allowPrivilegeEscalation: true",
                "allowPrivilegeEscalation: false",
            );
        assert_eq!(fixed_yaml("KS202", DEPLOY), expected);
    }

    #[test]
    fn windows_pods_are_skipped() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  os: {name: windows}\n  containers:\n  - name: iis\n    image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: w2}\nspec:\n  nodeSelector:\n    kubernetes.io/os: windows\n  containers:\n  - name: iis\n    image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\n";
        assert!(check_yaml("KS202", text).is_empty());
    }
}
