//! End-to-end tests of the `shoal` binary.
//!
//! Rules are still being added, so these tests assert that known findings are present (and
//! where), not how many findings there are. Assertions about GO001 run once the rule exists.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_shoal");

/// The repository root (fixtures live in `tests/fixtures/` there).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn has_rule(code: &str) -> bool {
    shoal::explain(code).is_some()
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("shoal-cli-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn command(cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR");
    cmd
}

/// Runs shoal in `cwd` with no standard input.
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    command(cwd, args).stdin(Stdio::null()).output().unwrap()
}

/// Runs shoal at the repository root.
fn run(args: &[&str]) -> Output {
    run_in(&repo_root(), args)
}

fn run_stdin(cwd: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = command(cwd, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

fn status(output: &Output) -> i32 {
    output.status.code().expect("exited by a signal")
}

/// Asserts exit status 2 with a one-line `error:` reason that contains `needle`.
fn assert_usage_error(output: &Output, needle: &str) {
    let err = stderr(output);
    assert_eq!(status(output), 2, "stderr: {err}");
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    assert!(!err.contains("panicked"), "{err}");
}

fn findings<'a>(doc: &'a Value, code: &str) -> Vec<&'a Value> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

/// A configuration that turns every rule off except `keep`.
fn only_rule(keep: &str) -> String {
    let mut config = String::from("rules:\n");
    for rule in shoal::rules() {
        if rule.code != keep {
            config.push_str(&format!("  {}: off\n", rule.code));
        }
    }
    config
}

const MANIFEST: &str = "tests/fixtures/deploy/api.yaml";
const CLEAN: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n";

#[test]
fn text_output_is_a_compiler_style_diagnostic() {
    let output = run(&["check", "tests/fixtures"]);
    let out = stdout(&output);
    assert_eq!(status(&output), 1, "{out}");
    assert!(
        out.contains("warning[KS105] image-tag-latest: container `api` of Deployment/shop/api"),
        "{out}"
    );
    assert!(
        out.contains("  --> tests/fixtures/deploy/api.yaml:22:18\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "   |\n22 |           image: ghcr.io/acme/api:latest\n   |                  ^^^^^^^^^^^^^^^^^^^^^^^\n   = help: "
        ),
        "{out}"
    );
    if has_rule("GO001") {
        assert!(out.contains("[GO001] gomemlimit-missing:"), "{out}");
        assert!(
            out.contains("  --> tests/fixtures/deploy/api.yaml:30:15\n"),
            "{out}"
        );
        assert!(
            out.contains("30 |               memory: 400Mi\n   |               ^^^^^^\n"),
            "{out}"
        );
        assert!(out.contains("= fix (safe): "), "{out}");
        assert!(out.contains("fixable with --fix"), "{out}");
    }
    let summary = out.trim_end().lines().last().unwrap();
    assert!(summary.contains("warning"), "{summary}");
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn colour_can_be_forced_and_disabled() {
    let output = run(&["check", "--color", "always", MANIFEST]);
    assert!(stdout(&output).contains("\x1b["));
    let output = run(&["check", "--color", "always", "--no-color", MANIFEST]);
    assert!(!stdout(&output).contains('\x1b'));
    let output = command(&repo_root(), &["check", MANIFEST])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(stdout(&output).contains("\x1b["));
    let output = command(&repo_root(), &["check", MANIFEST])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&output).contains('\x1b'));
}

