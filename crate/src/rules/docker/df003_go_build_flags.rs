//! DF003 go-build-flags.

use crate::dockerfile::facts::root_image;
use crate::dockerfile::Dockerfile;
use crate::finding::Severity;
use crate::goversion::GoVersion;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::df001_cgo_not_disabled::{go_builds, reaching_final, GoBuild};
use super::stage_ref;

pub struct GoBuildFlags;

pub static META: RuleMeta = RuleMeta {
    code: "DF003",
    name: "go-build-flags",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "`go build` without `-trimpath` or without `-ldflags=\"-s -w\"`",
    help: "build release binaries with `-trimpath -ldflags=\"-s -w\"`",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Looks at each `go build` / `go install` whose binary reaches the final stage and reports it when
it lacks `-trimpath`, or lacks linker flags that strip the symbol table and DWARF data
(`-ldflags="-s -w"`, also written `-ldflags '-s -w -X main.version=1.2'` or `-ldflags=-s\ -w`).
Flags given through `GOFLAGS` (`ENV GOFLAGS=-trimpath`, an `ARG`, or inline) count too. Since
Go 1.22 `-s` alone also drops DWARF, so `-s` is enough when the build image is Go 1.22 or newer.

## Why it matters

Without `-s -w` the binary carries its symbol table and DWARF debug data, typically a quarter to
a third of its size: bigger images, slower pulls on every node during a rollout or a scale-up.
Without `-trimpath` the absolute paths of the build machine (`/src/...`, `/go/pkg/mod/...`) are
embedded in the binary and in every panic stack trace, and two builds of the same commit in
different directories are not byte-for-byte reproducible. Stack traces and `pprof` keep working
with both flags: Go's own symbol information (`pclntab`) is not removed.

## Example

```dockerfile bad
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

```dockerfile good
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=1.4.2" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

## References

- Go: [`go build` flags — `-trimpath`, `-ldflags`](https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies)
- Go: [`go tool link` — `-s` and `-w`](https://pkg.go.dev/cmd/link)
- Go: [Go 1.22 release notes — `-s` implies `-w`](https://go.dev/doc/go1.22#linker)
- Go: [Environment variables — `GOFLAGS`](https://pkg.go.dev/cmd/go#hdr-Environment_variables)
"#
    ),
};

/// Whether `-s` alone also drops DWARF (Go 1.22+) for this build.
fn s_implies_w(df: &Dockerfile, build: &GoBuild) -> bool {
    let Some(stage) = df.stages.get(build.stage) else {
        return false;
    };
    let image = root_image(df, stage);
    image.is_golang()
        && image
            .golang_version()
            .is_none_or(|v| v >= GoVersion::new(1, 22))
}

/// The value of a linker boolean flag in `ldflags`: `Some(true)` for `-s`/`-s=true`.
fn linker_flag(ld: &[String], name: &str) -> Option<bool> {
    let mut value = None;
    for w in ld {
        let Some(flag) = w.strip_prefix("--").or_else(|| w.strip_prefix('-')) else {
            continue;
        };
        if flag == name {
            value = Some(true);
        } else if let Some(v) = flag.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            value = Some(matches!(v, "1" | "t" | "T" | "true" | "TRUE" | "True"));
        }
    }
    value
}

impl Rule for GoBuildFlags {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            let reaching = reaching_final(df);
            for build in go_builds(df) {
                if !reaching.get(build.stage).copied().unwrap_or(false) {
                    continue;
                }
                let trimpath = build.bool_flag(df, "trimpath");
                let ld = build.ldflags(df);
                let s = linker_flag(&ld, "s") == Some(true);
                let w = match linker_flag(&ld, "w") {
                    Some(w) => w,
                    None => s && s_implies_w(df, &build),
                };
                let stripped = s && w;
                if trimpath && stripped {
                    continue;
                }
                let missing = match (trimpath, stripped) {
                    (false, false) => "without `-trimpath` and without `-ldflags=\"-s -w\"`: the binary keeps its symbol and debug tables and the build machine's paths",
                    (false, true) => "without `-trimpath`: the build machine's absolute paths are embedded in the binary and its stack traces, and builds are not reproducible",
                    _ => "without `-ldflags=\"-s -w\"`: symbol and DWARF tables make the binary (and every image pull) about a quarter larger",
                };
                let Some(stage) = df.stages.get(build.stage) else {
                    continue;
                };
                out.report(
                    ctx.file,
                    build.range,
                    stage_ref(stage),
                    format!("`go {}` runs {missing}", build.verb()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    fn df(run: &str) -> String {
        format!("FROM golang:1.21 AS build\nWORKDIR /src\n{run}\nFROM scratch\nCOPY --from=build /app /app\n")
    }

    #[test]
    fn fires_at_the_go_build_command() {
        let text = "FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build \\\n    go mod download && \\\n    CGO_ENABLED=0 go build -o /app ./cmd/app\nFROM scratch\nCOPY --from=build /app /app\n";
        let found = check_dockerfile("DF003", text);
        assert_eq!(lines(&found, text), [4]);
        assert_eq!(
            spans(&found, text),
            ["CGO_ENABLED=0 go build -o /app ./cmd/app"]
        );
        assert!(found[0].message.contains("-trimpath"));
        assert!(found[0].message.contains("-s -w"));
    }

    #[test]
    fn reports_what_is_missing() {
        let text = df("RUN go build -trimpath -o /app .");
        let found = check_dockerfile("DF003", &text);
        assert_eq!(found.len(), 1);
        assert!(!found[0].message.contains("-trimpath"));
        let text = df("RUN go build -ldflags='-s -w' -o /app .");
        let found = check_dockerfile("DF003", &text);
        assert!(found[0].message.contains("without `-trimpath`:"));
        // `-w=0` negates the strip.
        let text = df("RUN go build -trimpath -ldflags='-s -w=0' -o /app .");
        assert_eq!(check_dockerfile("DF003", &text).len(), 1);
        // Go 1.21: `-s` alone does not imply `-w`.
        let text = df("RUN go build -trimpath -ldflags=-s -o /app .");
        assert_eq!(check_dockerfile("DF003", &text).len(), 1);
    }

    #[test]
    fn accepts_every_spelling() {
        for run in [
            "RUN go build -trimpath -ldflags=\"-s -w\" -o /app .",
            "RUN go build -trimpath -ldflags '-s -w -X main.v=1' -o /app .",
            "RUN go build -trimpath -ldflags=-s\\ -w -o /app .",
            "RUN go build --trimpath --ldflags \"-w -s\" -o /app .",
            "RUN go build -trimpath -ldflags=all=\"-s -w\" -o /app .",
            "ENV GOFLAGS=-trimpath\nRUN go build -ldflags=\"-s -w\" -o /app .",
            "ARG GOFLAGS=\"-trimpath -ldflags=-s -ldflags=-w\"\nRUN go build -ldflags=\"-s -w\" -o /app .",
            "RUN GOFLAGS=-trimpath go build -ldflags=\"-s -w\" -o /app .",
            "RUN [\"go\", \"build\", \"-trimpath\", \"-ldflags=-s -w\", \"-o\", \"/app\", \".\"]",
            "RUN <<EOF\ngo build -trimpath -ldflags=\"-s -w\" -o /app .\nEOF",
        ] {
            let text = df(run);
            assert!(check_dockerfile("DF003", &text).is_empty(), "{text}");
        }
        // Go 1.22+: `-s` implies `-w`.
        let text = "FROM golang:1.22-alpine AS build\nRUN go build -trimpath -ldflags=-s -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        assert!(check_dockerfile("DF003", text).is_empty());
    }

    #[test]
    fn silent_for_builds_that_do_not_ship() {
        let text = "FROM golang:1.22 AS test\nRUN go build -o /app . && go vet ./...\nFROM golang:1.22 AS build\nRUN go install github.com/a-h/templ/cmd/templ@v0.2.747\nRUN go build ./...\nRUN go build -trimpath -ldflags='-s -w' -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        assert!(check_dockerfile("DF003", text).is_empty());
    }

    #[test]
    fn exec_form_is_reported_at_its_words() {
        let text = "FROM golang:1.22 AS build\nRUN [\"go\", \"build\", \"-o\", \"/app\", \".\"]\nFROM scratch\nCOPY --from=build /app /app\n";
        let found = check_dockerfile("DF003", text);
        assert_eq!(
            spans(&found, text),
            ["\"go\", \"build\", \"-o\", \"/app\", \".\""]
        );
    }
}
