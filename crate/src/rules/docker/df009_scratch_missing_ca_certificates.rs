//! DF009 scratch-missing-ca-certificates.

use crate::dockerfile::facts::{chain, root_image};
use crate::finding::{ObjectRef, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

pub struct ScratchMissingCaCertificates;

pub static META: RuleMeta = RuleMeta {
    code: "DF009",
    name: "scratch-missing-ca-certificates",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "The final image is `scratch` and no CA certificates are copied into it",
    help: "copy /etc/ssl/certs/ca-certificates.crt from the build stage",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports the final `FROM` when the final stage is built on `scratch` (directly or through
`FROM <stage>`) and no `COPY`/`ADD` into it brings CA certificates: nothing mentioning
`/etc/ssl`, `ca-certificates`, `ca-bundle`, `cacert` or `/etc/pki`, no copy of a whole root
filesystem or `/etc` from another stage, and no `SSL_CERT_FILE`/`SSL_CERT_DIR` pointing
elsewhere. Distroless images are not reported: they ship the Debian CA bundle.

A Go program can also carry its own roots by importing `golang.org/x/crypto/x509roots/fallback`;
that is invisible to a Dockerfile linter, so mention `x509roots/fallback` in a comment to keep
this rule quiet.

## Why it matters

`scratch` is empty. Go's `crypto/x509` looks for the system roots in the usual files
(`/etc/ssl/certs/ca-certificates.crt`, `/etc/pki/tls/certs/ca-bundle.crt`, …) and finds none, so
the first outgoing HTTPS call — a cloud API, a webhook, an OAuth token endpoint, a TLS database
connection — fails with `x509: certificate signed by unknown authority`. The image builds, the
pod starts and passes its probes, and the failure shows up only when that code path runs in
production.

## Example

```dockerfile bad
FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM scratch
COPY --from=build /out/api /api
USER 65532:65532
ENTRYPOINT ["/api"]
```

```dockerfile good
FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/api /api
USER 65532:65532
ENTRYPOINT ["/api"]
```

## References

- Go: [`crypto/x509` — system roots on Linux](https://go.dev/src/crypto/x509/root_linux.go)
- Go: [`golang.org/x/crypto/x509roots/fallback`](https://pkg.go.dev/golang.org/x/crypto/x509roots/fallback)
- Docker: [Create a minimal base image using scratch](https://docs.docker.com/build/building/base-images/#create-a-minimal-base-image-using-scratch)
- Distroless: [GoogleContainerTools/distroless](https://github.com/GoogleContainerTools/distroless) (static and base images include CA certificates)
"#
    ),
};

/// A COPY/ADD word that brings CA certificates.
fn is_cert_path(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    [
        "/etc/ssl",
        "ca-certificates",
        "ca-bundle",
        "cacert",
        "/etc/pki",
    ]
    .iter()
    .any(|hint| w.contains(hint))
        || w.starts_with("etc/ssl")
}

impl Rule for ScratchMissingCaCertificates {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            let Some(last) = df.final_stage() else {
                continue;
            };
            if !root_image(df, last).is_scratch() {
                continue;
            }
            if ws.text(ctx.file).contains("x509roots/fallback") {
                continue;
            }
            let has_certs = chain(df, last).into_iter().any(|stage| {
                df.stage_instructions(stage).iter().any(|inst| {
                    if inst.is("ENV") {
                        return inst
                            .key_values()
                            .iter()
                            .any(|kv| kv.name == "SSL_CERT_FILE" || kv.name == "SSL_CERT_DIR");
                    }
                    if !(inst.is("COPY") || inst.is("ADD")) {
                        return false;
                    }
                    let mut words: Vec<String> =
                        inst.words().into_iter().map(|w| w.value).collect();
                    let dest = words.pop();
                    let whole_root = inst.flag("from").is_some()
                        && words
                            .iter()
                            .any(|w| matches!(w.trim_end_matches('/'), "" | "/etc" | "etc"));
                    whole_root || words.iter().chain(dest.iter()).any(|w| is_cert_path(w))
                })
            });
            if has_certs {
                continue;
            }
            let Some(from) = df.instructions.get(last.from) else {
                continue;
            };
            let name = last.name.clone().unwrap_or_else(|| last.image.clone());
            out.report(
                ctx.file,
                from.range,
                ObjectRef {
                    document: 0,
                    kind: "Dockerfile".into(),
                    name: Some(name.into()),
                    ..ObjectRef::default()
                },
                "the final image is built on `scratch` without CA certificates: every outgoing HTTPS or TLS connection fails with \"x509: certificate signed by unknown authority\"",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "DF009";

    const BUILD: &str = "FROM golang:1.24-alpine AS build\nRUN apk add --no-cache ca-certificates\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/api .\n\n";

    #[test]
    fn fires_on_scratch_without_certs() {
        let text = format!("{BUILD}FROM scratch AS final\nCOPY --from=build /out/api /api\nENTRYPOINT [\"/api\"]\n");
        let found = check_dockerfile(CODE, &text);
        assert_eq!(lines(&found, &text), [7]);
        assert_eq!(spans(&found, &text), ["FROM scratch AS final"]);
        assert_eq!(found[0].object.name.as_deref(), Some("final"));
        assert!(found[0]
            .message
            .contains("x509: certificate signed by unknown authority"));
    }

    #[test]
    fn fires_through_stage_chain_and_with_crlf() {
        let text =
            "FROM scratch AS base\r\nCOPY app /app\r\n\r\nFROM base\r\nENTRYPOINT [\"/app\"]\r\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [4]);
        assert_eq!(spans(&found, text), ["FROM base"]);
    }

    #[test]
    fn certs_in_a_non_final_stage_do_not_count() {
        let text = "FROM scratch AS certs\nCOPY ca-certificates.crt /etc/ssl/certs/\nFROM scratch\nCOPY app /app\n";
        assert_eq!(lines(&check_dockerfile(CODE, text), text), [3]);
    }

    #[test]
    fn silent_when_certs_are_copied() {
        for copy in [
            "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
            "COPY --from=build /etc/ssl/certs /etc/ssl/certs",
            "COPY --from=build /etc/ssl/ /etc/ssl/",
            "COPY --from=build [\"/etc/ssl/certs/ca-certificates.crt\", \"/etc/ssl/certs/\"]",
            "ADD https://curl.se/ca/cacert.pem /certs/cacert.pem",
            "COPY --from=alpine:3.21 /etc/ssl/cert.pem /etc/ssl/cert.pem",
            "COPY --from=build /etc /etc",
            "COPY --from=rootfs / /",
            "COPY certs/ca-bundle.crt /etc/pki/tls/certs/ca-bundle.crt",
        ] {
            let text = format!("{BUILD}FROM scratch\n{copy}\nCOPY --from=build /out/api /api\n");
            assert!(check_dockerfile(CODE, &text).is_empty(), "{copy}");
        }
    }

    #[test]
    fn silent_near_misses() {
        for last in [
            "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/api /api\n",
            "FROM alpine:3.21\nCOPY --from=build /out/api /api\n",
            "FROM scratch\nCOPY roots.pem /roots.pem\nENV SSL_CERT_FILE=/roots.pem\nCOPY --from=build /out/api /api\n",
            "FROM scratch\n# the binary embeds golang.org/x/crypto/x509roots/fallback\nCOPY --from=build /out/api /api\n",
            "FROM scratch AS export\nCOPY --from=build /out/api /api\nFROM alpine:3.21\n",
        ] {
            let text = format!("{BUILD}{last}");
            assert!(check_dockerfile(CODE, &text).is_empty(), "{last}");
        }
        assert!(check_dockerfile(CODE, "").is_empty());
    }
}