#[test]
fn json_output_has_the_documented_shape() {
    let output = run(&["check", "--format", "json", "tests/fixtures"]);
    assert_eq!(status(&output), 1);
    let doc = json(&output);
    assert_eq!(doc["version"], 1);
    for finding in doc["findings"].as_array().unwrap() {
        for key in [
            "code",
            "name",
            "severity",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "help",
            "fix",
        ] {
            assert!(finding.get(key).is_some(), "{key} missing in {finding}");
        }
        assert!(["error", "warning", "info"].contains(&finding["severity"].as_str().unwrap()));
        assert!(finding["line"].as_u64().unwrap() >= 1 && finding["column"].as_u64().unwrap() >= 1);
        if let Some(fix) = finding["fix"].as_object() {
            assert!(fix["title"].is_string());
            assert!(["safe", "unsafe"].contains(&fix["applicability"].as_str().unwrap()));
            for edit in fix["edits"].as_array().unwrap() {
                for key in [
                    "file",
                    "line",
                    "column",
                    "end_line",
                    "end_column",
                    "replacement",
                ] {
                    assert!(edit.get(key).is_some(), "{key} missing in {edit}");
                }
            }
        } else {
            assert!(finding["fix"].is_null());
        }
    }
    let ks105 = findings(&doc, "KS105");
    assert_eq!(ks105.len(), 1, "{doc:#}");
    let f = ks105[0];
    assert_eq!(f["file"], MANIFEST);
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(22), Some(18))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(22), Some(41))
    );
    assert_eq!(f["name"], "image-tag-latest");
    assert_eq!(f["object"]["kind"], "Deployment");
    if has_rule("GO001") {
        let go001 = findings(&doc, "GO001");
        assert_eq!(go001.len(), 1, "{doc:#}");
        let f = go001[0];
        assert_eq!(f["file"], MANIFEST);
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(30), Some(15))
        );
        assert_eq!(f["fix"]["applicability"], "safe");
        assert_eq!(f["fix"]["edits"][0]["file"], MANIFEST);
    }
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["tests/fixtures/api/Dockerfile", MANIFEST]);
}

