//! The app state and its reducer: the workspace (files, pairings), the latest analysis, the
//! selection, undo/redo history and settings. Plain Rust without browser APIs, so every action
//! is unit-tested natively; the view dispatches [`Action`]s and effects send [`State::request`]
//! to the analysis worker. A small workspace (see [`State::page_limit`]) is analysed by the
//! reducer itself, in the action that changed it: no worker round trip, one render.

use std::rc::Rc;

use shoal::{apply_fixes, fix_all, SourceFile};
use yew::Reducible;

use crate::model::{
    analyze, config_for, FileDoc, PairChoice, Report, Request, RuleChoice, Settings, UiFinding,
};
use crate::share::SharedWorkspace;

/// Most undo steps kept.
pub const HISTORY: usize = 100;

/// Workspaces up to this many bytes of text are analysed on the page, in the action that
/// changed them (a few ms for a 150-line manifest); larger ones go to the worker.
pub const PAGE_ANALYSIS_LIMIT: usize = 32 * 1024;

/// A file of the workspace; `id` is stable across renames and reorders. The text is shared:
/// the reducer clones the state on every action, undo keeps snapshots of every file, and the
/// editor shows it, none of which copies a (possibly 1 MB) text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WsFile {
    pub id: u32,
    pub name: String,
    pub text: Rc<str>,
}

/// What undo restores.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Snapshot {
    files: Vec<WsFile>,
    active: u32,
    pairs: Vec<PairChoice>,
}

/// Everything the app shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub files: Vec<WsFile>,
    /// Id of the file in the editor.
    pub active: u32,
    /// Explicit image ↔ Dockerfile pairings (the engine pairs the rest by default).
    pub pairs: Vec<PairChoice>,
    pub settings: Settings,
    /// Bumped on every change that needs a new analysis.
    pub generation: u64,
    /// The latest analysis received (possibly of an older generation); shared, so cloning the
    /// state (every action) does not copy the findings.
    pub report: Rc<Report>,
    /// Index (into `report.findings`) of the selected finding.
    pub selected: Option<usize>,
    /// Bumped when the editor should scroll to and select the selected finding.
    pub reveal: u64,
    /// Index of the finding whose fix is being previewed.
    pub preview: Option<usize>,
    /// A short message about the last action (shown in a live region).
    pub notice: Option<String>,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// The file being typed in: consecutive edits of one file make one undo step.
    typing: Option<u32>,
    next_id: u32,
    /// Workspaces with at most this many bytes of text are analysed by the reducer on every
    /// change ([`State::with_page_analysis`]); 0 (the default): every analysis is the worker's.
    page_limit: usize,
}

/// What can happen.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SetText {
        file: u32,
        text: String,
    },
    /// Adds files (pasted, dropped, or a new empty one when `files` is empty).
    AddFiles(Vec<FileDoc>),
    RemoveFile(u32),
    RenameFile {
        file: u32,
        name: String,
    },
    SelectFile(u32),
    /// Replaces the workspace (an example, a shared link).
    ReplaceWorkspace(SharedWorkspace),
    AnalysisDone(Report),
    SelectFinding(usize),
    NextFinding,
    PreviousFinding,
    PreviewFix(usize),
    /// Previews the fix of the selected finding, else of the first fixable one in the active file.
    PreviewSelectedFix,
    CancelPreview,
    ApplyFix(usize),
    /// Applies every safe fix to one file, or to every file.
    ApplyAllSafe(Option<u32>),
    Undo,
    Redo,
    SetRule {
        code: String,
        choice: RuleChoice,
    },
    SetGoVersion(String),
    SetRemember(bool),
    ResetSettings,
    /// Pairs an image with a Dockerfile (`Some("")`: never pair; `None`: default pairing).
    SetPair {
        image: String,
        dockerfile: Option<String>,
    },
    Notice(Option<String>),
}

impl Default for State {
    fn default() -> Self {
        State::new(Settings::default(), Vec::new(), Vec::new())
    }
}

