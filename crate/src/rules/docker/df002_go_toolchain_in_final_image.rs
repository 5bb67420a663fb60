//! DF002 go-toolchain-in-final-image.

use crate::dockerfile::facts::root_image;
use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::stage_ref;

pub struct GoToolchainInFinalImage;

pub static META: RuleMeta = RuleMeta {
    code: "DF002",
    name: "go-toolchain-in-final-image",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "The final image is a `golang` image that ships the whole Go toolchain",
    help: "build in a `golang` stage and copy only the binary into a small final stage",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a Dockerfile whose final stage (the last `FROM`, following `FROM <stage>` chains to the
external image) is an official `golang:*` image.

## Why it matters

A `golang` image carries the compiler, the standard library sources, `git`, `gcc` and a full
Debian or Alpine userland: 250–800 MB instead of the 10–20 MB a static Go binary needs. Every
node pulls that size on each rollout and scale-up, so new pods start slower; the module cache and
source code often end up in the image as well; and scanners report hundreds of CVEs in packages
the service never uses, which blocks releases in pipelines with a vulnerability gate. A toolchain
in the running container also lets an attacker compile and run code in place.

## Example

```dockerfile bad
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/api ./cmd/api
ENTRYPOINT ["/usr/local/bin/api"]
```

```dockerfile good
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

## References

- Docker: [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
- Docker: [Building best practices — use multi-stage builds](https://docs.docker.com/build/building/best-practices/#use-multi-stage-builds)
- Go: [Official golang image](https://hub.docker.com/_/golang)
- Distroless: [GoogleContainerTools/distroless](https://github.com/GoogleContainerTools/distroless)
"#
    ),
};

impl Rule for GoToolchainInFinalImage {
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
            if !base.is_golang() {
                continue;
            }
            let via = if last.parent_stage.is_some() {
                format!(" (through stage `{}`)", last.image)
            } else {
                String::new()
            };
            out.report(
                ctx.file,
                last.image_range,
                stage_ref(last),
                format!(
                    "the final image is based on `{base}`{via}: the Go toolchain and build userland ship to production, making the image hundreds of MB larger and full of packages the service never runs"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_final_golang_stage() {
        let text = "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}-alpine AS build\nRUN go build -o /app .\nFROM build AS final\nCMD [\"/app\"]\n";
        let found = check_dockerfile("DF002", text);
        assert_eq!(lines(&found, text), [4]);
        assert_eq!(spans(&found, text), ["build"]);
        assert!(found[0].message.contains("golang:1.22-alpine"));

        let single = "FROM docker.io/library/golang:1.23\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n";
        let found = check_dockerfile("DF002", single);
        assert_eq!(spans(&found, single), ["docker.io/library/golang:1.23"]);
    }

    #[test]
    fn silent_on_multi_stage_builds() {
        for text in [
            "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\n",
            "FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app\n",
            // A golang stage that is not last (e.g. a test target) is fine.
            "FROM gcr.io/distroless/static-debian12\nFROM golang:1.22 AS test\nFROM gcr.io/distroless/static-debian12\n",
            "FROM gcr.io/distroless/static-debian12\n",
        ] {
            assert!(check_dockerfile("DF002", text).is_empty(), "{text}");
        }
    }
}
