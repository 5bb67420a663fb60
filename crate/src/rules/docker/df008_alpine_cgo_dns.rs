//! DF008 alpine-cgo-dns.

use crate::dockerfile::facts::root_image;
use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::df001_cgo_not_disabled::{final_godebug_netdns_go, go_builds, reaching_final, Cgo};
use super::stage_ref;

pub struct AlpineCgoDns;

pub static META: RuleMeta = RuleMeta {
    code: "DF008",
    name: "alpine-cgo-dns",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "Go binary with cgo on an Alpine final image can resolve names through musl",
    help: "build with `CGO_ENABLED=0` (or `-tags netgo`), or set `GODEBUG=netdns=go`",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports the final `FROM` when the final stage runs on Alpine (`alpine:*`, `golang:*-alpine`, or
any image tagged `*alpine*`) and a Go binary that reaches it is built with cgo on: no
`CGO_ENABLED=0`, no `-tags netgo`, and a C compiler available to the build (a
`golang:*-alpine` build stage without `gcc` already builds pure Go binaries, see DF001). It stays
silent when the final stage sets `ENV GODEBUG=netdns=go`.

## Why it matters

With cgo, Go's `net` package hands name resolution to the C library's `getaddrinfo` whenever
it meets a configuration it does not handle itself (resolver options in `/etc/resolv.conf`,
`nsswitch.conf` sources, `LOCALDOMAIN`, `RES_OPTIONS`, ...). On Alpine that C library is musl,
whose resolver behaves differently from glibc's and from Go's: it sends the queries for every
nameserver in parallel and takes the first answer, ignores several `resolv.conf` options, and
before musl 1.2.4 did not retry over TCP when a UDP answer was truncated, so names with large
answers fail to resolve. Combined with Kubernetes' `ndots:5` search list, this shows up as
intermittent `no such host` errors and slow lookups that only happen in the cluster. A lookup
in C also blocks an OS thread instead of a goroutine.

## Example

```dockerfile bad
FROM golang:1.22-alpine AS build
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
RUN go build -o /out/api ./cmd/api

FROM alpine:3.20
COPY --from=build /out/api /usr/local/bin/api
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/api"]
```

```dockerfile good
FROM golang:1.22-alpine AS build
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
RUN go build -tags netgo -o /out/api ./cmd/api

FROM alpine:3.20
COPY --from=build /out/api /usr/local/bin/api
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/api"]
```

## References

- Go: [net — name resolution, `GODEBUG=netdns=go` and the `netgo` tag](https://pkg.go.dev/net#hdr-Name_Resolution)
- Kubernetes: [DNS for Services and Pods — `ndots` and search lists](https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-dns-config)
- musl: [Functional differences from glibc — name resolver](https://wiki.musl-libc.org/functional-differences-from-glibc.html#Name-Resolver/DNS)
- Alpine: [Docker image notes](https://hub.docker.com/_/alpine)
"#
    ),
};

impl Rule for AlpineCgoDns {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            let Some(last) = df.final_stage() else {
                continue;
            };
            let base = root_image(df, last);
            if !base.is_alpine() || final_godebug_netdns_go(df) {
                continue;
            }
            let reaching = reaching_final(df);
            let cgo_build = go_builds(df).into_iter().find(|b| {
                reaching.get(b.stage).copied().unwrap_or(false)
                    && matches!(b.cgo(df), Cgo::Enabled { .. })
                    && !b.tags(df).iter().any(|t| t == "netgo")
            });
            let Some(build) = cgo_build else {
                continue;
            };
            let Some(from) = df.instructions.get(last.from) else {
                continue;
            };
            let stage = df.stages.get(build.stage).unwrap_or(last);
            let built_in = match &stage.name {
                Some(name) => format!("stage `{name}`"),
                None => format!("stage {}", stage.index),
            };
            out.report(
                ctx.file,
                from.range,
                stage_ref(last),
                format!(
                    "the final image `{base}` runs a Go binary built with cgo in {built_in}: name lookups can go through musl's resolver, which behaves differently from Go's and glibc's (intermittent `no such host` in the cluster)"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const BAD: &str = "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n";

    #[test]
    fn fires_at_the_final_from() {
        let found = check_dockerfile("DF008", BAD);
        assert_eq!(lines(&found, BAD), [3]);
        assert_eq!(spans(&found, BAD), ["FROM alpine:3.20"]);
        let derived = "FROM golang:1.22-alpine AS build\nRUN apk add --no-cache build-base\nRUN go build -o /app .\nFROM build\nCMD [\"/app\"]\n";
        assert_eq!(lines(&check_dockerfile("DF008", derived), derived), [4]);
    }

    #[test]
    fn silent_when_the_resolver_is_pure_go() {
        for text in [
            BAD.replace("go build", "CGO_ENABLED=0 go build"),
            BAD.replace("go build", "go build -tags netgo"),
            BAD.replace("go build", "go build -tags=osusergo,netgo"),
            BAD.replace("ENTRYPOINT", "ENV GODEBUG=netdns=go\nENTRYPOINT"),
            BAD.replace("golang:1.22 AS", "golang:1.22-alpine AS"),
            BAD.replace("alpine:3.20", "gcr.io/distroless/static-debian12"),
            "FROM alpine:3.20\nCOPY api /api\n".to_string(),
        ] {
            assert!(check_dockerfile("DF008", &text).is_empty(), "{text}");
        }
    }
}
