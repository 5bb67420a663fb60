//! KS304 dns-ndots-default (off by default).

use crate::finding::{Fix, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{append_to_list, set_path, Frag};
use crate::yaml::Node;

pub struct DnsNdotsDefault;

pub static META: RuleMeta = RuleMeta {
    code: "KS304",
    name: "dns-ndots-default",
    severity: Severity::Info,
    enabled_by_default: false,
    summary: "Pod resolves names with the cluster default `ndots:5`",
    help: "set `dnsConfig.options` `ndots` to a lower value such as \"2\"",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Off by default. Reports a pod spec that uses the cluster DNS (`dnsPolicy` `ClusterFirst`, the
default, or `ClusterFirstWithHostNet`) and does not set an `ndots` option in
`dnsConfig.options`. The fix adds `dnsConfig: {options: [{name: ndots, value: "2"}]}` (or
appends the option to an existing `dnsConfig.options` list).

## Why it matters

The kubelet writes `options ndots:5` and three or more `search` domains into every pod's
`/etc/resolv.conf`. Any name with fewer than five dots is first tried against each search domain:
a Go service calling `api.payments.example.com` sends `api.payments.example.com.shop.svc.cluster.local`,
`….svc.cluster.local`, `….cluster.local` (and the node's own search domains), each as an A and an
AAAA query, before the real name. Go's pure-Go resolver follows these settings. A busy client
that dials without connection reuse multiplies its DNS traffic several times over, CoreDNS CPU
and conntrack entries climb, and a DNS hiccup becomes latency spikes on every outgoing call.

With `ndots: 2`, names with two or more dots (external hosts, `svc.namespace.svc`) go straight to
the absolute lookup, while short in-cluster names such as `orders` or `orders.shop` still use the
search list. The rule is off by default because the right value depends on how the service
names its dependencies; writing fully qualified names with a trailing dot (`api.example.com.`)
avoids the search list as well.

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
      dnsConfig:
        options:
        - name: ndots
          value: "2"
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
```

## Fix safety

The fix is safe for names that are either short in-cluster names (`orders`, `orders.shop`) or
fully qualified. A name with two or more dots that relied on a search domain to be completed
(for example `orders.shop.svc` without `.cluster.local`) would now be tried as an absolute name
first; it still resolves, through the search list, after one failed lookup.

## References

- Kubernetes: [DNS for Services and Pods — pod's DNS config](https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-dns-config)
- Kubernetes: [Debugging DNS resolution — known issues](https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/#known-issues)
- Go: [net package — name resolution](https://pkg.go.dev/net#hdr-Name_Resolution)
- resolv.conf(5): [`ndots`](https://man7.org/linux/man-pages/man5/resolv.conf.5.html)
"#
    ),
};

/// Does the pod resolve through the cluster DNS with the kubelet's search list and `ndots:5`?
fn uses_cluster_dns(spec: &Node) -> bool {
    let policy = spec.get("dnsPolicy").and_then(Node::str);
    let host_network = spec.get("hostNetwork").and_then(Node::bool) == Some(true);
    match policy {
        None | Some("ClusterFirst") => !host_network,
        Some("ClusterFirstWithHostNet") => true,
        _ => false,
    }
}

impl Rule for DnsNdotsDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for pod in &ws.pods {
            if !uses_cluster_dns(pod.spec) {
                continue;
            }
            let dns_config = pod.spec.get("dnsConfig");
            let options = dns_config.and_then(|d| d.get("options"));
            let has_ndots = options
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .any(|o| o.get("name").and_then(Node::str) == Some("ndots"));
            if has_ndots {
                continue;
            }
            let object = &ws.objects[pod.object];
            let text = ws.text(object.file);
            let option = Frag::map([
                ("name", Frag::scalar("ndots")),
                ("value", Frag::scalar("\"2\"")),
            ]);
            let edit = match dns_config {
                Some(config) if config.as_mapping().is_some() => {
                    append_to_list(text, config, "options", &option)
                }
                _ => set_path(
                    text,
                    pod.spec,
                    &["dnsConfig"],
                    &Frag::map([("options", Frag::seq([option]))]),
                ),
            };
            let finding = out.report(
                object.file,
                pod.spec_key,
                object.object_ref(None),
                format!(
                    "{} resolves names with the default `ndots:5`: every external name with fewer than five dots is first looked up in each cluster search domain, multiplying DNS queries and latency",
                    object.display_name()
                ),
            );
            if let Some(edit) = edit {
                finding.fix = Some(Fix::safe("set dnsConfig option ndots to \"2\"", vec![edit]));
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
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.2
";

    #[test]
    fn fires_at_the_pod_spec_key() {
        let found = check_yaml("KS304", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [13]);
        assert_eq!(spans(&found, DEPLOY), ["spec"]);
        assert!(is_safe(&found[0]));
    }

    #[test]
    fn fix_adds_dns_config() {
        assert_eq!(
            fixed_yaml("KS304", DEPLOY),
            "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.2
      dnsConfig:
        options:
        - name: ndots
          value: \"2\"
"
        );
    }

    #[test]
    fn fix_appends_to_existing_options() {
        let text = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  dnsConfig:
    options:
      - name: single-request-reopen
  containers: [{name: a, image: a:1}]
";
        assert_eq!(
            fixed_yaml("KS304", text),
            "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  dnsConfig:
    options:
      - name: single-request-reopen
      - name: ndots
        value: \"2\"
  containers: [{name: a, image: a:1}]
"
        );
    }

    #[test]
    fn fix_on_flow_style_spec() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a:1}], dnsConfig: {nameservers: [1.1.1.1]}}\n";
        assert_eq!(
            fixed_yaml("KS304", text),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a:1}], dnsConfig: {nameservers: [1.1.1.1], options: [{name: ndots, value: \"2\"}]}}\n"
        );
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a:1}]}\n";
        assert_eq!(
            fixed_yaml("KS304", text),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a:1}], dnsConfig: {options: [{name: ndots, value: \"2\"}]}}\n"
        );
    }

    #[test]
    fn fix_fills_null_and_empty_dns_config() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  dnsConfig:\n  containers: [{name: a, image: a:1}]\n";
        assert_eq!(
            fixed_yaml("KS304", text),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  dnsConfig:\n    options:\n      - name: ndots\n        value: \"2\"\n  containers: [{name: a, image: a:1}]\n"
        );
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  dnsConfig: {}\n  containers: [{name: a, image: a:1}]\n";
        assert_eq!(
            fixed_yaml("KS304", text),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  dnsConfig: {options: [{name: ndots, value: \"2\"}]}\n  containers: [{name: a, image: a:1}]\n"
        );
    }

    #[test]
    fn silent_with_ndots_or_without_cluster_dns() {
        let text = "\
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  dnsConfig: {options: [{name: ndots, value: \"1\"}]}
  containers: [{name: a, image: a:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  dnsPolicy: Default
  containers: [{name: a, image: a:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: c}
spec:
  hostNetwork: true
  containers: [{name: a, image: a:1}]
";
        assert!(check_yaml("KS304", text).is_empty());
    }

    #[test]
    fn off_by_default() {
        let found = crate::analyze(
            &[crate::SourceFile::new("m.yaml", DEPLOY)],
            &crate::Config::default(),
        );
        assert!(found.findings.iter().all(|f| f.code != "KS304"));
    }
}