#[test]
fn sarif_output_is_structurally_valid() {
    let output = run(&["check", "--format", "sarif", "tests/fixtures"]);
    assert_eq!(status(&output), 1);
    let doc = json(&output);
    assert_eq!(
        doc["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(doc["version"], "2.1.0");
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "shoal");
    assert_eq!(driver["version"], shoal::VERSION);
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    for info in shoal::rules() {
        let rule = rules.iter().find(|r| r["id"] == info.code).unwrap();
        assert_eq!(rule["name"], info.name);
        assert_eq!(rule["shortDescription"]["text"], info.summary);
        assert_eq!(rule["fullDescription"]["markdown"], info.docs);
        assert!(rule["help"]["text"].is_string());
        assert!(["error", "warning", "note"]
            .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(result["message"]["text"].is_string());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.contains('\\') && !uri.starts_with('/') && !uri.starts_with("./"),
            "{uri}"
        );
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{key} in {region}");
        }
        for fix in result["fixes"].as_array().into_iter().flatten() {
            assert!(fix["description"]["text"].is_string());
            for change in fix["artifactChanges"].as_array().unwrap() {
                assert!(change["artifactLocation"]["uri"].is_string());
                for replacement in change["replacements"].as_array().unwrap() {
                    assert!(replacement["deletedRegion"]["startLine"].as_u64().unwrap() >= 1);
                    assert!(replacement["insertedContent"]["text"].is_string());
                }
            }
        }
    }
    let ks105 = results.iter().find(|r| r["ruleId"] == "KS105").unwrap();
    let location = &ks105["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], MANIFEST);
    assert_eq!(location["region"]["startLine"], 22);
    assert_eq!(location["region"]["startColumn"], 18);
}

#[test]
fn sarif_includes_suppressed_findings_and_utf16_columns() {
    let dir = TempDir::new("sarif");
    dir.write(
        "a.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: \"😀\"}\nspec:\n  containers:\n  - name: app\n    # shoal-ignore KS105 -- pinned by the release job\n    image: nginx\n  - {name: \"é😀\", image: busybox}\n",
    );
    let output = run_in(&dir.0, &["check", "--format", "sarif", "a.yaml"]);
    let doc = json(&output);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let ks105: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == "KS105").collect();
    assert_eq!(ks105.len(), 2, "{doc:#}");
    let suppressed = ks105
        .iter()
        .find(|r| r["suppressions"][0]["kind"] == "inSource")
        .unwrap();
    assert_eq!(
        suppressed["suppressions"][0]["justification"],
        "pinned by the release job"
    );
    let kept = ks105
        .iter()
        .find(|r| r["suppressions"].as_array().is_none_or(|s| s.is_empty()))
        .unwrap();
    let region = &kept["locations"][0]["physicalLocation"]["region"];
    // `  - {name: "é😀", image: busybox}`: é is 1 UTF-16 unit, 😀 is 2.
    assert_eq!(region["startLine"], 9);
    assert_eq!(region["startColumn"], 26);
    // The same finding in JSON counts Unicode scalar values.
    let output = run_in(&dir.0, &["check", "--format", "json", "a.yaml"]);
    let doc = json(&output);
    let f = findings(&doc, "KS105")[0];
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(9), Some(25))
    );
    let suppressed = doc["suppressed"].as_array().unwrap();
    assert!(suppressed
        .iter()
        .any(|s| s["code"] == "KS105" && s["reason"] == "pinned by the release job"));
    // The text summary mentions the suppression.
    let out = stdout(&run_in(&dir.0, &["check", "a.yaml"]));
    assert!(out.trim_end().ends_with("(1 suppressed)"), "{out}");
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = TempDir::new("exit");
    dir.write("clean.yaml", CLEAN);
    dir.write("latest.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:latest\n");
    dir.write("only-ks105.yaml", only_rule("KS105"));
    dir.write("ks105-error.yaml", only_rule("KS105") + "  KS105: error\n");

    let output = run_in(&dir.0, &["check", "clean.yaml"]);
    assert_eq!(status(&output), 0);
    assert_eq!(stdout(&output), "No problems found in 1 file.\n");

    let cfg = ["--config", "only-ks105.yaml"];
    let with = |extra: &[&str]| {
        let mut args = vec!["check"];
        args.extend_from_slice(&cfg);
        args.extend_from_slice(extra);
        args.push("latest.yaml");
        status(&run_in(&dir.0, &args))
    };
    assert_eq!(with(&[]), 1);
    assert_eq!(with(&["--fail-on", "warning"]), 1);
    assert_eq!(with(&["--fail-on", "info"]), 1);
    assert_eq!(with(&["--fail-on", "error"]), 0);
    assert_eq!(with(&["--fail-on", "never"]), 0);
    let output = run_in(
        &dir.0,
        &[
            "check",
            "--config",
            "ks105-error.yaml",
            "--fail-on",
            "error",
            "latest.yaml",
        ],
    );
    assert_eq!(status(&output), 1);
    assert!(stdout(&output).contains("error[KS105]"));
    // The default configuration file is picked up from the current directory.
    dir.write(".shoal.yaml", only_rule("KS105") + "  KS105: off\n");
    let output = run_in(&dir.0, &["check", "latest.yaml"]);
    assert_eq!(status(&output), 0, "{}", stdout(&output));
    // `check` with no path checks the current directory (the hidden config is not a manifest).
    let output = run_in(&dir.0, &["check", "--format", "json"]);
    let doc = json(&output);
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "clean.yaml",
            "ks105-error.yaml",
            "latest.yaml",
            "only-ks105.yaml"
        ]
    );
}

