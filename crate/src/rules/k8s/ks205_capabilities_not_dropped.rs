//! KS205 capabilities-not-dropped.
//!
//! Every container, plain init containers included. Skipped: privileged containers (they get
//! every capability whatever `drop` says; KS203 reports them) and Windows pods (no Linux
//! capabilities). `ALL` is matched case-insensitively, as container runtimes do.

use crate::finding::{Fix, Severity};
use crate::k8s::Container;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{append_item, Frag};
use crate::yaml::Node;

use super::ks201_run_as_non_root_missing::{
    container_field, is_privileged, is_windows, runs_as_non_root, set_security_field,
};

pub struct CapabilitiesNotDropped;

pub static META: RuleMeta = RuleMeta {
    code: "KS205",
    name: "capabilities-not-dropped",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Container does not drop all Linux capabilities",
    help:
        "set `securityContext.capabilities.drop: [ALL]` and add back only what the container needs",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports a container whose `securityContext.capabilities.drop` does not contain `ALL`. Plain init
containers are checked too. Privileged containers (which get every capability whatever `drop`
says; KS203 reports them) and Windows pods are skipped.

## Why it matters

Even without `privileged`, a container starts with the runtime's default capability set:
`CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `SETGID`, `SETUID`, `SETPCAP`,
`NET_BIND_SERVICE`, `NET_RAW`, `SYS_CHROOT`, `MKNOD`, `AUDIT_WRITE`, `SETFCAP`. A root process
can use them to read any file regardless of permissions, forge packets (`NET_RAW` makes ARP and
DNS spoofing against neighbours possible) or change file ownership. A Go HTTP or gRPC service
needs none of them. Dropping `ALL` and adding back a specific capability (`add:
[NET_BIND_SERVICE]` for a port below 1024) is what the Pod Security Standards' `restricted`
level requires.

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
          capabilities:
            drop: [NET_RAW]
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
      securityContext: {runAsNonRoot: true, runAsUser: 65532}
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
        ports:
        - containerPort: 8080
        securityContext:
          capabilities:
            drop: [ALL]
```

## Fix safety

The fix appends `ALL` to an existing `capabilities.drop` list, or adds
`capabilities: {drop: [ALL]}` to the container's `securityContext` (creating it if needed);
capabilities listed under `add` keep working, since they are applied after the drop.

It is safe when the container is known to run as a non-root user (`runAsNonRoot: true`, a
non-zero `runAsUser`, or a numeric non-root `USER` in the paired Dockerfile) and declares no
`containerPort` below 1024: a non-root process has no effective capabilities to lose. Otherwise
it is marked unsafe: a process running as root may rely on the default set without knowing it
(binding port 80 or 443 needs `NET_BIND_SERVICE`, images that start as root and switch users
need `SETUID`/`SETGID`, `chown` at start-up needs `CHOWN`), and a binary given file capabilities
with `setcap` fails to start once they are outside the bounding set.

## References

- Kubernetes: [Set capabilities for a container](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container)
- Kubernetes: [Pod Security Standards — restricted: capabilities](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
- Linux: [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
- Peers: kube-linter `drop-net-raw-capability` (NET_RAW only), Polaris `insecureCapabilities` / `dangerousCapabilities`, kubeaudit `capabilities` (kube-score has no equivalent)
"#
    ),
};

/// Does the container declare a port below 1024?
fn has_low_port(container: &Container<'_>) -> bool {
    container.ports().iter().any(|p| {
        p.get("containerPort")
            .and_then(Node::int)
            .is_some_and(|port| port < 1024)
    })
}

impl Rule for CapabilitiesNotDropped {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            if is_privileged(container) || is_windows(ws, container) {
                continue;
            }
            let drop = container_field(container, "capabilities").and_then(|c| c.get("drop"));
            let dropped: Vec<&str> = drop
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::str)
                .collect();
            if dropped.iter().any(|c| c.eq_ignore_ascii_case("ALL")) {
                continue;
            }
            let what = if dropped.is_empty() {
                "does not drop capabilities".to_string()
            } else {
                let list: Vec<String> = dropped.iter().map(|c| format!("`{c}`")).collect();
                format!("drops only {} and not `ALL`", list.join(", "))
            };
            let finding = out.report(
                ws.file_of(container),
                container.security_anchor(),
                ws.container_ref(container),
                format!(
                    "{} {what}: it keeps the runtime's default capabilities (such as NET_RAW, DAC_OVERRIDE, SETUID), which an intruder running as root can use against files, the network and neighbouring pods",
                    ws.describe(container)
                ),
            );
            let all = Frag::scalar("ALL");
            let edit = match drop {
                Some(list) if list.as_sequence().is_some() => {
                    append_item(ws.text(ws.file_of(container)), list, &all)
                }
                _ => {
                    set_security_field(ws, container, &["capabilities", "drop"], &Frag::seq([all]))
                }
            };
            let Some(edit) = edit else {
                continue;
            };
            let title = if drop.is_some_and(|d| d.as_sequence().is_some()) {
                "Add `ALL` to `capabilities.drop`"
            } else {
                "Add `capabilities: {drop: [ALL]}` to the container's securityContext"
            };
            finding.fix = Some(
                if runs_as_non_root(ws, container) && !has_low_port(container) {
                    Fix::safe(title, vec![edit])
                } else {
                    Fix::unsafe_(title, vec![edit])
                },
            );
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
        ports:
        - containerPort: 8080
      - name: partial
        image: ghcr.io/acme/api:1.0
        securityContext:
          capabilities:
            drop:
            - NET_RAW
            add: [NET_BIND_SERVICE]
      - name: flow
        image: ghcr.io/acme/api:1.0
        securityContext: {capabilities: {drop: [NET_RAW]}}
      - name: lowercase
        image: ghcr.io/acme/api:1.0
        securityContext:
          capabilities: {drop: [all]}
      - name: web
        image: ghcr.io/acme/web:1.0
        ports:
        - containerPort: 443
        securityContext:
          allowPrivilegeEscalation: false
      - name: privileged
        image: ghcr.io/acme/agent:1.0
        securityContext:
          privileged: true
";

    #[test]
    fn fires_unless_all_is_dropped() {
        let found = check_yaml("KS205", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [13, 19, 26, 35]);
        assert_eq!(
            spans(&found, DEPLOY),
            [
                "api",
                "securityContext",
                "securityContext",
                "securityContext"
            ]
        );
        assert!(found[1]
            .message
            .contains("drops only `NET_RAW` and not `ALL`"));
        // Non-root without low ports: safe. Port 443: unsafe.
        assert!(is_safe(&found[0]) && is_safe(&found[1]) && is_safe(&found[2]));
        assert!(!is_safe(&found[3]));
    }

    #[test]
    fn fix_appends_or_creates() {
        let expected = DEPLOY
            .replace(
                "        - containerPort: 8080\n",
                "        - containerPort: 8080\n        securityContext:\n          capabilities:\n            drop:\n            - ALL\n",
            )
            .replace(
                "            - NET_RAW\n",
                "            - NET_RAW\n            - ALL\n",
            )
            .replace("{drop: [NET_RAW]}", "{drop: [NET_RAW, ALL]}")
            .replace(
                "          allowPrivilegeEscalation: false\n",
                "          allowPrivilegeEscalation: false\n          capabilities:\n            drop:\n            - ALL\n",
            );
        assert_eq!(fixed_yaml("KS205", DEPLOY), expected);
    }

    #[test]
    fn fix_keeps_crlf_and_four_space_indentation() {
        let text = "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n    name: api\r\nspec:\r\n    securityContext:\r\n        runAsUser: 65532\r\n    containers:\r\n        - name: api\r\n          image: gcr.io/distroless/static-debian12:nonroot\r\n          securityContext:\r\n              readOnlyRootFilesystem: true\r\n";
        let found = check_yaml("KS205", text);
        assert!(is_safe(&found[0]));
        assert_eq!(
            fixed_yaml("KS205", text),
            format!("{text}              capabilities:\r\n                  drop:\r\n                      - ALL\r\n")
        );
    }

    #[test]
    fn root_container_fix_is_unsafe() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: nginx}\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.25\n    securityContext:\n      capabilities:\n        drop: []\n";
        let found = check_yaml("KS205", text);
        assert_eq!(found.len(), 1);
        assert!(!is_safe(&found[0]));
        assert_eq!(
            fixed_yaml("KS205", text),
            text.replace("drop: []", "drop: [ALL]")
        );
    }
}
