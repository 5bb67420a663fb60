//! Parser tests.

use super::*;

fn kws(df: &Dockerfile) -> Vec<&str> {
    df.instructions.iter().map(|i| i.keyword.as_str()).collect()
}

fn messages(df: &Dockerfile) -> Vec<&str> {
    df.errors.iter().map(|e| e.message.as_str()).collect()
}

/// Checks that every range of the result is in bounds and on char boundaries.
fn check_ranges(text: &str, df: &Dockerfile) {
    let ok = |r: TextRange| {
        assert!(r.start() <= r.end(), "{r:?} reversed");
        assert!(
            r.end() <= text.len(),
            "{r:?} out of bounds ({})",
            text.len()
        );
        assert!(
            text.is_char_boundary(r.start()) && text.is_char_boundary(r.end()),
            "{r:?}"
        );
    };
    for c in &df.comments {
        ok(c.range);
    }
    for e in &df.errors {
        ok(e.range);
    }
    for d in &df.directives {
        ok(d.range);
        ok(d.value_range);
    }
    for s in &df.stages {
        ok(s.image_range);
        assert!(s.instructions.end <= df.instructions.len());
        assert!(s.from < df.instructions.len());
    }
    for i in &df.instructions {
        ok(i.range);
        ok(i.keyword_range);
        for f in &i.flags {
            ok(f.range);
        }
        for h in &i.heredocs {
            ok(h.body_range);
            ok(h.marker_range);
        }
        for w in i.words() {
            ok(w.range);
        }
        for kv in i.key_values() {
            ok(kv.range);
            ok(kv.name_range);
            if let Some(r) = kv.value_range {
                ok(r);
            }
        }
        if let Some(s) = i.shell_text() {
            ok(s.range());
            for c in s.commands() {
                ok(s.source_range(c.range.clone()));
                for w in &c.words {
                    ok(s.source_range(w.1.clone()));
                }
            }
            for k in 0..=s.text.len() {
                if s.text.is_char_boundary(k) {
                    let o = s.source_offset(k);
                    assert!(o <= text.len() && text.is_char_boundary(o));
                }
            }
        }
    }
}

const GO_MULTISTAGE: &str = r#"# syntax=docker/dockerfile:1.7
ARG GO=1.22
ARG BASE=gcr.io/distroless/static-debian12:nonroot

FROM --platform=$BUILDPLATFORM golang:${GO}-alpine AS Build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/app

FROM build AS test
RUN go test ./...

FROM ${BASE}
COPY --from=build --chown=65532:65532 /out/app /app
USER 65532:65532
EXPOSE 8080/tcp
ENTRYPOINT ["/app", "--port", "8080"]
"#;