#[test]
fn usage_errors_and_unreadable_input_exit_2() {
    assert_usage_error(&run(&[]), "no command");
    assert_usage_error(&run(&["lint"]), "unknown command");
    assert_usage_error(&run(&["check", "--format", "xml", MANIFEST]), "xml");
    assert_usage_error(&run(&["check", "--bogus"]), "--bogus");
    assert_usage_error(
        &run(&["check", "--pair", "nodockerfile", MANIFEST]),
        "IMAGE=DOCKERFILE",
    );
    assert_usage_error(
        &run(&["check", "--go-version", "latest", MANIFEST]),
        "--go-version",
    );
    assert_usage_error(
        &run(&["check", "--fail-on", "fatal", MANIFEST]),
        "--fail-on",
    );
    assert_usage_error(
        &run(&["check", "does/not/exist.yaml"]),
        "does/not/exist.yaml: no such file or directory",
    );
    assert_usage_error(
        &run(&["check", "--config", "missing.yaml", MANIFEST]),
        "missing.yaml",
    );

    let dir = TempDir::new("bad");
    let mut bytes = b"apiVersion: v1\nkind: ConfigMap\ndata:\n  x: \"".to_vec();
    let at = bytes.len();
    bytes.extend_from_slice(b"\xff\xfe\"\n");
    dir.write("bad.yaml", &bytes);
    assert_usage_error(
        &run_in(&dir.0, &["check", "bad.yaml"]),
        &format!("bad.yaml: not valid UTF-8 (byte {at})"),
    );
    // Found by walking a directory: same error.
    assert_usage_error(&run_in(&dir.0, &["check", "."]), "not valid UTF-8");

    dir.write("broken-config.yaml", "rules:\n  NOPE1: off\n");
    dir.write("ok.yaml", CLEAN);
    assert_usage_error(
        &run_in(
            &dir.0,
            &["check", "--config", "broken-config.yaml", "ok.yaml"],
        ),
        "broken-config.yaml:2:3: unknown rule code `NOPE1`",
    );
}

#[test]
fn a_directory_with_nothing_to_check_is_not_an_error() {
    let dir = TempDir::new("empty");
    dir.write("README.md", "# nothing here\n");
    let output = run_in(&dir.0, &["check", "."]);
    assert_eq!(status(&output), 0);
    assert!(stdout(&output).contains("No files to check"));
    let output = run_in(&dir.0, &["check", "--format", "json", "."]);
    assert_eq!(status(&output), 0);
    assert_eq!(json(&output)["findings"], serde_json::json!([]));
}

#[test]
fn directories_are_walked_in_sorted_order_skipping_noise() {
    let dir = TempDir::new("walk");
    for name in [
        "b/deploy.yaml",
        "a.yml",
        "svc/api.Dockerfile",
        "svc/Dockerfile.prod",
        "svc/Dockerfile",
        "svc/Containerfile",
        ".git/config.yaml",
        ".github/workflows/ci.yaml",
        "node_modules/x/chart.yaml",
        "target/out.yaml",
        ".hidden.yaml",
        "svc/Dockerfile.dockerignore",
        "main.go",
    ] {
        let text = if name.contains("ockerfile") || name.contains("Containerfile") {
            "FROM golang:1.22\n"
        } else {
            CLEAN
        };
        dir.write(name, text);
    }
    let output = run_in(
        &dir.0,
        &["check", "--format", "json", "--fail-on", "never", "."],
    );
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let doc = json(&output);
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "./a.yml",
            "./b/deploy.yaml",
            "./svc/Containerfile",
            "./svc/Dockerfile",
            "./svc/Dockerfile.prod",
            "./svc/api.Dockerfile"
        ]
    );
    let kinds: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "manifest",
            "manifest",
            "dockerfile",
            "dockerfile",
            "dockerfile",
            "dockerfile"
        ]
    );
    // Named from the directory as given; a file given twice is checked once.
    let output = run_in(
        &dir.0,
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "b",
            "b/deploy.yaml",
        ],
    );
    let doc = json(&output);
    assert_eq!(doc["files"].as_array().unwrap().len(), 1);
    assert_eq!(doc["files"][0]["file"], "b/deploy.yaml");
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_skipped_with_a_warning() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new("names");
    dir.write("ok.yaml", CLEAN);
    let name = std::ffi::OsStr::from_bytes(b"bad-\xff.yaml");
    if std::fs::write(dir.0.join(name), CLEAN).is_err() {
        return; // the file system refuses such names
    }
    let output = run_in(&dir.0, &["check", "."]);
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("warning: skipping"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("No problems found in 1 file."));
}

