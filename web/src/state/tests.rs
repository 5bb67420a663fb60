use super::*;
use crate::model::{analyze, only, FileDoc};
use shoal::Severity;

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: ghcr.io/acme/api:latest\n";

fn doc(name: &str, text: &str) -> FileDoc {
    FileDoc {
        name: name.into(),
        text: text.into(),
    }
}

/// Runs the analysis the worker would run and delivers it.
fn analysed(mut state: State) -> State {
    let report = analyze(&state.request());
    state.apply(Action::AnalysisDone(report));
    state
}

fn with(files: &[(&str, &str)]) -> State {
    with_rules(&["KS105"], files)
}

fn with_rules(rules: &[&str], files: &[(&str, &str)]) -> State {
    analysed(State::new(
        only(rules),
        files.iter().map(|(n, t)| doc(n, t)).collect(),
        Vec::new(),
    ))
}

fn codes(state: &State) -> Vec<&str> {
    state.report.findings.iter().map(|f| &*f.code).collect()
}

#[test]
fn starts_with_one_empty_file() {
    let state = State::default();
    assert_eq!(state.files.len(), 1);
    assert_eq!(state.files[0].name, "untitled-1");
    assert_eq!(state.active, state.files[0].id);
    assert!(!state.can_undo());
}

#[test]
fn set_text_reanalyses_and_typing_is_one_undo_step() {
    let mut state = State::new(only(&["KS105"]), Vec::new(), Vec::new());
    let id = state.active;
    for end in 1..=POD.len() {
        state.apply(Action::SetText {
            file: id,
            text: POD[..end].to_string(),
        });
    }
    let state = analysed(state);
    assert!(state.is_current());
    assert_eq!(codes(&state), ["KS105"]);
    assert_eq!(state.report.findings[0].line, 7);
    let mut state = state;
    state.apply(Action::Undo);
    assert_eq!(&*state.active_file().text, "");
    assert!(!state.can_undo());
    state.apply(Action::Redo);
    assert_eq!(&*state.active_file().text, POD);
}

#[test]
fn stale_reports_are_kept_but_not_fixable_and_old_ones_ignored() {
    let mut state = with(&[("pod.yaml", POD)]);
    let old = (*state.report).clone();
    let id = state.active;
    state.apply(Action::SetText {
        file: id,
        text: format!("{POD}# more\n"),
    });
    assert!(!state.is_current());
    assert_eq!(*state.report, old);
    let newer = analyze(&state.request());
    state.apply(Action::AnalysisDone(newer.clone()));
    state.apply(Action::AnalysisDone(old));
    assert_eq!(*state.report, newer);
}

#[test]
fn add_remove_rename_files() {
    let mut state = State::default();
    state.apply(Action::AddFiles(vec![
        doc("a.yaml", POD),
        doc("a.yaml", POD),
    ]));
    let names: Vec<&str> = state.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["untitled-1", "a.yaml", "a.yaml (2)"]);
    assert_eq!(state.active_file().name, "a.yaml");
    let second = state.files[2].id;
    state.apply(Action::RenameFile {
        file: second,
        name: "  api/Dock\u{7}erfile ".into(),
    });
    assert_eq!(state.file(second).unwrap().name, "api/Dockerfile");
    state.apply(Action::RenameFile {
        file: second,
        name: "   ".into(),
    });
    assert_eq!(state.file(second).unwrap().name, "untitled");
    state.apply(Action::SelectFile(second));
    state.apply(Action::RemoveFile(second));
    assert_eq!(state.files.len(), 2);
    assert_eq!(state.active_file().name, "a.yaml");
    state.apply(Action::Undo);
    assert_eq!(state.files.len(), 3);
    let ids: Vec<u32> = state.files.iter().map(|f| f.id).collect();
    for id in ids {
        state.apply(Action::RemoveFile(id));
    }
    assert_eq!(
        state.files.len(),
        1,
        "removing the last file leaves an empty one"
    );
    state.apply(Action::AddFiles(Vec::new()));
    assert_eq!(state.files.len(), 2);
    assert_eq!(&*state.active_file().text, "");
}

#[test]
fn findings_map_to_files_by_id() {
    let state = with(&[("a.yaml", "kind: ConfigMap\n"), ("pod.yaml", POD)]);
    let pod = state.files[1].id;
    let found: Vec<usize> = state.findings_of(pod).map(|(i, _)| i).collect();
    assert_eq!(found.len(), 1);
    assert_eq!(state.findings_of(state.files[0].id).count(), 0);
    assert_eq!(state.file_of(&state.report.findings[found[0]]), Some(pod));
}

