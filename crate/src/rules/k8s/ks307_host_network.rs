//! KS307 host-network.

use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

pub struct HostNetwork;

pub static META: RuleMeta = RuleMeta {
    code: "KS307",
    name: "host-network",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "Pod uses the node's network namespace (`hostNetwork: true`)",
    help: "remove `hostNetwork` unless the pod really must bind node interfaces; expose it through a Service instead",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

Reports a pod spec (of a Pod or of a workload's template) with `hostNetwork: true`.

## Why it matters

A host-network pod shares the node's network stack. Its listening ports collide with the node's
and with other host-network pods (two replicas cannot land on one node, and a rollout stalls when
the new pod cannot bind), NetworkPolicies no longer isolate it, and it can reach every node-local
service. Its outgoing connections draw on the node's ephemeral port range: a Go client that
opens a new connection per request (no shared `http.Client`, or `DisableKeepAlives`) leaves
thousands of sockets in `TIME_WAIT` and can exhaust the ports for every pod on the node, which
shows up as `connect: cannot assign requested address` far away from the culprit. DNS changes
too: without `dnsPolicy: ClusterFirstWithHostNet` the pod resolves with the node's
`/etc/resolv.conf` and cannot find cluster Services by name.

## Example

```yaml bad
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers:
      - name: agent
        image: ghcr.io/acme/agent:2.1.0
```

```yaml good
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
      - name: agent
        image: ghcr.io/acme/agent:2.1.0
        ports:
        - {name: metrics, containerPort: 9100}
```

Node agents that truly need the host network (CNI plugins, node exporters) can keep it; set
`dnsPolicy: ClusterFirstWithHostNet` and reuse connections.

## References

- Kubernetes: [Pod Security Standards — host namespaces](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
- Kubernetes: [DNS for Services and Pods — pod's DNS policy](https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy)
- Go: [net/http Transport connection reuse](https://pkg.go.dev/net/http#Transport)
- Peers: kube-linter `host-network`, Polaris `hostNetworkSet`
"#),
};

impl Rule for HostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for pod in &ws.pods {
            let Some(value) = pod.spec.get("hostNetwork") else {
                continue;
            };
            if value.bool() != Some(true) {
                continue;
            }
            let object = &ws.objects[pod.object];
            out.report(
                object.file,
                value.range,
                object.object_ref(None),
                format!(
                    "{} runs in the node's network namespace: its ports collide with the node's and other pods', NetworkPolicies do not apply, and its connections share the node's ephemeral ports",
                    object.display_name()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_host_network_true() {
        let text = "\
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  hostNetwork: yes
  containers: [{name: a, image: a:1}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: c, namespace: ops}
spec:
  schedule: '* * * * *'
  jobTemplate:
    spec:
      template:
        spec: {hostNetwork: true, containers: [{name: c, image: c:1}], restartPolicy: Never}
";
        let found = check_yaml("KS307", text);
        assert_eq!(lines(&found, text), [5, 16]);
        assert_eq!(spans(&found, text), ["yes", "true"]);
        assert!(found[1].message.contains("CronJob/ops/c"));
    }

    #[test]
    fn silent_on_false_and_strings() {
        let text = "\
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  hostNetwork: false
  containers: [{name: a, image: a:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  hostNetwork: \"true\"
  containers: [{name: a, image: a:1}]
";
        assert!(check_yaml("KS307", text).is_empty());
    }
}
