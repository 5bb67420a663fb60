//! DF001 cgo-not-disabled.
//!
//! Also holds the analysis of `go build` / `go install` commands that DF003 and DF008 share:
//! [`go_builds`], [`reaching_final`], [`GoBuild::cgo`].

use crate::dockerfile::facts::{chain, root_image};
use crate::dockerfile::{Dockerfile, Instruction};
use crate::finding::{Edit, Fix, Severity};
use crate::goversion::GoVersion;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::source::TextRange;
use crate::workspace::Workspace;

use super::stage_ref;

pub struct CgoNotDisabled;

pub static META: RuleMeta = RuleMeta {
    code: "DF001",
    name: "cgo-not-disabled",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Go binary built with cgo enabled ships on a base image without a matching C library",
    help: "build with `CGO_ENABLED=0` to get a static binary",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Finds a `go build` / `go install` whose binary ends up in the final stage (the final stage
copies it with `COPY --from=<stage>`, or is built on top of that stage) when the final stage runs
on `scratch`, a distroless `static` image, a distroless `base`/`cc` image or Alpine, and cgo is
not switched off: no `CGO_ENABLED=0` from `ENV`, an `ARG` default, `export`, `env` or an inline
assignment in front of the command, or `go env -w`.

It stays silent when:

- the build runs on `golang:*-alpine` (Go 1.20 or newer) and no C compiler (`gcc`, `clang`,
  `build-base`, ...) is installed in that stage: since Go 1.20 the `go` command turns cgo off by
  itself when it cannot find a C compiler, so the binary is static anyway;
- the binary is linked statically on purpose (`-ldflags '-extldflags "-static"'`), or built
  with `-tags netgo,osusergo` so that no package of the standard library needs libc;
- `CGO_ENABLED=1` is set explicitly and the final image has the same C library as the build
  image (Alpine on Alpine, glibc build image on distroless `base`/`cc`): that is a deliberate
  cgo build.

The finding is an **error** when the final base is `scratch` or distroless `static` (there is
no C library at all) and a **warning** on Alpine and distroless `base`/`cc`.

## Why it matters

The official `golang` images (Debian based) contain `gcc`, so cgo is on by default and packages
such as `net` and `os/user` link against glibc: the binary is dynamically linked and needs
`/lib64/ld-linux-x86-64.so.2` at run time. Copied into `scratch` or distroless `static`, the
pod goes into `CrashLoopBackOff` with the baffling `exec /app: no such file or directory` (the
missing file is the dynamic loader, not the binary). Alpine ships musl instead of glibc, so the
same binary fails the same way or misbehaves; a distroless `base` image has glibc but possibly
an older one than the build image (`GLIBC_2.34 not found`).

## Example

```dockerfile bad
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

```dockerfile good
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

## Fix safety

The fix writes `CGO_ENABLED=0 ` in front of the `go build` command (in exec form it inserts
`"env", "CGO_ENABLED=0",`). It is safe when the final base has no C library (the binary could
not start anyway). On Alpine and distroless `base` it is marked unsafe: a dependency that really
needs cgo (for example `mattn/go-sqlite3`) still compiles without cgo but fails at run time.

## References

- Go: [cgo — CGO_ENABLED and the default when no C compiler is found](https://pkg.go.dev/cmd/cgo)
- Go: [Go 1.20 release notes — cgo disabled by default without a C toolchain](https://go.dev/doc/go1.20#cgo)
- Go: [net package — name resolution with and without cgo](https://pkg.go.dev/net#hdr-Name_Resolution)
- Docker: [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
- Distroless: [static vs base images](https://github.com/GoogleContainerTools/distroless/blob/main/base/README.md)
"#
    ),
};

impl Rule for CgoNotDisabled {
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
            let no_libc = base.is_scratch() || base.is_distroless_static();
            if !(no_libc || base.is_alpine() || base.is_distroless_base()) {
                continue;
            }
            let reaching = reaching_final(df);
            // Findings grouped by RUN instruction: (instruction, edits, every build fixable).
            let mut per_run: Vec<(usize, Vec<Edit>, bool, String)> = Vec::new();
            for build in go_builds(df) {
                if !reaching.get(build.stage).copied().unwrap_or(false) || build.is_static(df) {
                    continue;
                }
                let builder = df
                    .stages
                    .get(build.stage)
                    .map(|s| root_image(df, s))
                    .unwrap_or_else(|| base.clone());
                let musl_builder = builder.is_alpine();
                let explicit = match build.cgo(df) {
                    Cgo::Disabled | Cgo::NoCompiler => continue,
                    Cgo::Enabled { explicit } => explicit,
                };
                let libc_matches = (base.is_alpine() && musl_builder)
                    || (base.is_distroless_base() && !musl_builder);
                if explicit && libc_matches {
                    continue;
                }
                let consequence = if no_libc {
                    format!(
                        "the final image `{}` has no C library, so the container fails with `exec: no such file or directory`",
                        base
                    )
                } else if base.is_alpine() && !musl_builder {
                    format!(
                        "it links against the glibc of `{}` but the final image `{}` has musl: it will not start or will misbehave",
                        builder, base
                    )
                } else if base.is_alpine() {
                    format!(
                        "the binary depends on the musl of the build image and uses musl's resolver in the final image `{}`",
                        base
                    )
                } else if musl_builder {
                    format!(
                        "it links against the musl of `{}` but the final image `{}` has glibc: it will not start",
                        builder, base
                    )
                } else {
                    format!(
                        "the binary depends on the glibc version of `{}`, which the final image `{}` may not have",
                        builder, base
                    )
                };
                let what = if explicit {
                    "with `CGO_ENABLED=1`".to_string()
                } else {
                    "without `CGO_ENABLED=0`".to_string()
                };
                let message = format!("`go {}` runs {what}: {consequence}", build.verb());
                let edit = if explicit { None } else { build.cgo_fix() };
                match per_run.last_mut().filter(|r| r.0 == build.instruction) {
                    Some(entry) => {
                        entry.2 &= edit.is_some();
                        entry.1.extend(edit);
                    }
                    None => {
                        let fixable = edit.is_some();
                        per_run.push((
                            build.instruction,
                            edit.into_iter().collect(),
                            fixable,
                            message,
                        ));
                    }
                }
            }
            for (at, edits, fixable, message) in per_run {
                let Some(inst) = df.instructions.get(at) else {
                    continue;
                };
                let stage = inst.stage.and_then(|s| df.stages.get(s)).unwrap_or(last);
                let finding = out.report(ctx.file, inst.range, stage_ref(stage), message);
                if no_libc {
                    finding.severity = Severity::Error;
                }
                if fixable && !edits.is_empty() {
                    let title = "Build with `CGO_ENABLED=0`";
                    finding.fix = Some(if no_libc {
                        Fix::safe(title, edits)
                    } else {
                        Fix::unsafe_(title, edits)
                    });
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Shared analysis of `go build` / `go install` commands (DF001, DF003, DF008).

/// One command of a `RUN` (shell form, heredoc body, or exec form), with source ranges.
#[derive(Clone, Debug)]
pub(crate) struct RunCommand {
    /// Inline assignments: (name, value with quotes removed, source range).
    pub assignments: Vec<(String, String, TextRange)>,
    /// Words (value with quotes removed, source range).
    pub words: Vec<(String, TextRange)>,
    /// The whole command.
    pub range: TextRange,
    /// Exec-form words (JSON tokens): a fix must insert JSON strings.
    pub exec: bool,
    /// Source ranges are exact, so a fix can be placed.
    pub exact: bool,
}

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "ash",
    "dash",
    "zsh",
    "/bin/sh",
    "/bin/bash",
    "/bin/ash",
    "/bin/dash",
    "/usr/bin/bash",
    "/usr/bin/env",
];

/// The simple commands a `RUN` executes, in order.
pub(crate) fn run_commands(inst: &Instruction) -> Vec<RunCommand> {
    let mut out = Vec::new();
    if !inst.is("RUN") {
        return out;
    }
    if let Some(text) = inst.shell_text() {
        let cmds = text.commands();
        let heredoc_is_script = cmds.is_empty()
            || cmds.iter().all(|c| {
                c.name()
                    .is_none_or(|n| n.starts_with("<<") || SHELLS.contains(&n) || n == "set")
            });
        for c in cmds {
            out.push(RunCommand {
                assignments: c
                    .assignments
                    .iter()
                    .map(|(n, v, r)| (n.clone(), v.clone(), text.source_range(r.clone())))
                    .collect(),
                words: c
                    .words
                    .iter()
                    .filter(|(w, _)| !w.starts_with("<<"))
                    .map(|(w, r)| (w.clone(), text.source_range(r.clone())))
                    .collect(),
                range: text.source_range(c.range.clone()),
                exec: false,
                exact: true,
            });
        }
        if heredoc_is_script {
            for h in &inst.heredocs {
                for c in h.commands() {
                    out.push(RunCommand {
                        assignments: c
                            .assignments
                            .iter()
                            .map(|(n, v, r)| (n.clone(), v.clone(), h.source_range(r.clone())))
                            .collect(),
                        words: c
                            .words
                            .iter()
                            .map(|(w, r)| (w.clone(), h.source_range(r.clone())))
                            .collect(),
                        range: h.source_range(c.range.clone()),
                        exec: false,
                        exact: true,
                    });
                }
            }
        }
    } else if let Some(words) = inst.exec_words() {
        let is_shell_c = words.len() >= 3
            && SHELLS.contains(&words[0].value.as_str())
            && words[0].value != "/usr/bin/env"
            && words[1].value == "-c";
        if is_shell_c {
            let script = &words[2];
            // Offsets inside the JSON string are exact when it has no escapes.
            let exact = script.range.len() == script.value.len() + 2;
            let base = script.range.start() + 1;
            let map = |r: std::ops::Range<usize>| {
                if exact {
                    TextRange::new(base + r.start, base + r.end)
                } else {
                    script.range
                }
            };
            for c in crate::dockerfile::commands(&script.value) {
                out.push(RunCommand {
                    assignments: c
                        .assignments
                        .iter()
                        .map(|(n, v, r)| (n.clone(), v.clone(), map(r.clone())))
                        .collect(),
                    words: c
                        .words
                        .iter()
                        .map(|(w, r)| (w.clone(), map(r.clone())))
                        .collect(),
                    range: map(c.range.clone()),
                    exec: false,
                    exact,
                });
            }
        } else if let (Some(first), Some(last)) = (words.first(), words.last()) {
            out.push(RunCommand {
                assignments: Vec::new(),
                words: words.iter().map(|w| (w.value.clone(), w.range)).collect(),
                range: first.range.cover(last.range),
                exec: true,
                exact: true,
            });
        }
    }
    out
}

/// Whether `cgo` is used by a build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cgo {
    /// `CGO_ENABLED=0` in effect.
    Disabled,
    /// No C compiler in the build stage (Go ≥ 1.20 turns cgo off by itself).
    NoCompiler,
    /// cgo is on; `explicit` when `CGO_ENABLED=1` is set.
    Enabled { explicit: bool },
}

/// A `go build` / `go install` that produces a binary.
#[derive(Clone, Debug)]
pub(crate) struct GoBuild {
    /// Index of the `RUN` in [`Dockerfile::instructions`].
    pub instruction: usize,
    /// Index of its stage.
    pub stage: usize,
    /// The command words from `go` on (values and source ranges).
    pub words: Vec<(String, TextRange)>,
    /// Inline assignments (`CGO_ENABLED=0 go build`, `env CGO_ENABLED=0 go build`).
    pub assignments: Vec<(String, String)>,
    /// Variables exported earlier in the same script (`export CGO_ENABLED=0 && go build`).
    pub exported: Vec<(String, String)>,
    /// `go env -w` settings made earlier in the stage (or its parents), in order.
    pub go_env: Vec<(String, String)>,
    /// A C compiler is installed earlier in the stage (or its parents).
    pub compiler_installed: bool,
    /// Source range of the command (assignments included).
    pub range: TextRange,
    /// The command is an exec-form word list.
    pub exec: bool,
    /// `env` comes in front of `go`.
    pub env_prefix: bool,
    /// Source ranges are exact.
    pub exact: bool,
}

/// Go flags that take a value in the next word.
const VALUE_FLAGS: &[&str] = &[
    "o",
    "ldflags",
    "gcflags",
    "asmflags",
    "gccgoflags",
    "tags",
    "p",
    "mod",
    "modfile",
    "C",
    "buildmode",
    "compiler",
    "installsuffix",
    "overlay",
    "pgo",
    "pkgdir",
    "toolexec",
    "covermode",
    "coverpkg",
    "exec",
];

const C_COMPILERS: &[&str] = &[
    "gcc",
    "clang",
    "build-base",
    "alpine-sdk",
    "build-essential",
    "g++",
    "gcc-c++",
    "musl-gcc",
    "tcc",
    "zig",
];

fn installs_c_compiler(cmd: &RunCommand) -> bool {
    let words: Vec<&str> = cmd.words.iter().map(|(w, _)| w.as_str()).collect();
    let Some(name) = words.first() else {
        return false;
    };
    let name = name.rsplit('/').next().unwrap_or(name);
    matches!(
        name,
        "apk" | "apt-get" | "apt" | "yum" | "dnf" | "microdnf" | "tdnf" | "zypper"
    ) && words.iter().any(|w| *w == "add" || *w == "install")
        && words.iter().any(|w| C_COMPILERS.contains(w))
}

/// `go env -w NAME=VALUE ...` settings of a command.
fn go_env_writes(cmd: &RunCommand) -> Vec<(String, String)> {
    let w: Vec<&str> = cmd.words.iter().map(|(w, _)| w.as_str()).collect();
    if w.len() < 3 || !is_go(w[0]) || w[1] != "env" || !w.contains(&"-w") {
        return Vec::new();
    }
    w.iter()
        .skip(2)
        .filter_map(|a| a.split_once('='))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn is_go(word: &str) -> bool {
    word == "go" || word.ends_with("/go")
}

/// Strips an `env [-i] [-u NAME] [NAME=VALUE]...` prefix; returns the assignments and the index
/// of the real command.
fn strip_env(words: &[(String, TextRange)]) -> (Vec<(String, String)>, usize, bool) {
    let mut assignments = Vec::new();
    let mut i = 0;
    let mut env = false;
    if words
        .first()
        .is_some_and(|(w, _)| w == "time" || w == "nice")
    {
        i += 1;
    }
    if words
        .get(i)
        .is_some_and(|(w, _)| w == "env" || w == "/usr/bin/env")
    {
        env = true;
        i += 1;
        while let Some((w, _)) = words.get(i) {
            if w == "-u" || w == "--unset" {
                i += 2;
            } else if w.starts_with('-') {
                i += 1;
            } else if let Some((n, v)) = w.split_once('=') {
                assignments.push((n.to_string(), v.to_string()));
                i += 1;
            } else {
                break;
            }
        }
    }
    (assignments, i, env)
}

/// Does `go <verb> args` leave a binary behind?
fn produces_binary(verb: &str, args: &[(String, TextRange)]) -> bool {
    let mut output = None;
    let mut packages = Vec::new();
    let mut i = 0;
    while let Some((w, _)) = args.get(i) {
        if let Some(flag) = w.strip_prefix("--").or_else(|| w.strip_prefix('-')) {
            if flag.contains('=') {
                if let Some(o) = flag.strip_prefix("o=") {
                    output = Some(o.to_string());
                }
            } else if VALUE_FLAGS.contains(&flag) {
                if flag == "o" {
                    output = args.get(i + 1).map(|a| a.0.clone());
                }
                i += 1;
            }
        } else if !w.starts_with('>') && !w.starts_with("2>") && !w.starts_with("&>") {
            packages.push(w.as_str());
        }
        i += 1;
    }
    if verb == "install" {
        return !packages.iter().any(|p| p.contains('@'));
    }
    match output {
        Some(o) => o != "/dev/null",
        None => !packages.iter().any(|p| p.ends_with("...")),
    }
}

/// Every `go build` / `go install` that produces a binary, in source order.
pub(crate) fn go_builds(df: &Dockerfile) -> Vec<GoBuild> {
    // Per stage, what its earlier RUNs (and its parent stages) did: `go env -w` settings and
    // whether a C compiler was installed. Stages only build on earlier stages, so one pass in
    // source order suffices.
    let mut state: Vec<(Vec<(String, String)>, bool)> = vec![Default::default(); df.stages.len()];
    let mut out = Vec::new();
    for (at, inst) in df.instructions.iter().enumerate() {
        let Some(stage_index) = inst.stage else {
            continue;
        };
        if let Some(stage) = df.stages.get(stage_index).filter(|s| s.from == at) {
            if let Some(inherited) = stage
                .parent_stage
                .filter(|p| *p < stage.index)
                .and_then(|p| state.get(p).cloned())
            {
                state[stage_index] = inherited;
            }
        }
        let script = run_commands(inst);
        if script.is_empty() {
            continue;
        }
        let Some((go_env, compiler_installed)) = state.get_mut(stage_index) else {
            continue;
        };
        let mut exported: Vec<(String, String)> = Vec::new();
        for cmd in script {
            let (mut assignments, start, env_prefix) = strip_env(&cmd.words);
            let words = cmd.words.get(start..).unwrap_or(&[]);
            let is_build = words.len() >= 2
                && is_go(&words[0].0)
                && (words[1].0 == "build" || words[1].0 == "install");
            if is_build && produces_binary(&words[1].0, &words[2..]) {
                let mut inline: Vec<(String, String)> = cmd
                    .assignments
                    .iter()
                    .map(|(n, v, _)| (n.clone(), v.clone()))
                    .collect();
                inline.append(&mut assignments);
                out.push(GoBuild {
                    instruction: at,
                    stage: stage_index,
                    words: words.to_vec(),
                    assignments: inline,
                    exported: exported.clone(),
                    go_env: go_env.clone(),
                    compiler_installed: *compiler_installed,
                    range: cmd.range,
                    exec: cmd.exec,
                    env_prefix,
                    exact: cmd.exact,
                });
            }
            if cmd.words.first().is_some_and(|(w, _)| w == "export") {
                for (w, _) in cmd.words.iter().skip(1) {
                    if let Some((n, v)) = w.split_once('=') {
                        exported.retain(|(e, _)| e != n);
                        exported.push((n.to_string(), v.to_string()));
                    }
                }
            }
            for (name, value) in go_env_writes(&cmd) {
                go_env.retain(|(n, _)| *n != name);
                go_env.push((name, value));
            }
            *compiler_installed |= installs_c_compiler(&cmd);
        }
    }
    out
}

/// For each stage, whether its files reach the final stage: the final stage, the stages it is
/// built on, and (transitively) every stage they `COPY --from`.
pub(crate) fn reaching_final(df: &Dockerfile) -> Vec<bool> {
    let mut reach = vec![false; df.stages.len()];
    let Some(last) = df.final_stage() else {
        return reach;
    };
    let mut todo = vec![last.index];
    while let Some(index) = todo.pop() {
        let Some(stage) = df.stages.get(index) else {
            continue;
        };
        for s in chain(df, stage) {
            if reach.get(s.index).copied().unwrap_or(true) {
                continue;
            }
            reach[s.index] = true;
            for (offset, inst) in df.stage_instructions(s).iter().enumerate() {
                if !(inst.is("COPY") || inst.is("ADD")) {
                    continue;
                }
                let Some(from) = inst.flag("from").and_then(|f| f.value.as_deref()) else {
                    continue;
                };
                let from = df.expand_at(s.instructions.start + offset, from);
                if let Some(source) = df.stage_by_name(&from) {
                    todo.push(source.index);
                }
            }
        }
    }
    reach
}

impl GoBuild {
    /// `build` or `install`.
    pub fn verb(&self) -> &str {
        self.words.get(1).map_or("build", |w| w.0.as_str())
    }

    /// The value of `name` for this command: inline assignment, then `export`, then ENV/ARG,
    /// then `go env -w`.
    pub fn var(&self, df: &Dockerfile, name: &str) -> Option<String> {
        let expand = |v: &str| {
            if v.contains('$') {
                df.expand_at(self.instruction, v)
            } else {
                v.to_string()
            }
        };
        let find = |list: &[(String, String)]| {
            list.iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| expand(v))
        };
        find(&self.assignments)
            .or_else(|| find(&self.exported))
            .or_else(|| df.env_at(self.instruction, name))
            .or_else(|| find(&self.go_env))
    }

    /// The command's flags plus those of `GOFLAGS`.
    fn flag_words(&self, df: &Dockerfile) -> Vec<String> {
        let mut words: Vec<String> = self
            .var(df, "GOFLAGS")
            .map(|g| g.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        words.extend(self.words.iter().skip(2).map(|(w, _)| w.clone()));
        words
    }

    /// Every value given to flag `name` (`-name v`, `-name=v`, `--name v`).
    pub fn flag_values(&self, df: &Dockerfile, name: &str) -> Vec<String> {
        let words = self.flag_words(df);
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(w) = words.get(i) {
            let flag = w.strip_prefix("--").or_else(|| w.strip_prefix('-'));
            if let Some(flag) = flag {
                if flag == name {
                    if let Some(v) = words.get(i + 1) {
                        out.push(v.clone());
                    }
                    i += 1;
                } else if let Some(v) = flag
                    .strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix('='))
                {
                    out.push(v.to_string());
                }
            }
            i += 1;
        }
        out
    }

    /// Whether a boolean flag such as `-trimpath` is on.
    pub fn bool_flag(&self, df: &Dockerfile, name: &str) -> bool {
        let mut on = false;
        for w in self.flag_words(df) {
            let Some(flag) = w.strip_prefix("--").or_else(|| w.strip_prefix('-')) else {
                continue;
            };
            if flag == name {
                on = true;
            } else if let Some(v) = flag.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                on = matches!(v, "true" | "1" | "t" | "T" | "TRUE" | "True");
            }
        }
        on
    }

    /// The linker flags of the last `-ldflags` (a leading `pattern=` removed), split into words.
    pub fn ldflags(&self, df: &Dockerfile) -> Vec<String> {
        let Some(value) = self.flag_values(df, "ldflags").pop() else {
            return Vec::new();
        };
        let value = match value.split_once('=') {
            Some((pattern, rest))
                if !pattern.starts_with('-') && !pattern.contains(char::is_whitespace) =>
            {
                rest.to_string()
            }
            _ => value,
        };
        value
            .split_whitespace()
            .map(|w| w.trim_matches(|c| c == '\'' || c == '"').to_string())
            .collect()
    }

    /// Build tags (`-tags a,b` or `-tags 'a b'`).
    pub fn tags(&self, df: &Dockerfile) -> Vec<String> {
        self.flag_values(df, "tags")
            .iter()
            .flat_map(|v| {
                v.split([',', ' '])
                    .map(|t| t.trim_matches(|c| c == '\'' || c == '"').to_string())
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The binary is static although cgo may be on: `-extldflags -static`, or the `netgo` and
    /// `osusergo` tags (no standard-library package needs libc then).
    pub fn is_static(&self, df: &Dockerfile) -> bool {
        let ld = self.ldflags(df);
        let tags = self.tags(df);
        ld.iter().any(|w| w == "-static" || w.ends_with("-static"))
            || (tags.iter().any(|t| t == "netgo") && tags.iter().any(|t| t == "osusergo"))
    }

    /// Whether cgo is on for this build.
    pub fn cgo(&self, df: &Dockerfile) -> Cgo {
        match self.var(df, "CGO_ENABLED").as_deref().map(str::trim) {
            Some("0") => return Cgo::Disabled,
            Some("1") => return Cgo::Enabled { explicit: true },
            _ => {}
        }
        if self.var(df, "CC").is_some_and(|cc| !cc.trim().is_empty()) || self.compiler_installed {
            return Cgo::Enabled { explicit: false };
        }
        let Some(stage) = df.stages.get(self.stage) else {
            return Cgo::Enabled { explicit: false };
        };
        let builder = root_image(df, stage);
        // golang:*-alpine has no C compiler; since Go 1.20 the go command then disables cgo.
        let new_enough = builder
            .golang_version()
            .is_none_or(|v| v >= GoVersion::new(1, 20));
        if builder.is_golang() && builder.is_alpine() && new_enough {
            Cgo::NoCompiler
        } else {
            Cgo::Enabled { explicit: false }
        }
    }

    /// The edit that disables cgo for this command, when its position is known.
    pub fn cgo_fix(&self) -> Option<Edit> {
        if !self.exact {
            return None;
        }
        let go = self.words.first()?.1;
        let text = match (self.exec, self.env_prefix) {
            (false, _) => "CGO_ENABLED=0 ",
            (true, true) => "\"CGO_ENABLED=0\", ",
            (true, false) => "\"env\", \"CGO_ENABLED=0\", ",
        };
        Some(Edit::insert(go.start(), text))
    }
}

/// Final-stage `ENV`/`ARG` values seen by the program (not used by the build): whether
/// `GODEBUG` in the final stage chain selects the pure Go resolver.
pub(crate) fn final_godebug_netdns_go(df: &Dockerfile) -> bool {
    let Some(last) = df.final_stage() else {
        return false;
    };
    chain(df, last).iter().any(|s| {
        df.stage_instructions(s).iter().any(|i| {
            i.is("ENV")
                && i.key_values().iter().any(|kv| {
                    kv.name == "GODEBUG"
                        && kv
                            .value
                            .as_deref()
                            .is_some_and(|v| v.split(',').any(|p| p.trim() == "netdns=go"))
                })
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::rules::testing::*;

    const SCRATCH: &str = "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build \\\n    go mod download && \\\n    go build -o /out/app ./cmd/app\n\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n";

    #[test]
    fn scratch_is_an_error_with_a_safe_fix_inside_a_multiline_run() {
        let found = check_dockerfile("DF001", SCRATCH);
        assert_eq!(lines(&found, SCRATCH), [5]);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(spans(&found, SCRATCH)[0].starts_with("RUN --mount"));
        assert!(spans(&found, SCRATCH)[0].ends_with("./cmd/app"));
        assert!(is_safe(&found[0]));
        assert_eq!(
            fixed_dockerfile("DF001", SCRATCH),
            SCRATCH.replace("    go build", "    CGO_ENABLED=0 go build")
        );
    }

    #[test]
    fn crlf_and_stage_index() {
        let text = "FROM golang:1.22\r\nRUN go mod download \\\r\n && go build -o /app .\r\nFROM gcr.io/distroless/static-debian12\r\nCOPY --from=0 /app /app\r\n";
        let found = check_dockerfile("DF001", text);
        assert_eq!(lines(&found, text), [2]);
        assert_eq!(
            fixed_dockerfile("DF001", text),
            text.replace("&& go build", "&& CGO_ENABLED=0 go build")
        );
    }

    #[test]
    fn disabled_by_env_arg_inline_export_env_and_go_env() {
        for setup in [
            "ENV CGO_ENABLED=0\nRUN go build -o /app .",
            "ENV CGO_ENABLED=0 GOOS=linux\nRUN go build -o /app .",
            "ARG CGO_ENABLED=0\nRUN go build -o /app .",
            "RUN CGO_ENABLED=0 GOOS=linux go build -o /app .",
            "RUN export CGO_ENABLED=0 && go build -o /app .",
            "RUN env CGO_ENABLED=0 go build -o /app .",
            "RUN go env -w CGO_ENABLED=0\nRUN go build -o /app .",
            "RUN [\"env\", \"CGO_ENABLED=0\", \"go\", \"build\", \"-o\", \"/app\", \".\"]",
            "ARG CGO=0\nRUN CGO_ENABLED=${CGO} go build -o /app .",
            "RUN go build -ldflags '-linkmode external -extldflags \"-static\"' -o /app .",
            "RUN go build -tags netgo,osusergo -o /app .",
        ] {
            let text = format!(
                "FROM golang:1.22 AS build\n{setup}\nFROM scratch\nCOPY --from=build /app /app\n"
            );
            assert!(check_dockerfile("DF001", &text).is_empty(), "{text}");
        }
    }

    #[test]
    fn golang_alpine_without_compiler_builds_static_binaries() {
        let text = "ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}-alpine AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        assert!(check_dockerfile("DF001", text).is_empty());
        // ... unless a C compiler is installed, or Go is older than 1.20.
        let gcc = text.replace(
            "RUN go build",
            "RUN apk add --no-cache gcc musl-dev\nRUN go build",
        );
        assert_eq!(lines(&check_dockerfile("DF001", &gcc), &gcc), [4]);
        let old = text.replace("1.22", "1.19");
        assert_eq!(lines(&check_dockerfile("DF001", &old), &old), [3]);
    }

    #[test]
    fn alpine_final_is_a_warning_with_an_unsafe_fix() {
        let text = "FROM golang:1.22-bookworm AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\nCMD [\"/app\"]\n";
        let found = check_dockerfile("DF001", text);
        assert_eq!(lines(&found, text), [2]);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(!is_safe(&found[0]));
        assert!(found[0].message.contains("musl"));
    }

    #[test]
    fn final_stage_derived_from_the_build_stage() {
        let text = "FROM golang:1.23-alpine AS build\nRUN apk add build-base\nRUN go build -o /app .\nFROM build AS final\nENTRYPOINT [\"/app\"]\n";
        let found = check_dockerfile("DF001", text);
        assert_eq!(lines(&found, text), [3]);
        assert_eq!(found[0].object.name.as_deref(), Some("build"));
    }

    #[test]
    fn explicit_cgo_with_matching_libc_is_deliberate() {
        let text = "FROM golang:1.22-alpine AS build\nRUN apk add gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\n";
        assert!(check_dockerfile("DF001", text).is_empty());
        let base = "FROM golang:1.22 AS build\nENV CGO_ENABLED=1\nRUN go build -o /app .\nFROM gcr.io/distroless/base-debian12\nCOPY --from=build /app /app\n";
        assert!(check_dockerfile("DF001", base).is_empty());
        // On scratch it is still broken; no automatic fix since cgo was asked for.
        let scratch = base.replace("gcr.io/distroless/base-debian12", "scratch");
        let found = check_dockerfile("DF001", &scratch);
        assert_eq!(lines(&found, &scratch), [3]);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn heredoc_and_exec_form() {
        let heredoc = "FROM golang:1.22 AS build\nRUN <<EOF\nset -e\ngo mod download\ngo build -o /app ./cmd/app\nEOF\nFROM scratch\nCOPY --from=build /app /app\n";
        let found = check_dockerfile("DF001", heredoc);
        assert_eq!(lines(&found, heredoc), [2]);
        assert_eq!(
            fixed_dockerfile("DF001", heredoc),
            heredoc.replace("\ngo build", "\nCGO_ENABLED=0 go build")
        );
        let exec = "FROM golang:1.22 AS build\nRUN [\"go\", \"build\", \"-o\", \"/app\", \".\"]\nFROM scratch\nCOPY --from=build /app /app\n";
        assert_eq!(
            fixed_dockerfile("DF001", exec),
            exec.replace("[\"go\"", "[\"env\", \"CGO_ENABLED=0\", \"go\"")
        );
        let sh_c = "FROM golang:1.22 AS build\nRUN [\"sh\", \"-c\", \"go build -o /app .\"]\nFROM scratch\nCOPY --from=build /app /app\n";
        assert_eq!(
            fixed_dockerfile("DF001", sh_c),
            sh_c.replace("\"go build", "\"CGO_ENABLED=0 go build")
        );
    }

    #[test]
    fn silent_near_misses() {
        for text in [
            // Debian final image: glibc is there.
            "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=build /app /app\n",
            // The build stage is not copied into the final stage.
            "FROM golang:1.22 AS test\nRUN go build -o /app .\nFROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n",
            // Tool installs and compile checks produce no shipped binary.
            "FROM golang:1.22 AS build\nRUN go install github.com/swaggo/swag/cmd/swag@v1.16.3\nRUN go build ./...\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n",
            // No Go build at all.
            "FROM scratch\nCOPY app /app\n",
            // A heredoc that is not a shell script.
            "FROM golang:1.22 AS build\nRUN cat <<EOF > /notes.txt\ngo build -o /app .\nEOF\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n",
        ] {
            assert!(check_dockerfile("DF001", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn one_finding_per_run_with_edits_for_every_build() {
        let text = "FROM golang:1.22 AS build\nRUN go build -o /a ./cmd/a && go build -o /b ./cmd/b\nFROM scratch\nCOPY --from=build /a /b /\n";
        let found = check_dockerfile("DF001", text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            fixed_dockerfile("DF001", text),
            "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /a ./cmd/a && CGO_ENABLED=0 go build -o /b ./cmd/b\nFROM scratch\nCOPY --from=build /a /b /\n"
        );
    }

    #[test]
    fn crlf_heredoc_and_inherited_go_env() {
        let text = "FROM golang:1.22 AS build\r\nRUN <<EOF\r\ngo mod download\r\ngo build -o /app .\r\nEOF\r\nFROM scratch\r\nCOPY --from=build /app /app\r\n";
        assert_eq!(
            fixed_dockerfile("DF001", text),
            text.replace("\r\ngo build", "\r\nCGO_ENABLED=0 go build")
        );
        // `go env -w` in a parent stage carries over to stages built on it.
        let text = "FROM golang:1.22 AS base\nRUN go env -w CGO_ENABLED=0 GOFLAGS=-trimpath\nFROM base AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        assert!(check_dockerfile("DF001", text).is_empty());
        // ... but not to unrelated stages.
        let text = "FROM golang:1.22 AS other\nRUN go env -w CGO_ENABLED=0\nFROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        assert_eq!(lines(&check_dockerfile("DF001", text), text), [4]);
    }

    #[test]
    fn copy_chains_between_stages_are_followed() {
        let text = "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM alpine:3.20 AS certs\nCOPY --from=build /app /app\nFROM scratch\nCOPY --from=certs /app /app\n";
        assert_eq!(lines(&check_dockerfile("DF001", text), text), [2]);
        let arg = "ARG BUILDER=build\nFROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nARG BUILDER\nCOPY --from=${BUILDER} /app /app\n";
        assert_eq!(lines(&check_dockerfile("DF001", arg), arg), [3]);
    }

    #[test]
    fn never_panics_and_stays_linear() {
        for text in [
            "",
            "FROM",
            "FROM scratch\nCOPY --from= /a /b\nRUN go build\nRUN env -u\nRUN [\"go\"]\nRUN [\"sh\", \"-c\"]\n",
            "FROM scratch\nRUN <<EOF\ngo build -o\n",
            "FROM scratch\nRUN go build -o /a -ldflags\nRUN go install\nRUN go build -tags\n",
            "FROM scratch\nRUN [\"sh\", \"-c\", \"go build -o \\\"/a b\\\" .\"]\n",
            "FROM a AS a\nFROM a AS b\nCOPY --from=b / /\nFROM b\n",
        ] {
            for code in ["DF001", "DF002", "DF003", "DF004", "DF005", "DF006", "DF007", "DF008"] {
                let _ = check_dockerfile(code, text);
            }
        }
        let mut big = String::from("FROM golang:1.22 AS build\n");
        for i in 0..20_000 {
            big.push_str(&format!(
                "RUN go env -w GOFLAGS=-mod=mod && go build -o /app{i} .\n"
            ));
        }
        big.push_str("FROM scratch\nCOPY --from=build / /\n");
        let start = std::time::Instant::now();
        assert_eq!(check_dockerfile("DF001", &big).len(), 20_000);
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }
}