#[test]
fn go_multistage() {
    let df = parse(GO_MULTISTAGE);
    check_ranges(GO_MULTISTAGE, &df);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(
        kws(&df),
        [
            "ARG",
            "ARG",
            "FROM",
            "WORKDIR",
            "COPY",
            "RUN",
            "COPY",
            "ARG",
            "RUN",
            "FROM",
            "RUN",
            "FROM",
            "COPY",
            "USER",
            "EXPOSE",
            "ENTRYPOINT"
        ]
    );
    assert_eq!(df.directives.len(), 1);
    assert_eq!(df.directives[0].name, "syntax");
    assert_eq!(df.directives[0].value, "docker/dockerfile:1.7");
    assert_eq!(df.comments.len(), 1);
    assert_eq!(
        df.global_args,
        vec![
            ("GO".to_string(), Some("1.22".to_string())),
            (
                "BASE".to_string(),
                Some("gcr.io/distroless/static-debian12:nonroot".to_string())
            )
        ]
    );
    assert_eq!(df.stages.len(), 3);
    let build = &df.stages[0];
    assert_eq!(build.image, "golang:1.22-alpine");
    assert_eq!(
        build.image_range.slice(GO_MULTISTAGE),
        "golang:${GO}-alpine"
    );
    assert_eq!(build.name.as_deref(), Some("build"));
    assert_eq!(build.platform.as_deref(), Some("$BUILDPLATFORM"));
    assert_eq!(build.instructions, 2..9);
    let test = &df.stages[1];
    assert_eq!(test.parent_stage, Some(0));
    assert_eq!(test.name.as_deref(), Some("test"));
    let last = df.final_stage().unwrap();
    assert_eq!(last.image, "gcr.io/distroless/static-debian12:nonroot");
    assert_eq!(last.name, None);
    assert_eq!(df.stage_instructions(last).len(), 5);
    assert_eq!(df.stage_instructions(last)[0].keyword, "FROM");
    assert_eq!(df.stage_by_name("BUILD").map(|s| s.index), Some(0));

    let copy = &df.instructions[12];
    assert_eq!(copy.flag("from").unwrap().value.as_deref(), Some("build"));
    assert_eq!(
        copy.flag("chown").unwrap().range.slice(GO_MULTISTAGE),
        "--chown=65532:65532"
    );
    let words: Vec<_> = copy.words().into_iter().map(|w| w.value).collect();
    assert_eq!(words, ["/out/app", "/app"]);

    let entry = &df.instructions[15];
    let exec = entry.exec_words().unwrap();
    assert_eq!(exec.len(), 3);
    assert_eq!(exec[2].value, "8080");
    assert_eq!(exec[2].range.slice(GO_MULTISTAGE), "\"8080\"");
    assert!(!entry.looks_like_broken_json);

    let run = &df.instructions[8];
    assert_eq!(
        run.flag("mount").unwrap().value.as_deref(),
        Some("type=cache,target=/root/.cache/go-build")
    );
    assert!(run.range.slice(GO_MULTISTAGE).ends_with("./cmd/app"));
    assert!(run.range.slice(GO_MULTISTAGE).starts_with("RUN --mount"));
}

#[test]
fn source_range_across_continuations() {
    let text = "FROM golang\nRUN --mount=type=cache,target=/x \\\n    apk add git && \\\n  # a comment\n\n    CGO_ENABLED=0 go build -o /app . \\\n    && echo done\n";
    let df = parse(text);
    check_ranges(text, &df);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let run = &df.instructions[1];
    let shell = run.shell_text().unwrap();
    assert!(!shell.text.contains('\n'));
    assert!(!shell.text.contains("comment"));
    let at = shell.text.find("go build").unwrap();
    assert_eq!(shell.source_range(at..at + 8).slice(text), "go build");
    let cmds = shell.commands();
    let go = cmds
        .iter()
        .find(|c| c.starts_with(&["go", "build"]))
        .unwrap();
    assert_eq!(go.assignment("CGO_ENABLED"), Some("0"));
    assert_eq!(
        shell.source_range(go.range.clone()).slice(text),
        "CGO_ENABLED=0 go build -o /app ."
    );
    let apk = cmds
        .iter()
        .find(|c| c.starts_with(&["apk", "add"]))
        .unwrap();
    let add_end = shell.source_offset(apk.words[1].1.end);
    assert_eq!(&text[add_end - 3..add_end], "add");
    // The comment inside the continuation is still recorded.
    assert_eq!(df.comments.len(), 1);
    assert_eq!(df.comments[0].text, " a comment");
    assert_eq!(df.comments[0].range.slice(text), "# a comment");
    // The whole instruction spans all its lines.
    assert!(run.range.slice(text).ends_with("&& echo done"));
    assert_eq!(shell.source_offset(shell.text.len()), run.range.end());
    assert_eq!(shell.range().slice(text).lines().count(), 5);
}

#[test]
fn crlf_bom_tabs_non_ascii() {
    let text = "\u{feff}FROM alpine:3.19\r\nLABEL description=\"Grüße 😀\"\r\nRUN\techo héllo \\\r\n\t&& echo wörld\r\n";
    let df = parse(text);
    check_ranges(text, &df);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(kws(&df), ["FROM", "LABEL", "RUN"]);
    assert_eq!(df.instructions[0].range.start(), 3);
    assert_eq!(df.instructions[0].range.slice(text), "FROM alpine:3.19");
    assert_eq!(df.stages[0].image, "alpine:3.19");
    let kv = df.instructions[1].key_values();
    assert_eq!(kv[0].value.as_deref(), Some("Grüße 😀"));
    let run = df.instructions[2].shell_text().unwrap();
    assert_eq!(run.text, "echo héllo \t&& echo wörld");
    assert!(!df.instructions[2].range.slice(text).ends_with('\r'));
}