#[test]
fn stdin_is_read_for_dash_and_its_kind_detected_from_content() {
    let manifest = std::fs::read(repo_root().join(MANIFEST)).unwrap();
    let output = run_stdin(&repo_root(), &["check", "--format", "json", "-"], &manifest);
    assert_eq!(status(&output), 1);
    let doc = json(&output);
    let f = findings(&doc, "KS105")[0];
    assert_eq!(f["file"], "<stdin>");
    assert_eq!(f["line"], 22);
    assert_eq!(doc["files"][0]["kind"], "manifest");

    let dockerfile = std::fs::read(repo_root().join("tests/fixtures/api/Dockerfile")).unwrap();
    let output = run_stdin(
        &repo_root(),
        &["check", "--format", "json", "--fail-on", "never", "-"],
        &dockerfile,
    );
    assert_eq!(status(&output), 0);
    assert_eq!(json(&output)["files"][0]["kind"], "dockerfile");

    let output = run_stdin(&repo_root(), &["check", "-"], manifest.as_slice());
    assert!(stdout(&output).contains("--> <stdin>:22:18"));
    let output = run_stdin(
        &repo_root(),
        &["check", "--stdin-filename", "k8s/api.yaml", "-"],
        &manifest,
    );
    assert!(stdout(&output).contains("--> k8s/api.yaml:22:18"));
}

#[test]
fn crlf_input_never_prints_carriage_returns() {
    let manifest = std::fs::read_to_string(repo_root().join(MANIFEST))
        .unwrap()
        .replace('\n', "\r\n");
    let output = run_stdin(&repo_root(), &["check", "-"], manifest.as_bytes());
    let out = stdout(&output);
    assert!(out.contains("--> <stdin>:22:18"), "{out}");
    assert!(!out.contains('\r'), "{out:?}");
}

fn copy_fixtures(dir: &TempDir) {
    for name in ["deploy/api.yaml", "api/Dockerfile"] {
        dir.write(
            name,
            std::fs::read(repo_root().join("tests/fixtures").join(name)).unwrap(),
        );
    }
}

#[test]
fn fix_rewrites_files_in_place_and_reports_what_remains() {
    let dir = TempDir::new("fix");
    copy_fixtures(&dir);
    let before = std::fs::read_to_string(dir.0.join("deploy/api.yaml")).unwrap();
    let output = run_in(
        &dir.0,
        &[
            "check",
            "--fix",
            "--format",
            "json",
            "--fail-on",
            "never",
            "deploy",
            "api",
        ],
    );
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("Fixed ") && err.contains(" in "), "{err}");
    let after = std::fs::read_to_string(dir.0.join("deploy/api.yaml")).unwrap();
    let doc = json(&output);
    assert!(
        !findings(&doc, "KS105").is_empty(),
        "KS105 has no fix and remains"
    );
    if has_rule("GO001") {
        assert_ne!(before, after, "GO001's fix changes the manifest");
        assert!(after.contains("GOMEMLIMIT"), "{after}");
        assert!(findings(&doc, "GO001").is_empty(), "{doc:#}");
        // Every line of the original is still there, in order (the fix only inserts).
        let mut rest = after.lines();
        for line in before.lines() {
            assert!(rest.any(|l| l == line), "lost {line:?} in\n{after}");
        }
        assert!(after.starts_with("# Deployment of the api service.\n# Keep this comment"));
        // A second run has nothing left to fix.
        let again = run_in(&dir.0, &["check", "--fix", "--fail-on", "never", "deploy"]);
        assert!(
            stderr(&again).contains("Fixed 0 problems in 0 files."),
            "{}",
            stderr(&again)
        );
        assert_eq!(
            std::fs::read_to_string(dir.0.join("deploy/api.yaml")).unwrap(),
            after
        );
    } else {
        assert_eq!(before, after);
    }
}

