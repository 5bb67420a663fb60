//! KS203 privileged-container.
//!
//! Every container, plain init containers included (privileged init containers that tune
//! sysctls are a classic).

use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::ks201_run_as_non_root_missing::container_field;

pub struct PrivilegedContainer;

pub static META: RuleMeta = RuleMeta {
    code: "KS203",
    name: "privileged-container",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "Container runs privileged",
    help: "remove `privileged: true`; add only the specific capability the container needs",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports `securityContext.privileged: true` on any container, plain init containers included
(`yes`/`on` count as true; a quoted `"true"` is a string the API server rejects).

## Why it matters

A privileged container has every Linux capability, no seccomp or AppArmor confinement and
access to all of the node's devices. It can mount the host's disks, load kernel modules or
write to `/proc/sys`: whoever gets code execution inside it owns the node and every pod on it.
Pod Security Standards forbid it from the `baseline` level up, so the pod is also refused by any
namespace that enforces them. A privileged container is also always allowed to escalate, which
is why KS202 does not report it separately.

Privileged init containers are often used to raise a sysctl such as `vm.max_map_count` or
`net.core.somaxconn`; namespaced sysctls can be set through `spec.securityContext.sysctls`
instead, and node-level ones belong to node configuration.

## Example

```yaml bad
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
      containers:
      - name: agent
        image: ghcr.io/acme/log-agent:2.3.0
        securityContext:
          privileged: true
```

```yaml good
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
      containers:
      - name: agent
        image: ghcr.io/acme/log-agent:2.3.0
        securityContext:
          privileged: false
          capabilities:
            drop: [ALL]
            add: [DAC_READ_SEARCH]
```

## References

- Kubernetes: [Pod Security Standards — baseline: privileged containers](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
- Kubernetes: [Using sysctls in a Kubernetes cluster](https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/)
- Peers: kube-score `container-security-context-privileged`, kube-linter `privileged-container`, Polaris `runAsPrivileged`
"#
    ),
};

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let Some(value) = container_field(container, "privileged") else {
                continue;
            };
            if value.bool() != Some(true) {
                continue;
            }
            out.report(
                ws.file_of(container),
                value.range,
                ws.container_ref(container),
                format!(
                    "{} runs privileged: it has every capability and all host devices, so code execution inside it is full control of the node",
                    ws.describe(container)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const DS: &str = "\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: es, namespace: logging}
spec:
  selector: {matchLabels: {app: es}}
  template:
    metadata: {labels: {app: es}}
    spec:
      initContainers:
      - name: sysctl
        image: busybox:1.36
        command: [sysctl, -w, vm.max_map_count=262144]
        securityContext: {privileged: yes}
      containers:
      - name: es
        image: docker.elastic.co/elasticsearch/elasticsearch:8.13.0
        securityContext:
          privileged: false
      - name: quoted
        image: ghcr.io/acme/a:1.0
        securityContext:
          privileged: \"true\"
      - name: agent
        image: ghcr.io/acme/a:1.0
        securityContext:
          privileged: true
";

    #[test]
    fn fires_at_the_value() {
        let found = check_yaml("KS203", DS);
        assert_eq!(lines(&found, DS), [13, 26]);
        assert_eq!(spans(&found, DS), ["yes", "true"]);
        assert!(found[0]
            .message
            .contains("container `sysctl` of DaemonSet/logging/es runs privileged"));
    }
}