#[test]
fn backtick_escape_directive() {
    let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\ `\n    && echo done\nCOPY app.exe C:\\app\\\n";
    let df = parse(text);
    check_ranges(text, &df);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.escape, '`');
    assert_eq!(kws(&df), ["FROM", "RUN", "COPY"]);
    assert_eq!(
        df.instructions[1].shell_text().unwrap().text,
        "dir C:\\     && echo done"
    );
    let words: Vec<_> = df.instructions[2]
        .words()
        .into_iter()
        .map(|w| w.value)
        .collect();
    assert_eq!(words, ["app.exe", "C:\\app\\"]);
}

#[test]
fn directives_only_at_the_top() {
    let df = parse("FROM a\n# escape=`\nRUN a `\n");
    assert_eq!(df.escape, '\\');
    assert!(df.directives.is_empty());
    let df = parse("\n# escape=`\nFROM a\n");
    assert_eq!(df.escape, '\\');
    let df = parse("# ESCAPE=`\n# syntax=a\n# syntax=b\nFROM a\n");
    assert_eq!(df.escape, '`');
    assert!(messages(&df).iter().any(|m| m.contains("only one syntax")));
    let df = parse("# escape=x\n# syntax=a\n# syntax=b\nFROM a\n");
    assert_eq!(df.escape, '\\');
    let m = messages(&df);
    assert!(
        m.iter().any(|m| m.contains("invalid escape token")),
        "{m:?}"
    );
    assert!(m.iter().any(|m| m.contains("only one syntax")), "{m:?}");
    let df = parse("# check=skip=JSONArgsRecommended\n# comment\n# escape=`\nFROM a\n");
    assert_eq!(df.directives.len(), 1);
    assert_eq!(df.escape, '\\');
    assert_eq!(df.comments.len(), 3);
}

#[test]
fn heredocs() {
    let text = "FROM alpine\nRUN <<EOF\napk add git\necho $HOME\nEOF\nRUN <<-A cat >/a && python3 <<'B'\n\t\techo a\n\tA\nprint('b')\nB\nCOPY <<\"CONF\" /etc/app.conf\nx=$Y\nCONF\nCMD <<X\nUSER app\n";
    let df = parse(text);
    check_ranges(text, &df);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(kws(&df), ["FROM", "RUN", "RUN", "COPY", "CMD", "USER"]);
    let run = &df.instructions[1];
    assert_eq!(run.heredocs.len(), 1);
    let h = &run.heredocs[0];
    assert_eq!(h.delimiter, "EOF");
    assert!(h.expand && !h.strip_tabs);
    assert_eq!(h.body, "apk add git\necho $HOME\n");
    assert_eq!(h.body_range.slice(text), h.body);
    assert_eq!(h.marker_range.slice(text), "<<EOF");
    assert!(run.range.slice(text).ends_with("\nEOF"));
    let cmds = h.commands();
    assert_eq!(cmds.len(), 2);
    assert_eq!(
        h.source_range(cmds[0].words[1].1.clone()).slice(text),
        "add"
    );

    let two = &df.instructions[2];
    assert_eq!(two.heredocs.len(), 2);
    assert_eq!(two.heredocs[0].delimiter, "A");
    assert!(two.heredocs[0].strip_tabs && two.heredocs[0].expand);
    assert_eq!(two.heredocs[0].body, "\t\techo a\n");
    assert_eq!(two.heredocs[0].content(), "echo a\n");
    assert_eq!(two.heredocs[1].delimiter, "B");
    assert!(!two.heredocs[1].expand);
    assert_eq!(two.heredocs[1].body, "print('b')\n");

    let copy = &df.instructions[3];
    assert_eq!(copy.heredocs[0].delimiter, "CONF");
    assert!(!copy.heredocs[0].expand);
    // CMD cannot have heredocs: `USER app` is its own instruction.
    assert!(df.instructions[4].heredocs.is_empty());
}