impl State {
    /// A state with these settings and files (an empty file when there are none).
    pub fn new(settings: Settings, files: Vec<FileDoc>, pairs: Vec<PairChoice>) -> Self {
        let mut state = State {
            files: Vec::new(),
            active: 0,
            pairs,
            settings,
            generation: 1,
            report: Rc::new(Report::default()),
            selected: None,
            reveal: 0,
            preview: None,
            notice: None,
            undo: Vec::new(),
            redo: Vec::new(),
            typing: None,
            next_id: 1,
            page_limit: 0,
        };
        state.add(if files.is_empty() {
            vec![state.blank()]
        } else {
            files
        });
        if let Some(first) = state.files.first() {
            state.active = first.id;
        }
        state
    }

    /// Analyses workspaces of up to `limit` bytes of text in the reducer, starting with this
    /// one; larger ones are left to the worker.
    pub fn with_page_analysis(mut self, limit: usize) -> Self {
        self.page_limit = limit;
        self.analyse_on_page();
        self
    }

    /// Whether the workspace is small enough to be analysed on the page.
    pub fn analysed_on_page(&self) -> bool {
        self.files.iter().map(|f| f.text.len()).sum::<usize>() <= self.page_limit
            && self.page_limit > 0
    }

    fn analyse_on_page(&mut self) {
        if self.analysed_on_page() {
            self.report = Rc::new(analyze(&self.request()));
        }
    }

    /// The request for the analysis worker.
    pub fn request(&self) -> Request {
        Request {
            generation: self.generation,
            ids: self.files.iter().map(|f| f.id).collect(),
            files: self.docs(),
            settings: self.settings.clone(),
            pairs: self.pairs.clone(),
        }
    }

    /// The workspace as shared or stored.
    pub fn shared(&self) -> SharedWorkspace {
        SharedWorkspace {
            files: self.docs(),
            pairs: self.pairs.clone(),
        }
    }

    fn docs(&self) -> Vec<FileDoc> {
        self.files
            .iter()
            .map(|f| FileDoc {
                name: f.name.clone(),
                text: f.text.to_string(),
            })
            .collect()
    }

    pub fn file(&self, id: u32) -> Option<&WsFile> {
        self.files.iter().find(|f| f.id == id)
    }

    pub fn active_file(&self) -> &WsFile {
        self.file(self.active).unwrap_or(&self.files[0])
    }

    /// Whether the report is of the current text (fixes may be applied).
    pub fn is_current(&self) -> bool {
        self.report.generation == self.generation
    }

    /// The id of the file a finding belongs to.
    pub fn file_of(&self, finding: &UiFinding) -> Option<u32> {
        self.report.ids.get(finding.file).copied()
    }

    /// The findings of one file with their indexes, in position order.
    pub fn findings_of(&self, id: u32) -> impl Iterator<Item = (usize, &UiFinding)> {
        self.report
            .findings
            .iter()
            .enumerate()
            .filter(move |(_, f)| self.report.ids.get(f.file) == Some(&id))
    }

    /// Whether the workspace holds a Dockerfile (per the latest report).
    pub fn is_dockerfile(&self, id: u32) -> bool {
        self.report
            .ids
            .iter()
            .position(|i| *i == id)
            .and_then(|p| self.report.dockerfile.get(p).copied())
            .unwrap_or(false)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    fn blank(&self) -> FileDoc {
        let mut n = 1;
        while self.files.iter().any(|f| f.name == format!("untitled-{n}")) {
            n += 1;
        }
        FileDoc {
            name: format!("untitled-{n}"),
            text: String::new(),
        }
    }

    /// A clean, unique file name (control characters removed, trimmed, not empty).
    fn unique_name(&self, wanted: &str, except: Option<u32>) -> String {
        let clean: String = wanted.chars().filter(|c| !c.is_control()).collect();
        let clean = clean.trim();
        let base = if clean.is_empty() { "untitled" } else { clean };
        let taken = |n: &str| {
            self.files
                .iter()
                .any(|f| f.name == n && Some(f.id) != except)
        };
        if !taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|i| format!("{base} ({i})"))
            .find(|n| !taken(n))
            .expect("some name is free")
    }

