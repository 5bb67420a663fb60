//! KS107 quantity-suspicious.
//!
//! Looks at `requests` and `limits` of `cpu` and `memory` of every container (plain init
//! containers included). Errors: the text is not a quantity, or it is negative. Warnings (memory
//! only): milli-units (`1000m` is one byte), a fractional number of bytes, or a bare number under
//! 1 MiB.

use crate::finding::{Fix, Severity};
use crate::k8s::container::Container;
use crate::k8s::quantity::{parse_manifest_quantity, QuantityFormat};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::replace_scalar;
use crate::yaml::Value;

pub struct QuantitySuspicious;

pub static META: RuleMeta = RuleMeta {
    code: "KS107",
    name: "quantity-suspicious",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "CPU or memory quantity that is invalid or almost certainly not what was meant",
    help: "write memory as `256Mi` (binary) or `256M` (decimal) and CPU as `500m` or `0.5`",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Checks the `cpu` and `memory` values under `resources.requests` and `resources.limits`:

- **error**: the value is not a Kubernetes quantity (`256MB`, `1 GiB`, `2 cores`, `512mi`) or is
  negative;
- **warning** (memory only): the value uses milli-units (`1000m` is one *byte*: `m` means
  milli, not mega), a fractional number of bytes (`0.5`), or is a bare number below 1 MiB
  (`512`, which is 512 bytes, where `512Mi` was almost certainly meant).

Numbers written without quotes (`cpu: 2`, `cpu: 0.5`, `memory: 1073741824`) are valid and
are read as the API server reads them. Other rules that compare quantities (KS103, KS104, the GO
rules) skip values this rule reports as invalid.

## Why it matters

An invalid quantity makes the API server reject the object (`quantities must match the regular
expression ...`), so the deployment fails in CI or, worse, in a release pipeline at 2 a.m.
`MB`/`GB` are the usual culprits: Kubernetes spells them `M`/`G` (powers of 1000) or
`Mi`/`Gi` (powers of 1024).

The warnings are values Kubernetes accepts but that mean something absurd. A memory limit of
`1000m` or `512` is one or 512 bytes: the container cannot even start (the runtime refuses a
limit that small) or is OOMKilled at once, and as a request it reserves nothing, so the
scheduler over-packs the node.

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
        resources:
          requests: {cpu: 250m, memory: 256MB}
          limits: {memory: 512}
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
        resources:
          requests: {cpu: 0.25, memory: 256M}
          limits: {cpu: 2, memory: "536870912"}
```

## Fix

For an invalid value with one obvious reading, the fix rewrites it keeping its quoting:
`256MB` → `256M` (the same number of bytes: both are decimal megabytes), `1GiB` → `1Gi`,
`512mi` → `512Mi`, `256 Mi` → `256Mi`. For CPU only the removal of stray spaces is offered.
Ambiguous values (`Mb`, a bare `K`, milli-unit memory, small bare numbers) get no automatic fix:
whether `512` meant `512Mi` or `512M` is for a human to say.

## References

- Kubernetes: [Resource units in Kubernetes](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#resource-units-in-kubernetes)
- Kubernetes: [Quantity reference](https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/)
- Peers: no equivalent in kube-score, kube-linter or Polaris (`kubectl apply --dry-run=server` reports the invalid ones)
"#
    ),
};

const MIB: i128 = 1 << 20;

impl Rule for QuantitySuspicious {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            for section in ["requests", "limits"] {
                for resource in ["cpu", "memory"] {
                    let Some(entry) = container.resource(section, resource) else {
                        continue;
                    };
                    let node = &entry.value;
                    let file = ws.file_of(container);
                    // Formatted only into a finding's message.
                    let what = Setting {
                        ws,
                        container,
                        section,
                        resource,
                    };
                    let text = match &node.value {
                        _ if node.is_null() => continue,
                        Value::Scalar(s) => s.text.as_str(),
                        _ => {
                            out.report(
                                file,
                                node.range,
                                ws.container_ref(container),
                                format!("{what} to a YAML collection, not a quantity: the API server rejects the object"),
                            );
                            continue;
                        }
                    };
                    let quantity = match parse_manifest_quantity(text) {
                        Ok(q) => q,
                        Err(error) => {
                            let suggestion = error.suggestion.as_deref().filter(|s| {
                                resource == "memory"
                                    || *s == text.split_whitespace().collect::<String>()
                            });
                            let finding = out.report(
                                file,
                                node.range,
                                ws.container_ref(container),
                                format!(
                                    "{what} to `{text}`, which is not a valid quantity ({}): the API server rejects the object",
                                    error.message
                                ),
                            );
                            if let Some(suggestion) = suggestion {
                                finding.help = format!("write `{suggestion}`").into();
                                if let Some(edit) = replace_scalar(ws.text(file), node, suggestion)
                                {
                                    finding.fix = Some(Fix::safe(
                                        format!("Write `{suggestion}`"),
                                        vec![edit],
                                    ));
                                }
                            }
                            continue;
                        }
                    };
                    let shown = text.trim();
                    if quantity.nano() < 0 {
                        out.report(
                            file,
                            node.range,
                            ws.container_ref(container),
                            format!("{what} to `{shown}`, a negative quantity: the API server rejects the object"),
                        );
                        continue;
                    }
                    if resource != "memory" || quantity.is_zero() {
                        continue;
                    }
                    let bytes = quantity.bytes();
                    let message = if matches!(quantity.suffix(), "m" | "u" | "n") {
                        format!(
                            "{what} to `{shown}`: `{}` means {}, not mega, so this is {} of memory; `Mi` or `M` was probably meant",
                            quantity.suffix(),
                            if quantity.suffix() == "m" { "milli" } else if quantity.suffix() == "u" { "micro" } else { "nano" },
                            plural_bytes(bytes),
                        )
                    } else if quantity.nano() % 1_000_000_000 != 0 {
                        format!(
                            "{what} to `{shown}`, a fractional number of bytes: Kubernetes rounds it up to {} and warns about it",
                            plural_bytes(bytes),
                        )
                    } else if (quantity.suffix().is_empty()
                        || quantity.format() == QuantityFormat::DecimalExponent)
                        && bytes < MIB
                    {
                        let hint = if quantity.suffix().is_empty() {
                            format!("`{shown}Mi` was probably meant; ")
                        } else {
                            String::new()
                        };
                        format!(
                            "{what} to `{shown}`, a bare number, which is {}: {hint}a limit this small keeps the container from starting and a request this small reserves nothing",
                            plural_bytes(bytes),
                        )
                    } else {
                        continue;
                    };
                    out.report(file, node.range, ws.container_ref(container), message)
                        .severity = Severity::Warning;
                }
            }
        }
    }
}

/// "container `api` of Deployment/shop/api sets `limits.memory`", written when displayed.
struct Setting<'w, 'a> {
    ws: &'w Workspace<'a>,
    container: &'w Container<'a>,
    section: &'static str,
    resource: &'static str,
}

impl std::fmt::Display for Setting<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} sets `{}.{}`",
            self.ws.describe(self.container),
            self.section,
            self.resource
        )
    }
}

fn plural_bytes(bytes: i128) -> String {
    if bytes == 1 {
        "1 byte".to_string()
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
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
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        resources:
          requests:
            cpu: 2 cores
            memory: 256MB
          limits:
            cpu: \"500 m\"
            memory: '1GiB'
      - name: tiny
        image: ghcr.io/acme/api:1.0
        resources:
          requests: {memory: 1000m}
          limits: {memory: 512}
      - name: fine
        image: ghcr.io/acme/api:1.0
        resources:
          requests: {cpu: 0.5, memory: 1073741824}
          limits: {cpu: 2, memory: \" 1Gi \"}
      - name: odd
        image: ghcr.io/acme/api:1.0
        resources:
          requests: {cpu: -1, memory: 0.5}
          limits: {cpu: [1], memory: 0, ephemeral-storage: 1GB}
";

    #[test]
    fn reports_invalid_and_suspicious_values() {
        let found = check_yaml("KS107", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [14, 15, 17, 18, 22, 23, 32, 32, 33]);
        assert_eq!(
            spans(&found, DEPLOY),
            [
                "2 cores",
                "256MB",
                "\"500 m\"",
                "'1GiB'",
                "1000m",
                "512",
                "-1",
                "0.5",
                "[1]"
            ]
        );
        let severities: Vec<Severity> = found.iter().map(|f| f.severity).collect();
        use Severity::*;
        assert_eq!(
            severities,
            [Error, Error, Error, Error, Warning, Warning, Error, Warning, Error]
        );
        assert!(found[4].message.contains("this is 1 byte of memory"));
        assert!(found[5].message.contains("which is 512 bytes"));
        assert!(found[0].fix.is_none());
        assert!(is_safe(&found[1]));
    }

    #[test]
    fn fixes_unambiguous_spellings_keeping_quotes() {
        let out = fixed_yaml("KS107", DEPLOY);
        let expected = DEPLOY
            .replace("memory: 256MB", "memory: 256M")
            .replace("cpu: \"500 m\"", "cpu: \"500m\"")
            .replace("memory: '1GiB'", "memory: '1Gi'");
        assert_eq!(out, expected);
    }

    #[test]
    fn fix_in_flow_mapping_and_crlf() {
        let text = "apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: p}\r\nspec:\r\n  containers:\r\n  - {name: c, image: ghcr.io/acme/c:1.0, resources: {limits: {memory: 64mi}}}\r\n";
        assert_eq!(fixed_yaml("KS107", text), text.replace("64mi", "64Mi"));
    }

    #[test]
    fn silent_on_valid_values() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ghcr.io/acme/c:1.0\n    resources:\n      requests: {cpu: 100m, memory: 2Mi}\n      limits: {cpu: \"1\", memory: 1e9, ephemeral-storage: 2Gi}\n";
        assert!(check_yaml("KS107", text).is_empty());
    }
}