#[test]
fn unterminated_heredoc() {
    let text = "FROM alpine\nRUN <<EOF\necho hi\nEOFX\n";
    let df = parse(text);
    check_ranges(text, &df);
    assert_eq!(df.instructions.len(), 2);
    assert!(messages(&df)
        .iter()
        .any(|m| m.contains("unterminated heredoc")));
    assert_eq!(df.instructions[1].heredocs[0].body, "echo hi\nEOFX\n");
    let df = parse("FROM a\nRUN <<EOF");
    assert!(messages(&df)
        .iter()
        .any(|m| m.contains("unterminated heredoc")));
}

#[test]
fn heredoc_markers_need_their_own_word() {
    let df = parse("FROM a\nRUN echo \"<<EOF\" && cat<<X\nUSER b\n");
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert!(df.instructions[1].heredocs.is_empty());
    assert_eq!(kws(&df), ["FROM", "RUN", "USER"]);
}

#[test]
fn exec_and_shell_form() {
    let text = "FROM a\nCMD [\"a\", \"b\"\nRUN [ -f /x ] && echo\nENTRYPOINT [\"/app\", \\\n  \"--v\"]\nCMD [1, 2]\nCMD [\"a\"] x\nSHELL [\"/bin/sh\", \"-c\"]\nCMD []\nCMD [/app, --port]\n";
    let df = parse(text);
    check_ranges(text, &df);
    let i = &df.instructions;
    assert!(i[1].shell_text().is_some());
    assert!(i[1].looks_like_broken_json);
    assert_eq!(i[1].shell_text().unwrap().text, "[\"a\", \"b\"");
    assert!(i[2].shell_text().is_some());
    assert!(!i[2].looks_like_broken_json);
    let e = i[3].exec_words().unwrap();
    assert_eq!(e[1].value, "--v");
    assert_eq!(e[1].range.slice(text), "\"--v\"");
    assert!(messages(&df).iter().any(|m| m.contains("strings only")));
    assert!(i[5].looks_like_broken_json);
    assert_eq!(i[6].exec_words().unwrap().len(), 2);
    assert_eq!(i[7].exec_words().unwrap().len(), 0);
    assert!(i[8].looks_like_broken_json);
    for (args, broken) in [
        ("[ \"$X\" = y ] && echo", false),
        ("[ -f /x ]", false),
        ("['a', 'b']", true),
        ("[\"/app\" \"x\"]", true),
        ("[\"/app", true),
        ("[]x", true),
        ("[a, b] || true", false),
    ] {
        let df = parse(&format!("FROM a\nRUN {args}\n"));
        assert_eq!(df.instructions[1].looks_like_broken_json, broken, "{args}");
    }
}

#[test]
fn flags() {
    let text = "FROM --platform=linux/amd64 a\nCOPY --link --chmod=\"0755\" -- --weird /dst\nRUN --network=none -x\nCMD --help\n";
    let df = parse(text);
    check_ranges(text, &df);
    let copy = &df.instructions[1];
    assert_eq!(copy.flags.len(), 2);
    assert_eq!(copy.flags[0].name, "link");
    assert_eq!(copy.flags[0].value, None);
    assert_eq!(copy.flag("chmod").unwrap().value.as_deref(), Some("0755"));
    assert_eq!(copy.shell_text().unwrap().text, "--weird /dst");
    assert_eq!(df.instructions[2].shell_text().unwrap().text, "-x");
    assert_eq!(df.instructions[3].flags[0].name, "help");
    assert!(messages(&df).contains(&"unknown flag: help"));
    assert_eq!(df.stages[0].platform.as_deref(), Some("linux/amd64"));
}