fn fixable() -> (State, usize) {
    // A finding with a fix built by hand, as rules with fixes land in parallel.
    let mut state = with(&[("pod.yaml", POD)]);
    let at = POD.find("latest").unwrap();
    std::rc::Rc::make_mut(&mut state.report).findings[0].fix = Some(crate::model::UiFix {
        title: "pin the tag".into(),
        safe: true,
        edits: vec![(at, at + "latest".len(), "1.4.2".into())],
    });
    (state, 0)
}

#[test]
fn preview_then_apply_fix_then_undo() {
    let (mut state, index) = fixable();
    state.apply(Action::PreviewFix(index));
    assert_eq!(state.preview, Some(index));
    assert_eq!(state.selected, Some(index));
    state.apply(Action::CancelPreview);
    assert_eq!(state.preview, None);
    state.apply(Action::ApplyFix(index));
    assert!(state.active_file().text.contains("api:1.4.2"));
    assert_eq!(state.notice.as_deref(), Some("Applied: pin the tag"));
    assert!(!state.is_current());
    assert_eq!(state.preview, None);
    state.apply(Action::ApplyFix(index));
    assert!(
        state.active_file().text.contains("api:1.4.2"),
        "stale findings are not applied"
    );
    state.apply(Action::Undo);
    assert_eq!(&*state.active_file().text, POD);
}

#[test]
fn apply_all_safe_reports_when_nothing_to_do() {
    let mut state = with(&[("pod.yaml", POD)]);
    state.apply(Action::ApplyAllSafe(None));
    assert_eq!(&*state.active_file().text, POD);
    assert_eq!(state.notice.as_deref(), Some("No safe fixes to apply"));
    assert!(!state.can_undo());
}

#[test]
fn apply_all_safe_uses_engine_fixes_when_rules_have_them() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: ghcr.io/acme/api:1.0\n    resources:\n      limits:\n        memory: 400Mi\n";
    let mut state = with(&[("pod.yaml", text), ("other.yaml", text)]);
    let first = state.files[0].id;
    let has_fix = state
        .report
        .findings
        .iter()
        .any(|f| f.fix.as_ref().is_some_and(|x| x.safe));
    state.apply(Action::ApplyAllSafe(Some(first)));
    if has_fix {
        assert_ne!(&*state.files[0].text, text);
        assert_eq!(&*state.files[1].text, text, "only the chosen file changes");
        state.apply(Action::ApplyAllSafe(None));
        assert_ne!(&*state.files[1].text, text);
    } else {
        assert_eq!(&*state.files[0].text, text);
    }
}

#[test]
fn next_and_previous_finding_wrap_and_follow_files() {
    let mut state = with(&[("a.yaml", POD), ("b.yaml", POD)]);
    assert_eq!(state.report.findings.len(), 2);
    let b = state.files[1].id;
    state.apply(Action::SelectFile(b));
    state.apply(Action::NextFinding);
    assert_eq!(state.selected, Some(1), "starts in the active file");
    let reveal = state.reveal;
    state.apply(Action::NextFinding);
    assert_eq!(state.selected, Some(0));
    assert_eq!(state.active, state.files[0].id);
    assert_eq!(state.reveal, reveal + 1);
    state.apply(Action::PreviousFinding);
    assert_eq!(state.selected, Some(1));
    assert_eq!(state.active, b);
}

#[test]
fn settings_change_the_analysis() {
    let mut state = with(&[("pod.yaml", POD)]);
    state.apply(Action::SetRule {
        code: "KS105".into(),
        choice: RuleChoice {
            enabled: None,
            severity: Some(Severity::Error),
        },
    });
    assert!(!state.is_current());
    let mut state = analysed(state);
    assert_eq!(state.report.findings[0].severity, Severity::Error);
    state.apply(Action::SetRule {
        code: "KS105".into(),
        choice: RuleChoice {
            enabled: Some(false),
            severity: None,
        },
    });
    let mut state = analysed(state);
    assert!(codes(&state).is_empty());
    state.apply(Action::SetRule {
        code: "KS105".into(),
        choice: RuleChoice::default(),
    });
    assert!(!state.settings.rules.contains_key("KS105"));
    state.apply(Action::SetGoVersion(" 1.22 ".into()));
    state.apply(Action::SetRemember(true));
    assert_eq!(state.settings.go_version, "1.22");
    state.apply(Action::ResetSettings);
    assert_eq!(state.settings.go_version, "");
    assert!(state.settings.remember, "reset keeps the privacy choice");
}

