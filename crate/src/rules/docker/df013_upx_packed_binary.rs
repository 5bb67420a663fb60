//! DF013 upx-packed-binary.

use crate::finding::{ObjectRef, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::df012_apk_no_cache::{run_commands, RunCommand};

pub struct UpxPackedBinary;

pub static META: RuleMeta = RuleMeta {
    code: "DF013",
    name: "upx-packed-binary",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "The binary is compressed with UPX",
    help: "drop UPX; strip with `-ldflags=\"-s -w\"` instead",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a `RUN` that invokes `upx` to pack a file (shell form, exec form or a heredoc script).
Running `upx -d` (unpack), `upx -t` (test), `upx -l` (list) or `upx --version` is not reported,
and neither is merely installing the `upx` package.

## Why it matters

UPX shrinks the image by a few megabytes, and pays for it on every start and in every scan:

- The packed binary decompresses itself into anonymous memory at each start. Its pages are no
  longer backed by the file, so the kernel cannot share them between replicas on a node or drop
  them under pressure: each pod's working set, and the memory that counts against
  `limits.memory`, grows by the full unpacked size, and cold start gets slower.
- Vulnerability scanners (Trivy, Grype, Snyk) read the Go build information embedded in the
  binary to list its modules; inside a packed binary they find nothing, so the image looks clean
  while it is not. Several endpoint and admission scanners go the other way and flag or block
  packed executables outright, because packing is a classic malware technique.
- Profiling and crash analysis get harder: symbols and the build ID are hidden.

`go build -trimpath -ldflags="-s -w"` already removes the symbol table and DWARF data, which is
most of what can be saved safely, and registries compress layers on the wire anyway.

## Example

```dockerfile bad
FROM golang:1.24-alpine AS build
RUN apk add --no-cache upx
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api \
 && upx --best --lzma /out/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

```dockerfile good
FROM golang:1.24-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

## References

- UPX: [the Ultimate Packer for eXecutables](https://upx.github.io/)
- Go: [`go version -m` and `debug/buildinfo`](https://pkg.go.dev/debug/buildinfo)
- Go: [Command link flags `-s` and `-w`](https://pkg.go.dev/cmd/link)
- Kubernetes: [Resource management — memory limits](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
"#
    ),
};

/// `upx` options that do not pack anything.
const NOT_PACKING: &[&str] = &[
    "-d",
    "--decompress",
    "-t",
    "--test",
    "-l",
    "--list",
    "-V",
    "--version",
    "-h",
    "--help",
    "-L",
    "--license",
];

fn packs(c: &RunCommand) -> bool {
    c.base_name() == Some("upx")
        && !c
            .words
            .iter()
            .skip(1)
            .any(|w| NOT_PACKING.contains(&w.as_str()))
}

impl Rule for UpxPackedBinary {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            for inst in &df.instructions {
                if !inst.is("RUN") {
                    continue;
                }
                let commands = run_commands(inst);
                let Some(upx) = commands.iter().find(|c| packs(c)) else {
                    continue;
                };
                let target = upx
                    .words
                    .iter()
                    .skip(1)
                    .rfind(|w| !w.starts_with('-'))
                    .map(|w| format!("`{w}`"))
                    .unwrap_or_else(|| "the binary".to_string());
                let stage = inst.stage.and_then(|s| df.stages.get(s));
                let name = stage.map(|s| s.name.clone().unwrap_or_else(|| s.image.clone()));
                out.report(
                    ctx.file,
                    inst.range,
                    ObjectRef {
                        document: 0,
                        kind: "Dockerfile".into(),
                        name: name.map(Into::into),
                        ..ObjectRef::default()
                    },
                    format!(
                        "UPX packs {target}: every pod unpacks it into non-shared memory at start, and scanners can no longer read its Go module list (some block packed binaries outright)"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "DF013";

    #[test]
    fn fires_on_upx_in_shell_exec_and_heredoc() {
        let text = concat!(
            "# syntax=docker/dockerfile:1\n",
            "FROM golang:1.24 AS build\n",
            "RUN go build -o /out/api . \\\n",
            "    && upx --best --lzma /out/api\n",
            "RUN [\"/usr/bin/upx\", \"-9\", \"/out/worker\"]\n",
            "RUN <<EOF\n",
            "set -e\n",
            "upx /out/cli\n",
            "EOF\n",
            "FROM scratch\n",
            "COPY --from=build /out/api /api\n",
        );
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [3, 5, 6]);
        assert!(found[0].message.contains("`/out/api`"));
        assert!(found[1].message.contains("`/out/worker`"));
        assert_eq!(found[0].object.name.as_deref(), Some("build"));
        assert!(found.iter().all(|f| f.fix.is_none()));
    }

    #[test]
    fn silent_near_misses() {
        let text = concat!(
            "FROM alpine:3.21 AS build\n",
            "RUN apk add --no-cache upx\n",
            "RUN upx --version && upx -d /bin/packed && upx -t /out/api\n",
            "RUN echo 'upx /out/api' # upx /out/api\n",
            "# RUN upx /out/api\n",
            "RUN go build -o /out/upx-tool ./cmd/upx\n",
        );
        assert!(check_dockerfile(CODE, text).is_empty());
    }
}