#[test]
fn env_forms_and_substitution() {
    let text = r#"ARG GO=1.22
ARG UNUSED
FROM golang:${GO:-1.21}-alpine AS build
ENV A=1 B="two words" C=${A}x
ENV LEGACY hello   world
ENV D=$B
ARG GO
ARG OTHER=${A}-y
RUN echo $GO
WORKDIR /src/${A}
LABEL "org.opencontainers.image.title"="my app" version=1
FROM build AS test
ENV E=${D:+set}
RUN true
FROM scratch
RUN true
"#;
    let df = parse(text);
    check_ranges(text, &df);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.stages[0].image, "golang:1.22-alpine");
    let env = &df.instructions[3];
    let kv = env.key_values();
    assert_eq!(kv.len(), 3);
    assert_eq!(kv[1].name, "B");
    assert_eq!(kv[1].value.as_deref(), Some("two words"));
    assert_eq!(kv[1].raw_value.as_deref(), Some("\"two words\""));
    assert_eq!(kv[1].value_range.unwrap().slice(text), "\"two words\"");
    assert_eq!(kv[2].name_range.slice(text), "C");
    let legacy = df.instructions[4].key_values();
    assert_eq!(legacy.len(), 1);
    assert_eq!(legacy[0].name, "LEGACY");
    assert_eq!(legacy[0].value.as_deref(), Some("hello   world"));

    let run = 8;
    assert_eq!(df.instructions[run].keyword, "RUN");
    assert_eq!(df.env_at(run, "A").as_deref(), Some("1"));
    // Every pair of one ENV is expanded with the values from before the instruction.
    assert_eq!(df.env_at(run, "C").as_deref(), Some("x"));
    assert_eq!(df.env_at(run, "LEGACY").as_deref(), Some("hello   world"));
    assert_eq!(df.env_at(run, "D").as_deref(), Some("two words"));
    assert_eq!(
        df.env_at(run, "GO").as_deref(),
        Some("1.22"),
        "re-declared global ARG"
    );
    assert_eq!(df.env_at(run, "OTHER").as_deref(), Some("1-y"));
    assert_eq!(df.env_at(run, "UNUSED"), None);
    // Before the ENV instruction, A is not set.
    assert_eq!(df.env_at(3, "A"), None);
    // A global ARG not re-declared is not visible in the stage.
    assert_eq!(df.env_at(4, "GO"), None);
    assert_eq!(df.expand_at(9, "/src/${A}"), "/src/1");
    assert_eq!(df.expand_at(run, "'$A' \"$A\""), "$A 1");
    let label = df.instructions[10].key_values();
    assert_eq!(label[0].name, "org.opencontainers.image.title");
    assert_eq!(label[0].value.as_deref(), Some("my app"));

    // FROM build: ENV is inherited, ARG is not.
    let test_run = 13;
    assert_eq!(df.instructions[test_run].keyword, "RUN");
    assert_eq!(df.stages[1].parent_stage, Some(0));
    assert_eq!(df.env_at(test_run, "A").as_deref(), Some("1"));
    assert_eq!(df.env_at(test_run, "E").as_deref(), Some("set"));
    assert_eq!(df.env_at(test_run, "OTHER"), None);
    // scratch inherits nothing.
    assert_eq!(df.env_at(15, "A"), None);
    // At a FROM only global ARGs are visible.
    assert_eq!(df.env_at(11, "GO").as_deref(), Some("1.22"));
    assert_eq!(df.env_at(11, "A"), None);
}

#[test]
fn env_syntax_errors() {
    let df = parse("FROM a\nENV A=1 B\nENV C\nARG\nLABEL\n");
    let m = messages(&df);
    assert!(
        m.iter().any(|m| m.contains("can't find = in \"B\"")),
        "{m:?}"
    );
    assert!(
        m.iter().any(|m| m.contains("ENV must have two arguments")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.contains("ARG requires at least one argument")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.contains("LABEL requires at least one argument")),
        "{m:?}"
    );
    assert_eq!(df.instructions[1].key_values().len(), 1);
}