    fn add(&mut self, docs: Vec<FileDoc>) -> Option<u32> {
        let mut first = None;
        for doc in docs {
            let name = self.unique_name(&doc.name, None);
            let id = self.next_id;
            self.next_id += 1;
            self.files.push(WsFile {
                id,
                name,
                text: doc.text.into(),
            });
            first.get_or_insert(id);
        }
        first
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            files: self.files.clone(),
            active: self.active,
            pairs: self.pairs.clone(),
        }
    }

    /// Records an undo step before a change to the workspace.
    fn checkpoint(&mut self) {
        self.undo.push(self.snapshot());
        if self.undo.len() > HISTORY {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.typing = None;
    }

    fn restore(&mut self, snapshot: Snapshot) {
        self.files = snapshot.files;
        self.active = snapshot.active;
        self.pairs = snapshot.pairs;
        self.typing = None;
        self.changed();
    }

    /// The workspace changed: analyse again, drop what referred to the old findings.
    fn changed(&mut self) {
        self.generation += 1;
        self.preview = None;
        self.selected = None;
        self.analyse_on_page();
    }

    fn set_text(&mut self, id: u32, text: String) {
        if let Some(file) = self.files.iter_mut().find(|f| f.id == id) {
            file.text = text.into();
        }
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::SetText { file, text } => {
                if self.file(file).is_none_or(|f| *f.text == *text) {
                    return;
                }
                if self.typing != Some(file) {
                    self.checkpoint();
                    self.typing = Some(file);
                }
                self.set_text(file, text);
                self.changed();
            }
            Action::AddFiles(docs) => {
                self.checkpoint();
                let docs = if docs.is_empty() {
                    vec![self.blank()]
                } else {
                    docs
                };
                if let Some(id) = self.add(docs) {
                    self.active = id;
                }
                self.changed();
            }
            Action::RemoveFile(id) => {
                let Some(index) = self.files.iter().position(|f| f.id == id) else {
                    return;
                };
                self.checkpoint();
                self.files.remove(index);
                if self.files.is_empty() {
                    let blank = self.blank();
                    self.add(vec![blank]);
                }
                if self.active == id {
                    self.active = self.files[index.min(self.files.len() - 1)].id;
                }
                self.changed();
            }
            Action::RenameFile { file, name } => {
                let name = self.unique_name(&name, Some(file));
                if self.file(file).is_none_or(|f| f.name == name) {
                    return;
                }
                self.checkpoint();
                if let Some(f) = self.files.iter_mut().find(|f| f.id == file) {
                    f.name = name;
                }
                self.changed();
            }
            Action::SelectFile(id) => {
                if self.file(id).is_some() {
                    self.active = id;
                    self.typing = None;
                }
            }
            Action::ReplaceWorkspace(shared) => {
                self.checkpoint();
                self.files.clear();
                let docs = if shared.files.is_empty() {
                    vec![self.blank()]
                } else {
                    shared.files
                };
                self.active = self.add(docs).unwrap_or(self.active);
                self.pairs = shared.pairs;
                self.changed();
            }
            Action::AnalysisDone(report) => {
                if report.generation < self.report.generation || report.generation > self.generation
                {
                    return;
                }
                self.report = Rc::new(report);
                let count = self.report.findings.len();
                self.selected = self.selected.filter(|s| *s < count);
                self.preview = self.preview.filter(|s| *s < count && self.is_current());
            }
            Action::SelectFinding(index) => self.select(index),
            Action::NextFinding | Action::PreviousFinding => {
                let count = self.report.findings.len();
                if count == 0 {
                    return;
                }
                let next = match (self.selected, action == Action::NextFinding) {
                    (None, true) => self.first_from_active(),
                    (None, false) => count - 1,
                    (Some(s), true) => (s + 1) % count,
                    (Some(s), false) => (s + count - 1) % count,
                };
                self.select(next);
            }
            Action::PreviewFix(index) => {
                if self.fix_target(index).is_some() {
                    self.preview = Some(index);
                    self.selected = Some(index);
                }
            }
            Action::PreviewSelectedFix => {
                let candidate = self
                    .selected
                    .filter(|s| self.fix_target(*s).is_some())
                    .or_else(|| {
                        self.findings_of(self.active)
                            .map(|(i, _)| i)
                            .find(|i| self.fix_target(*i).is_some())
                    });
                if let Some(index) = candidate {
                    self.apply(Action::PreviewFix(index));
                }
            }
            Action::CancelPreview => self.preview = None,
            Action::ApplyFix(index) => {
                let Some((id, fix)) = self.fix_target(index) else {
                    return;
                };
                let text = &self.file(id).expect("fix_target checks the file").text;
                let (fixed, applied) = apply_fixes(text, [&fix.to_engine()]);
                if applied == 0 {
                    self.notice = Some("The fix could not be applied".into());
                    return;
                }
                self.checkpoint();
                self.set_text(id, fixed);
                self.active = id;
                self.notice = Some(format!("Applied: {}", fix.title));
                self.changed();
            }
            Action::ApplyAllSafe(only) => self.apply_all_safe(only),
            Action::Undo => {
                if let Some(snapshot) = self.undo.pop() {
                    self.redo.push(self.snapshot());
                    self.restore(snapshot);
                    self.notice = Some("Undone".into());
                }
            }
            Action::Redo => {
                if let Some(snapshot) = self.redo.pop() {
                    self.undo.push(self.snapshot());
                    self.restore(snapshot);
                    self.notice = Some("Redone".into());
                }
            }
            Action::SetRule { code, choice } => {
                if choice == RuleChoice::default() {
                    self.settings.rules.remove(&code);
                } else {
                    self.settings.rules.insert(code, choice);
                }
                self.changed();
            }
            Action::SetGoVersion(version) => {
                self.settings.go_version = version.trim().to_string();
                self.changed();
            }
            Action::SetRemember(remember) => self.settings.remember = remember,
            Action::ResetSettings => {
                self.settings = Settings {
                    remember: self.settings.remember,
                    ..Settings::default()
                };
                self.changed();
            }
            Action::SetPair { image, dockerfile } => {
                self.checkpoint();
                self.pairs.retain(|p| p.image != image);
                if let Some(dockerfile) = dockerfile {
                    self.pairs.push(PairChoice { image, dockerfile });
                }
                self.changed();
            }
            Action::Notice(notice) => self.notice = notice,
        }
    }

    fn select(&mut self, index: usize) {
        let Some(finding) = self.report.findings.get(index) else {
            return;
        };
        if let Some(id) = self.file_of(finding).filter(|id| self.file(*id).is_some()) {
            self.active = id;
        }
        self.selected = Some(index);
        self.reveal += 1;
        self.typing = None;
    }

    /// The first finding of the active file, else the first one.
    fn first_from_active(&self) -> usize {
        self.findings_of(self.active).next().map_or(0, |(i, _)| i)
    }

    /// The file and fix of a finding, when the findings are of the current text.
    fn fix_target(&self, index: usize) -> Option<(u32, crate::model::UiFix)> {
        if !self.is_current() {
            return None;
        }
        let finding = self.report.findings.get(index)?;
        let id = self
            .file_of(finding)
            .filter(|id| self.file(*id).is_some())?;
        Some((id, finding.fix.clone()?))
    }

    fn apply_all_safe(&mut self, only: Option<u32>) {
        let sources: Vec<SourceFile> = self
            .files
            .iter()
            .map(|f| SourceFile::new(f.name.clone(), f.text.to_string()))
            .collect();
        let config = config_for(&self.settings, &self.pairs, &self.docs());
        let fixed = fix_all(&sources, &config, false);
        let changes: Vec<(u32, String, usize)> = self
            .files
            .iter()
            .zip(fixed)
            .filter(|(f, _)| only.is_none_or(|id| id == f.id))
            .filter(|(f, x)| x.applied > 0 && *x.text != *f.text)
            .map(|(f, x)| (f.id, x.text, x.applied))
            .collect();
        let total: usize = changes.iter().map(|c| c.2).sum();
        if changes.is_empty() {
            self.notice = Some("No safe fixes to apply".into());
            return;
        }
        self.checkpoint();
        for (id, text, _) in changes {
            self.set_text(id, text);
        }
        self.notice = Some(format!(
            "Applied {total} safe fix{}",
            if total == 1 { "" } else { "es" }
        ));
        self.changed();
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests;