#[test]
fn pairing_is_undoable_and_reaches_the_engine() {
    let docker = "FROM golang:1.22 AS b\nRUN go build -o /app\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT [\"/app\"]\n";
    let mut state = with(&[("pod.yaml", POD), ("api/Dockerfile", docker)]);
    assert_eq!(
        state.report.containers[0].dockerfile.as_deref(),
        Some("api/Dockerfile")
    );
    let image = state.report.containers[0].image_name.clone();
    state.apply(Action::SetPair {
        image: image.clone(),
        dockerfile: Some(String::new()),
    });
    let mut state = analysed(state);
    assert_eq!(state.report.containers[0].dockerfile, None);
    state.apply(Action::SetPair {
        image,
        dockerfile: None,
    });
    assert!(state.pairs.is_empty());
    state.apply(Action::Undo);
    assert_eq!(state.pairs.len(), 1);
}

#[test]
fn replace_workspace_is_undoable() {
    let mut state = with(&[("pod.yaml", POD)]);
    let example = crate::examples::find("old-go-cpu").unwrap();
    state.apply(Action::ReplaceWorkspace(SharedWorkspace {
        files: example.files.iter().map(|(n, t)| doc(n, t)).collect(),
        pairs: Vec::new(),
    }));
    assert_eq!(state.files.len(), 2);
    assert_eq!(state.active_file().name, "deployment.yaml");
    assert!(state.is_dockerfile(state.files[1].id) || !state.is_current());
    state.apply(Action::Undo);
    assert_eq!(state.files.len(), 1);
    assert_eq!(state.files[0].name, "pod.yaml");
}

#[test]
fn history_is_capped() {
    let mut state = State::default();
    for i in 0..HISTORY + 20 {
        state.apply(Action::AddFiles(vec![doc(&format!("f{i}"), "")]));
    }
    let mut undone = 0;
    while state.can_undo() {
        state.apply(Action::Undo);
        undone += 1;
    }
    assert_eq!(undone, HISTORY);
}

#[test]
fn preview_selected_fix_picks_the_selection_or_the_first_fixable() {
    let (mut state, index) = fixable();
    state.apply(Action::PreviewSelectedFix);
    assert_eq!(state.preview, Some(index));
    let mut state = with(&[("pod.yaml", POD)]);
    state.apply(Action::PreviewSelectedFix);
    assert_eq!(state.preview, None, "KS105 has no fix");
}

#[test]
fn small_workspaces_are_analysed_in_the_action_that_changed_them() {
    let mut state = State::new(only(&["KS105"]), vec![doc("pod.yaml", POD)], Vec::new())
        .with_page_analysis(1024);
    assert!(state.analysed_on_page());
    assert!(state.is_current(), "analysed when created");
    assert_eq!(codes(&state), ["KS105"]);
    let id = state.active;
    let pinned = POD.replace(":latest", ":1.0");
    state.apply(Action::SetText {
        file: id,
        text: pinned.clone(),
    });
    assert!(state.is_current());
    assert!(codes(&state).is_empty());
    // The same report the worker would have sent.
    assert_eq!(*state.report, analyze(&state.request()));
    state.apply(Action::Undo);
    assert!(state.is_current());
    assert_eq!(codes(&state), ["KS105"]);
    // A late worker report of an older generation does not replace it.
    let mut old = analyze(&state.request());
    old.generation -= 1;
    old.findings.clear();
    state.apply(Action::AnalysisDone(old));
    assert_eq!(codes(&state), ["KS105"]);
}

#[test]
fn large_workspaces_wait_for_the_worker() {
    let mut state = State::new(only(&["KS105"]), vec![doc("pod.yaml", POD)], Vec::new())
        .with_page_analysis(POD.len());
    assert!(state.is_current());
    let id = state.active;
    let big = format!("{POD}# padding\n");
    state.apply(Action::SetText {
        file: id,
        text: big.clone(),
    });
    assert!(!state.analysed_on_page());
    assert!(!state.is_current(), "left to the worker");
    assert_eq!(
        codes(&state),
        ["KS105"],
        "the previous findings stay until then"
    );
    let report = analyze(&state.request());
    state.apply(Action::AnalysisDone(report));
    assert!(state.is_current());
    // Back under the limit: on the page again.
    state.apply(Action::SetText {
        file: id,
        text: POD.to_string(),
    });
    assert!(state.is_current());
    // Off (the default): nothing is analysed by the reducer.
    let state = State::new(only(&["KS105"]), vec![doc("pod.yaml", POD)], Vec::new());
    assert!(!state.analysed_on_page());
    assert!(!state.is_current());
}