#[test]
fn unknown_instruction_keeps_parsing() {
    let text = "FROM a\nFOO bar\nRUN echo\nfrom b as Two\nrun echo 2\n";
    let df = parse(text);
    check_ranges(text, &df);
    assert_eq!(kws(&df), ["FROM", "FOO", "RUN", "FROM", "RUN"]);
    assert_eq!(df.errors.len(), 1);
    assert_eq!(df.errors[0].message, "unknown instruction: FOO");
    assert_eq!(df.errors[0].range.slice(text), "FOO bar");
    assert_eq!(df.stages[1].name.as_deref(), Some("two"));
    assert_eq!(df.instructions[4].stage, Some(1));
    assert_eq!(df.instructions[4].keyword_range.slice(text), "run");
}

#[test]
fn missing_from() {
    let df = parse("ARG A=1\nRUN echo\nFROM a\n");
    assert_eq!(df.instructions[1].stage, None);
    assert_eq!(df.instructions[0].stage, None);
    assert_eq!(df.errors.len(), 1);
    assert!(df.errors[0].message.contains("before the first FROM"));
    let df = parse("ARG A=1\n");
    assert!(messages(&df)[0].contains("no FROM"));
    let df = parse("FROM\nFROM a b\nFROM a AS 1x\nFROM a AS x\nFROM b AS X\n");
    let m = messages(&df);
    assert!(
        m.iter()
            .any(|m| m.contains("FROM requires at least one argument")),
        "{m:?}"
    );
    assert!(
        m.iter().any(|m| m.contains("one or three arguments")),
        "{m:?}"
    );
    assert!(m.iter().any(|m| m.contains("invalid name")), "{m:?}");
    assert!(
        m.iter().any(|m| m.contains("duplicate stage name")),
        "{m:?}"
    );
    assert_eq!(df.stages.len(), 5);
}

#[test]
fn empty_and_comment_only() {
    for text in ["", "\n\n", "\u{feff}", "# just a comment\n", "\\\n"] {
        let df = parse(text);
        check_ranges(text, &df);
        assert!(df.instructions.is_empty() || text == "\\\n");
        assert!(!df.errors.is_empty(), "{text:?}");
    }
}

#[test]
fn continuation_at_eof_and_escaped_lines() {
    let text = "FROM a\nRUN echo \\\n";
    let df = parse(text);
    check_ranges(text, &df);
    assert_eq!(df.instructions[1].shell_text().unwrap().text, "echo");
    assert_eq!(df.instructions[1].range.slice(text), "RUN echo \\");
    let text = "FROM a\nRUN echo a\\\n\n\n  b\n";
    let df = parse(text);
    assert_eq!(df.instructions[1].shell_text().unwrap().text, "echo a  b");
}

#[test]
fn words_respect_quotes() {
    let text = "FROM a\nUSER \"app user\":grp\nEXPOSE 8080/tcp  9090\nVOLUME /a \"/b c\"\nSTOPSIGNAL SIGTERM\n";
    let df = parse(text);
    check_ranges(text, &df);
    let w = df.instructions[1].words();
    assert_eq!(w[0].value, "app user:grp");
    assert_eq!(w[0].range.slice(text), "\"app user\":grp");
    let w: Vec<_> = df.instructions[2]
        .words()
        .into_iter()
        .map(|w| w.value)
        .collect();
    assert_eq!(w, ["8080/tcp", "9090"]);
    assert_eq!(df.instructions[3].words().len(), 2);
}

#[test]
fn onbuild_heredoc() {
    let df = parse("FROM a\nONBUILD RUN <<EOF\necho\nEOF\nUSER x\n");
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.instructions[1].heredocs.len(), 1);
    assert_eq!(kws(&df), ["FROM", "ONBUILD", "USER"]);
}

#[test]
fn binary_junk_does_not_panic() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..200 {
        let mut bytes = Vec::new();
        for _ in 0..512 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let b = (seed & 0xff) as u8;
            // Mix in Dockerfile-ish bytes to hit more paths.
            let pick = b"\\`\n\r#<-[]\"' $={}:ARUNFOMCPYEV";
            bytes.push(if b < 128 {
                pick[(b as usize) % pick.len()]
            } else {
                b
            });
        }
        let text = String::from_utf8_lossy(&bytes);
        let df = parse(&text);
        check_ranges(&text, &df);
    }
}