#[test]
fn fix_on_stdin_prints_the_fixed_text_and_reports_on_stderr() {
    let manifest = std::fs::read_to_string(repo_root().join(MANIFEST)).unwrap();
    let output = run_stdin(&repo_root(), &["check", "--fix", "-"], manifest.as_bytes());
    let out = stdout(&output);
    let err = stderr(&output);
    assert!(
        out.starts_with("# Deployment of the api service.\n"),
        "{out}"
    );
    assert!(err.contains("warning[KS105]"), "{err}");
    assert!(err.contains("Fixed "), "{err}");
    if has_rule("GO001") {
        assert!(out.contains("GOMEMLIMIT"), "{out}");
        assert!(!err.contains("[GO001]"), "{err}");
    } else {
        assert_eq!(out, manifest);
    }
}

#[test]
fn explain_prints_a_rules_documentation() {
    for query in ["KS105", "ks105", "image-tag-latest"] {
        let output = run(&["explain", query]);
        assert_eq!(status(&output), 0);
        let out = stdout(&output);
        assert!(out.starts_with("KS105 image-tag-latest\n"), "{out}");
        assert!(out.contains("## Why it matters"), "{out}");
        assert!(out.contains("```yaml bad"), "{out}");
    }
    let output = run(&["explain", "--format", "json", "KS105"]);
    assert_eq!(json(&output)["code"], "KS105");
    assert_usage_error(&run(&["explain", "XX999"]), "shoal rules");
}

#[test]
fn rules_lists_every_rule() {
    let output = run(&["rules"]);
    assert_eq!(status(&output), 0);
    let out = stdout(&output);
    let line = out.lines().find(|l| l.starts_with("KS105 ")).unwrap();
    assert!(
        line.contains("image-tag-latest") && line.contains("warning"),
        "{line}"
    );
    assert!(line.contains("Container image has no tag"), "{line}");
    for rule in shoal::rules() {
        assert!(
            out.lines()
                .any(|l| l.starts_with(&format!("{} ", rule.code))),
            "{}",
            rule.code
        );
    }
    let doc = json(&run(&["rules", "--format", "json"]));
    assert!(doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "KS105"));
}

#[test]
fn version_and_help() {
    let output = run(&["--version"]);
    assert_eq!(stdout(&output), format!("shoal {}\n", shoal::VERSION));
    for args in [
        &["--help"][..],
        &["help"],
        &["help", "check"],
        &["check", "--help"],
    ] {
        let output = run(args);
        assert_eq!(status(&output), 0);
        assert!(stdout(&output).contains("Usage:"));
    }
    assert!(stdout(&run(&["help", "check"])).contains("--fail-on"));
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    let dir = TempDir::new("pipe");
    for i in 0..300 {
        dir.write(
            &format!("m{i:03}.yaml"),
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx\n",
        );
    }
    let mut child = command(&dir.0, &["check", "."])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut head)
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let code = child.wait().unwrap().code();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(code, Some(1), "{err}");
}

#[test]
fn unsafe_fixes_apply_only_when_asked() {
    // KS007 (preStop missing) has an unsafe fix.
    if !has_rule("KS007") {
        return;
    }
    let dir = TempDir::new("unsafe");
    copy_fixtures(&dir);
    let path = dir.0.join("deploy/api.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    let output = run_in(&dir.0, &["check", "--fix", "--format", "json", "deploy"]);
    assert!(!findings(&json(&output), "KS007").is_empty());
    assert!(!std::fs::read_to_string(&path).unwrap().contains("preStop"));
    let output = run_in(
        &dir.0,
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "json",
            "deploy",
        ],
    );
    assert!(
        findings(&json(&output), "KS007").is_empty(),
        "{}",
        stdout(&output)
    );
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("preStop"), "{after}");
    assert!(after.starts_with(&before[..before.find("spec:").unwrap()]));
}
