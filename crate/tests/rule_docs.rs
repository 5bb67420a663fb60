//! Every rule is registered, documented, and its documentation's examples behave as documented:
//! a `bad` example fires the rule, a `good` example does not.

use std::collections::BTreeSet;
use std::path::Path;

use shoal::config::RuleSetting;
use shoal::{analyze, rules, Config, SourceFile};

fn only(code: &str) -> Config {
    let mut config = Config::default();
    for rule in rules() {
        config.rules.insert(
            rule.code.to_string(),
            RuleSetting {
                enabled: Some(rule.code == code),
                severity: None,
            },
        );
    }
    config
}

/// Fenced blocks of the docs: (language, role, body).
fn examples(docs: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut lines = docs.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let mut words = info.split_whitespace();
        let lang = words.next().unwrap_or("").to_string();
        let role = words.next().unwrap_or("").to_string();
        let mut body = String::new();
        for line in lines.by_ref() {
            if line.trim_start().starts_with("```") {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        out.push((lang, role, body));
    }
    out
}

fn files_for(blocks: &[&(String, String, String)]) -> Vec<SourceFile> {
    blocks
        .iter()
        .enumerate()
        .map(|(i, (lang, _, body))| {
            let name = match lang.as_str() {
                "dockerfile" => "Dockerfile".to_string(),
                _ => format!("example-{i}.yaml"),
            };
            SourceFile::new(name, body.clone())
        })
        .collect()
}

#[test]
fn every_rule_is_documented() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    for rule in rules() {
        assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
        assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## References",
        ] {
            assert!(
                rule.docs.contains(section),
                "{} docs lack `{section}`",
                rule.code
            );
        }
        if !rule.summary.is_empty() {
            assert!(
                !rule.summary.ends_with('.'),
                "{} summary ends with a period",
                rule.code
            );
        }
        let roles: Vec<_> = examples(rule.docs).into_iter().map(|(_, r, _)| r).collect();
        assert!(
            roles.iter().any(|r| r == "bad"),
            "{} has no bad example",
            rule.code
        );
        assert!(
            roles.iter().any(|r| r == "good"),
            "{} has no good example",
            rule.code
        );
    }
}

#[test]
fn doc_examples_behave_as_documented() {
    for rule in rules() {
        let blocks = examples(rule.docs);
        for role in ["bad", "good"] {
            let chosen: Vec<_> = blocks.iter().filter(|(_, r, _)| r == role).collect();
            if chosen.is_empty() {
                continue;
            }
            let files = files_for(&chosen);
            let analysis = analyze(&files, &only(rule.code));
            let fired = analysis
                .findings
                .iter()
                .filter(|f| f.code == rule.code)
                .count();
            let parse_errors: Vec<_> = analysis
                .findings
                .iter()
                .filter(|f| f.code == "PARSE")
                .collect();
            assert!(
                parse_errors.is_empty(),
                "{} {role} example does not parse: {parse_errors:?}",
                rule.code
            );
            match role {
                "bad" => assert!(fired >= 1, "{}'s bad example does not fire it", rule.code),
                _ => assert_eq!(
                    fired, 0,
                    "{}'s good example fires it: {:#?}",
                    rule.code, analysis.findings
                ),
            }
        }
    }
}

#[test]
fn every_rule_file_is_registered() {
    let registered: BTreeSet<String> = rules()
        .iter()
        .map(|r| r.code.to_ascii_lowercase())
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    for group in ["go", "k8s", "docker", "cross"] {
        for entry in std::fs::read_dir(root.join(group)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name == "mod.rs" || !name.ends_with(".rs") {
                continue;
            }
            let code = name.split('_').next().unwrap().to_string();
            assert!(
                registered.contains(&code),
                "{group}/{name} is not registered"
            );
        }
    }
}

/// The catalog's codes and names (the contract): each is registered under exactly this name, and
/// nothing else is. KS304 is the only rule off by default.
const CATALOG: &[(&str, &str)] = &[
    ("GO001", "gomemlimit-missing"),
    ("GO002", "gomemlimit-without-memory-limit"),
    ("GO003", "gomemlimit-exceeds-limit"),
    ("GO004", "gomaxprocs-cpu-limit"),
    ("GO005", "gomaxprocs-exceeds-cpu-limit"),
    ("GO006", "gogc-off-without-memlimit"),
    ("GO007", "gomemlimit-unsupported-go"),
    ("KS001", "readiness-probe-missing"),
    ("KS002", "liveness-probe-missing"),
    ("KS003", "probes-identical"),
    ("KS004", "liveness-initial-delay-short"),
    ("KS005", "liveness-failure-threshold-one"),
    ("KS006", "prestop-exceeds-grace-period"),
    ("KS007", "prestop-missing"),
    ("KS008", "grpc-grace-period-short"),
    ("KS009", "probe-port-unknown"),
    ("KS101", "resources-requests-missing"),
    ("KS102", "memory-limit-missing"),
    ("KS103", "requests-exceed-limits"),
    ("KS104", "cpu-limit-throttling"),
    ("KS105", "image-tag-latest"),
    ("KS106", "image-pull-policy-conflict"),
    ("KS107", "quantity-suspicious"),
    ("KS201", "run-as-non-root-missing"),
    ("KS202", "privilege-escalation-allowed"),
    ("KS203", "privileged-container"),
    ("KS204", "writable-root-filesystem"),
    ("KS205", "capabilities-not-dropped"),
    ("KS206", "secret-in-env"),
    ("KS207", "literal-secret-in-env"),
    ("KS301", "configmap-subpath-no-reload"),
    ("KS302", "grpc-service-not-headless"),
    ("KS303", "nodeport-service"),
    ("KS304", "dns-ndots-default"),
    ("KS305", "service-selector-no-match"),
    ("KS306", "service-target-port-unknown"),
    ("KS307", "host-network"),
    ("KS308", "istio-hold-application"),
    ("KS401", "deprecated-api-version"),
    ("KS402", "selector-template-mismatch"),
    ("KS403", "duplicate-key"),
    ("KS404", "duplicate-env"),
    ("KS405", "config-ref-missing"),
    ("DF001", "cgo-not-disabled"),
    ("DF002", "go-toolchain-in-final-image"),
    ("DF003", "go-build-flags"),
    ("DF004", "runs-as-root"),
    ("DF005", "non-numeric-user"),
    ("DF006", "shell-form-entrypoint"),
    ("DF007", "base-image-unpinned"),
    ("DF008", "alpine-cgo-dns"),
    ("DF009", "scratch-missing-ca-certificates"),
    ("DF010", "missing-tzdata"),
    ("DF011", "go-mod-cache-order"),
    ("DF012", "apk-no-cache"),
    ("DF013", "upx-packed-binary"),
    ("DF014", "healthcheck-ignored"),
    ("DF015", "go-version-old"),
    ("DF016", "dockerfile-syntax"),
    ("XF001", "run-as-non-root-image-user"),
    ("XF002", "exec-hook-without-shell"),
    ("XF003", "port-mismatch"),
];

#[test]
fn registry_matches_the_catalog() {
    let registered: Vec<(&str, &str)> = rules().iter().map(|r| (r.code, r.name)).collect();
    assert_eq!(
        registered, CATALOG,
        "rules() must list the catalog, in catalog order"
    );
    for rule in rules() {
        assert_eq!(
            rule.enabled_by_default,
            rule.code != "KS304",
            "{}",
            rule.code
        );
    }
}