#[test]
fn big_inputs_are_fast() {
    let start = std::time::Instant::now();
    let line = format!(
        "FROM a\nRUN {}\n",
        "echo x && \"y\" ${A:-b} <<z ".repeat(4_000)
    );
    assert!(line.len() > 100_000);
    let df = parse(&line);
    assert_eq!(df.instructions.len(), 2);
    let _ = df.instructions[1].shell_text().unwrap().commands();
    let _ = df.instructions[1].words();

    let mut big = String::from("ARG V=1\nFROM a\n");
    while big.len() < 10_000_000 {
        big.push_str("ENV A=${V} B=\"x y\"\nRUN apk add --no-cache git \\\n  && go build ./...\n# c\nCOPY --from=b /a /b\n");
    }
    let df = parse(&big);
    assert!(df.errors.is_empty());
    let last = df.instructions.len() - 1;
    assert_eq!(df.env_at(last, "A").as_deref(), Some(""));
    let junk = "[".repeat(200_000) + &"${".repeat(100_000) + &"<<".repeat(100_000);
    let df = parse(&junk);
    let _ = df.instructions[0].words();
    let _ = df.expand_at(0, &junk);
    // A hang detector, not a speed test (the benchmark measures speed).
    assert!(start.elapsed().as_secs() < 120, "{:?}", start.elapsed());
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn never_panics_any_string(text in any::<String>()) {
            let df = parse(&text);
            check_ranges(&text, &df);
        }

        #[test]
        fn never_panics_dockerfile_like(text in "([ \t]*(FROM|RUN|COPY|ENV|ARG|CMD|LABEL|# escape=`|#|<<-?E|E|\\[\"a\",|\\\\|`|\\$\\{A:-|\\}|\"|'|--x=y|é|\r)?[ a-z=\"'\\\\`$\\[\\]<-]{0,12}\r?\n){0,12}") {
            let df = parse(&text);
            check_ranges(&text, &df);
        }
    }
}

/// Differential test against the `parse-dockerfile` crate on realistic Go Dockerfiles.
mod differential {
    use super::*;

    const CORPUS: &[&str] = &[
        GO_MULTISTAGE,
        "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ./cmd/server\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nUSER nonroot:nonroot\nENTRYPOINT [\"/app\"]\n",
        "FROM golang:1.21-alpine\nRUN apk add --no-cache git ca-certificates\nWORKDIR /go/src/app\nCOPY go.* ./\nRUN go mod download\nCOPY . .\nRUN go build -o /usr/local/bin/app .\nEXPOSE 8080\nCMD [\"app\"]\n",
        "# syntax=docker/dockerfile:1\nARG GO_VERSION=1.22\nFROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS builder\nARG TARGETOS\nARG TARGETARCH\nWORKDIR /workspace\nCOPY go.mod go.mod\nCOPY go.sum go.sum\nRUN go mod download\nCOPY cmd/main.go cmd/main.go\nCOPY api/ api/\nCOPY internal/ internal/\nRUN CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH} go build -a -o manager cmd/main.go\n\nFROM gcr.io/distroless/static:nonroot\nWORKDIR /\nCOPY --from=builder /workspace/manager .\nUSER 65532:65532\n\nENTRYPOINT [\"/manager\"]\n",
        "FROM golang:1.22-bookworm AS deps\nENV GOPROXY=https://proxy.golang.org \\\n    GOFLAGS=-mod=readonly\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download && go mod verify\n\nFROM deps AS build\nCOPY . .\nRUN go vet ./... && \\\n    # build the binary\n    go build -ldflags=\"-s -w\" -o /out/svc ./cmd/svc\n\nFROM debian:bookworm-slim\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends ca-certificates \\\n && rm -rf /var/lib/apt/lists/*\nCOPY --from=build /out/svc /usr/local/bin/svc\nHEALTHCHECK --interval=30s --timeout=3s CMD [\"/usr/local/bin/svc\", \"health\"]\nSTOPSIGNAL SIGTERM\nCMD [\"svc\"]\n",
        "FROM golang:1.22 AS build\nWORKDIR /src\nRUN <<EOF\nset -e\ngo env -w GOFLAGS=-trimpath\nEOF\nCOPY <<EOF /src/config.yaml\nport: 8080\nEOF\nCOPY . .\nRUN go build -o /bin/app\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /bin/app /app\nENTRYPOINT [\"/app\"]\n",
        "FROM alpine:3.19 AS certs\nRUN apk --update add ca-certificates\n\nFROM golang:1.22-alpine AS build\nLABEL maintainer=\"dev@example.com\" org.opencontainers.image.source=\"https://example.com/repo\"\nARG VERSION=dev\nWORKDIR /app\nADD . /app\nRUN go build -ldflags \"-X main.version=${VERSION}\" -o server .\n\nFROM scratch\nCOPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /app/server /server\nEXPOSE 8080 9090\nVOLUME [\"/data\"]\nENTRYPOINT [\"/server\"]\n",
        "FROM golang:1.20\nMAINTAINER someone\nENV GO111MODULE on\nENV CGO_ENABLED 0\nWORKDIR $GOPATH/src/github.com/acme/app\nCOPY . .\nRUN go get -d -v ./...\nRUN go install -v ./...\nSHELL [\"/bin/bash\", \"-c\"]\nONBUILD RUN echo building\nCMD app\n",
        "ARG BASE=golang:1.22\nFROM ${BASE} AS base\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=bind,source=go.mod,target=go.mod \\\n    go mod download -x\nFROM base AS lint\nRUN go vet ./...\nFROM base AS test\nRUN --network=none go test -race ./...\nFROM base AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/base-debian12:nonroot AS final\nCOPY --from=build --chmod=0755 /out/app /app\nUSER nonroot\nENTRYPOINT [\"/app\"]\n",
        "FROM golang:1.22-alpine AS build\r\nWORKDIR /src\r\nCOPY . .\r\nRUN go build \\\r\n    -o /app .\r\nFROM alpine\r\nRUN addgroup -S app && adduser -S app -G app\r\nUSER app\r\nCOPY --from=build /app /app\r\nCMD [\"/app\"]\r\n",
    ];

    fn oracle_keywords(text: &str) -> Vec<String> {
        let df = parse_dockerfile::parse(text).expect("oracle parses the corpus");
        df.instructions
            .iter()
            .map(|i| {
                let debug = format!("{i:?}");
                debug.split('(').next().unwrap_or("").trim().to_uppercase()
            })
            .collect()
    }

    #[test]
    fn keywords_match_parse_dockerfile() {
        for (n, text) in CORPUS.iter().enumerate() {
            let ours = parse(text);
            assert!(ours.errors.is_empty(), "#{n}: {:?}", ours.errors);
            check_ranges(text, &ours);
            let ours: Vec<String> = ours
                .instructions
                .iter()
                .map(|i| i.keyword.clone())
                .collect();
            assert_eq!(ours, oracle_keywords(text), "corpus #{n}");
        }
    }

    #[test]
    fn stages_and_heredocs_match_parse_dockerfile() {
        for (n, text) in CORPUS.iter().enumerate() {
            let ours = parse(text);
            let theirs = parse_dockerfile::parse(text).expect("oracle parses the corpus");
            assert_eq!(ours.stages.len(), theirs.stages().len(), "corpus #{n}");
            let ours_heredocs: usize = ours.instructions.iter().map(|i| i.heredocs.len()).sum();
            let theirs_heredocs: usize = theirs
                .instructions
                .iter()
                .map(|i| match i {
                    parse_dockerfile::Instruction::Run(r) => r.here_docs.len(),
                    parse_dockerfile::Instruction::Copy(c) => c
                        .src
                        .iter()
                        .filter(|s| matches!(s, parse_dockerfile::Source::HereDoc(_)))
                        .count(),
                    _ => 0,
                })
                .sum();
            assert_eq!(ours_heredocs, theirs_heredocs, "corpus #{n}");
        }
    }
}
