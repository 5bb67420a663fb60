//! The data the app passes around: files, settings, and the analysis report as it crosses from
//! the analysis worker to the page. The types that are stored, shared or sent to the worker as
//! JSON have hand-written `to_json` / `from_json` ([`shoal::json`]: no serde in the wasm). [`analyze`] is what the worker runs; it is pure Rust and tested natively.

use std::collections::BTreeMap;
use std::rc::Rc;

use shoal::config::{Pair, RuleSetting};
use shoal::goversion::GoVersion;
use shoal::json::{Map, Value};
use shoal::workspace::{ParsedFile, Workspace};
use shoal::{
    Applicability, ColumnEncoding, Config, Edit, Fix, LineIndex, Severity, SourceFile, TextRange,
};

/// One file of the workspace as shared, stored and analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDoc {
    pub name: String,
    pub text: String,
}

/// A user's choice for one rule; `None` keeps the rule's default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleChoice {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// Settings that persist on this device (localStorage): rule choices, the Go version to assume
/// and whether the workspace is remembered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub rules: BTreeMap<String, RuleChoice>,
    /// Go version assumed when the workspace has no Dockerfile (`""`: unknown).
    pub go_version: String,
    /// Remember the workspace on this device.
    pub remember: bool,
}

/// An explicit pairing of a container image with a Dockerfile of the workspace (`dockerfile`
/// empty: never pair this image).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairChoice {
    pub image: String,
    pub dockerfile: String,
}

/// What the worker is asked to analyse.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// Generation of the state the request was made from.
    pub generation: u64,
    /// The files' ids in the page, echoed in the report.
    pub ids: Vec<u32>,
    pub files: Vec<FileDoc>,
    pub settings: Settings,
    pub pairs: Vec<PairChoice>,
}

impl Request {
    /// The engine configuration for this request.
    pub fn config(&self) -> Config {
        config_for(&self.settings, &self.pairs, &self.files)
    }
}

/// The engine configuration from the settings, the workspace's pairings and files. The Go
/// version setting applies only when the workspace has no Dockerfile to tell it.
pub fn config_for(settings: &Settings, pairs: &[PairChoice], files: &[FileDoc]) -> Config {
    let has_dockerfile = files
        .iter()
        .any(|f| shoal::detect_kind(&f.name, &f.text) == shoal::FileKind::Dockerfile);
    Config {
        rules: settings
            .rules
            .iter()
            .map(|(code, c)| {
                (
                    code.clone(),
                    RuleSetting {
                        enabled: c.enabled,
                        severity: c.severity,
                    },
                )
            })
            .collect(),
        go_version: if has_dockerfile {
            None
        } else {
            GoVersion::parse(settings.go_version.trim())
        },
        pairs: pairs
            .iter()
            .map(|p| Pair {
                image: p.image.clone(),
                dockerfile: p.dockerfile.clone(),
            })
            .collect(),
        ..Config::default()
    }
}

/// A fix as the page holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UiFix {
    pub title: Rc<str>,
    pub safe: bool,
    /// `(start, end, replacement)` byte ranges of the analysed text.
    pub edits: Vec<(usize, usize, String)>,
}

impl UiFix {
    pub fn to_engine(&self) -> Fix {
        Fix {
            title: self.title.to_string(),
            applicability: if self.safe {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            },
            edits: self
                .edits
                .iter()
                .map(|(s, e, c)| Edit::replace(TextRange::new(*s, *e), c.clone()))
                .collect(),
        }
    }
}

/// A finding as the page holds it: byte range plus 1-based line/column (UTF-16 columns). The
/// strings are shared: a report decoded from the worker holds each distinct code, name, message
/// and help text once, however many findings repeat it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UiFinding {
    pub code: Rc<str>,
    pub name: Rc<str>,
    pub severity: Severity,
    /// Index of the file in the request.
    pub file: usize,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: Rc<str>,
    pub help: Rc<str>,
    pub fix: Option<UiFix>,
}

/// A container of the manifests and the Dockerfile it is paired with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerInfo {
    pub file: usize,
    pub name: String,
    /// The image as written.
    pub image: String,
    /// The image without tag or digest (what a pairing names).
    pub image_name: String,
    /// Name of the paired Dockerfile.
    pub dockerfile: Option<String>,
}

/// What the worker answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub generation: u64,
    /// The page's ids of the analysed files, in order ([`UiFinding::file`] indexes it).
    pub ids: Vec<u32>,
    pub findings: Vec<UiFinding>,
    /// `true` for a Dockerfile, per file.
    pub dockerfile: Vec<bool>,
    /// Containers and their pairing (only when the workspace has a Dockerfile).
    pub containers: Vec<ContainerInfo>,
    /// Findings silenced by `# shoal-ignore` comments.
    pub suppressed: usize,
}

/// The compact binary form of a [`Report`] the worker sends to the page (decoding JSON for tens
/// of thousands of findings took longer than a frame): LEB128 integers, strings as length +
/// UTF-8 bytes, repeated strings (codes, names, help) as indexes into a table sent once.
pub mod wire {
    use super::{ContainerInfo, Report, UiFinding, UiFix};
    use shoal::Severity;
    use std::collections::HashMap;
    use std::rc::Rc;

    const VERSION: u64 = 1;

    struct Writer<'a> {
        out: Vec<u8>,
        table: HashMap<&'a str, u64>,
    }

    impl<'a> Writer<'a> {
        fn int(&mut self, mut v: u64) {
            loop {
                let byte = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    self.out.push(byte);
                    return;
                }
                self.out.push(byte | 0x80);
            }
        }
        fn str(&mut self, s: &str) {
            self.int(s.len() as u64);
            self.out.extend_from_slice(s.as_bytes());
        }
        /// A string likely to repeat: its table index + 1, or 0 followed by the string.
        fn shared(&mut self, s: &'a str) {
            if let Some(i) = self.table.get(s) {
                let i = *i;
                self.int(i + 1);
            } else {
                let i = self.table.len() as u64;
                self.table.insert(s, i);
                self.int(0);
                self.str(s);
            }
        }
    }

    struct Reader<'a> {
        data: &'a [u8],
        at: usize,
        table: Vec<Rc<str>>,
    }

    impl Reader<'_> {
        fn int(&mut self) -> Option<u64> {
            let mut v = 0u64;
            let mut shift = 0;
            loop {
                let byte = *self.data.get(self.at)?;
                self.at += 1;
                if shift > 63 {
                    return None;
                }
                v |= u64::from(byte & 0x7f) << shift;
                if byte & 0x80 == 0 {
                    return Some(v);
                }
                shift += 7;
            }
        }
        fn usize(&mut self) -> Option<usize> {
            usize::try_from(self.int()?).ok()
        }
        fn str(&mut self) -> Option<String> {
            let len = self.usize()?;
            let end = self.at.checked_add(len)?;
            let bytes = self.data.get(self.at..end)?;
            self.at = end;
            String::from_utf8(bytes.to_vec()).ok()
        }
        /// A string of the table: decoded once, shared by every finding that repeats it.
        fn shared(&mut self) -> Option<Rc<str>> {
            match self.usize()? {
                0 => {
                    let s: Rc<str> = self.str()?.into();
                    self.table.push(s.clone());
                    Some(s)
                }
                i => self.table.get(i - 1).cloned(),
            }
        }
        fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
            let len = self.usize()?;
            // Every item takes at least a byte: a corrupt length cannot reserve much.
            let mut out =
                Vec::with_capacity(len.min(self.data.len() - self.at.min(self.data.len())));
            for _ in 0..len {
                out.push(item(self)?);
            }
            Some(out)
        }
    }

    fn severity(s: Severity) -> u64 {
        match s {
            Severity::Info => 0,
            Severity::Warning => 1,
            Severity::Error => 2,
        }
    }

    /// Encodes a report.
    pub fn encode(report: &Report) -> Vec<u8> {
        let mut w = Writer {
            out: Vec::with_capacity(64 + report.findings.len() * 64),
            table: HashMap::new(),
        };
        w.int(VERSION);
        w.int(report.generation);
        w.int(report.ids.len() as u64);
        for id in &report.ids {
            w.int(u64::from(*id));
        }
        w.int(report.findings.len() as u64);
        for f in &report.findings {
            w.shared(&f.code);
            w.shared(&f.name);
            w.int(severity(f.severity));
            for n in [
                f.file,
                f.start,
                f.end,
                f.line,
                f.column,
                f.end_line,
                f.end_column,
            ] {
                w.int(n as u64);
            }
            w.shared(&f.message);
            w.shared(&f.help);
            match &f.fix {
                None => w.int(0),
                Some(fix) => {
                    w.int(if fix.safe { 2 } else { 1 });
                    w.shared(&fix.title);
                    w.int(fix.edits.len() as u64);
                    for (s, e, c) in &fix.edits {
                        w.int(*s as u64);
                        w.int(*e as u64);
                        w.str(c);
                    }
                }
            }
        }
        w.int(report.dockerfile.len() as u64);
        for d in &report.dockerfile {
            w.int(u64::from(*d));
        }
        w.int(report.containers.len() as u64);
        for c in &report.containers {
            w.int(c.file as u64);
            w.str(&c.name);
            w.str(&c.image);
            w.str(&c.image_name);
            match &c.dockerfile {
                None => w.int(0),
                Some(d) => {
                    w.int(1);
                    w.str(d);
                }
            }
        }
        w.int(report.suppressed as u64);
        w.out
    }

    /// Decodes what [`encode`] wrote; `None` if it is not a report.
    pub fn decode(data: &[u8]) -> Option<Report> {
        let mut r = Reader {
            data,
            at: 0,
            table: Vec::new(),
        };
        if r.int()? != VERSION {
            return None;
        }
        let generation = r.int()?;
        let ids = r.list(|r| u32::try_from(r.int()?).ok())?;
        let findings = r.list(|r| {
            let code = r.shared()?;
            let name = r.shared()?;
            let severity = match r.int()? {
                0 => Severity::Info,
                1 => Severity::Warning,
                2 => Severity::Error,
                _ => return None,
            };
            let mut n = [0usize; 7];
            for x in &mut n {
                *x = r.usize()?;
            }
            let message = r.shared()?;
            let help = r.shared()?;
            let fix = match r.int()? {
                0 => None,
                k @ (1 | 2) => {
                    let title = r.shared()?;
                    let edits = r.list(|r| Some((r.usize()?, r.usize()?, r.str()?)))?;
                    Some(UiFix {
                        title,
                        safe: k == 2,
                        edits,
                    })
                }
                _ => return None,
            };
            let [file, start, end, line, column, end_line, end_column] = n;
            Some(UiFinding {
                code,
                name,
                severity,
                file,
                start,
                end,
                line,
                column,
                end_line,
                end_column,
                message,
                help,
                fix,
            })
        })?;
        let dockerfile = r.list(|r| Some(r.int()? != 0))?;
        let containers = r.list(|r| {
            Some(ContainerInfo {
                file: r.usize()?,
                name: r.str()?,
                image: r.str()?,
                image_name: r.str()?,
                dockerfile: match r.int()? {
                    0 => None,
                    _ => Some(r.str()?),
                },
            })
        })?;
        let suppressed = r.usize()?;
        (r.at == data.len()).then_some(Report {
            generation,
            ids,
            findings,
            dockerfile,
            containers,
            suppressed,
        })
    }
}

/// Runs the engine on a request.
pub fn analyze(request: &Request) -> Report {
    let files: Vec<SourceFile> = request
        .files
        .iter()
        .map(|f| SourceFile::new(f.name.clone(), f.text.clone()))
        .collect();
    let config = request.config();
    let analysis = shoal::analyze(&files, &config);
    let indexes: Vec<LineIndex> = files.iter().map(|f| LineIndex::new(&f.text)).collect();
    let findings = analysis
        .findings
        .into_iter()
        .map(|f| {
            let text = &files[f.file].text;
            let index = &indexes[f.file];
            let start = index.line_col(text, f.range.start(), ColumnEncoding::Utf16);
            let end = index.line_col(text, f.range.end(), ColumnEncoding::Utf16);
            UiFinding {
                code: f.code.into(),
                name: f.name.into(),
                severity: f.severity,
                file: f.file,
                start: f.range.start(),
                end: f.range.end(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                message: f.message.into(),
                help: f.help.as_ref().into(),
                fix: f.fix.map(|fix| UiFix {
                    title: fix.title.into(),
                    safe: fix.applicability == Applicability::Safe,
                    edits: fix
                        .edits
                        .into_iter()
                        .map(|e| (e.range.start(), e.range.end(), e.content))
                        .collect(),
                }),
            }
        })
        .collect();
    let dockerfile: Vec<bool> = analysis
        .kinds
        .iter()
        .map(|k| *k == shoal::FileKind::Dockerfile)
        .collect();
    let containers = if dockerfile.iter().any(|d| *d) {
        containers(&files, &config)
    } else {
        Vec::new()
    };
    Report {
        generation: request.generation,
        ids: request.ids.clone(),
        findings,
        dockerfile,
        containers,
        suppressed: analysis.suppressed.len(),
    }
}

fn containers(files: &[SourceFile], config: &Config) -> Vec<ContainerInfo> {
    let parsed: Vec<ParsedFile> = files.iter().map(ParsedFile::parse).collect();
    let ws = Workspace::new(&parsed, config);
    ws.containers
        .iter()
        .map(|c| ContainerInfo {
            file: ws.file_of(c),
            name: c.display_name().to_string(),
            image: c
                .image
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            image_name: c.image.as_ref().map(|i| i.name()).unwrap_or_default(),
            dockerfile: c
                .dockerfile
                .map(|d| ws.files[ws.dockerfiles[d].file].name.to_string()),
        })
        .collect()
}

/// A string member of an object.
fn string(value: &Value, key: &str) -> Option<String> {
    value.get(key)?.as_str().map(str::to_string)
}

/// An array member of an object, each item read with `item` (`None` if any item is not one).
fn list<T>(value: &Value, key: &str, item: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    value.get(key)?.as_array()?.iter().map(item).collect()
}

fn array<T>(items: &[T], item: impl Fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(item).collect())
}

impl FileDoc {
    /// `{"name", "text"}`.
    pub fn to_json(&self) -> Value {
        shoal::object! { "name" => &self.name, "text" => &self.text }
    }

    pub fn from_json(value: &Value) -> Option<Self> {
        Some(Self {
            name: string(value, "name")?,
            text: string(value, "text")?,
        })
    }
}

impl PairChoice {
    /// `{"image", "dockerfile"}`.
    pub fn to_json(&self) -> Value {
        shoal::object! { "image" => &self.image, "dockerfile" => &self.dockerfile }
    }

    pub fn from_json(value: &Value) -> Option<Self> {
        Some(Self {
            image: string(value, "image")?,
            dockerfile: string(value, "dockerfile")?,
        })
    }
}

impl RuleChoice {
    /// `{"enabled"?, "severity"?}`: members left out when `None`.
    pub fn to_json(&self) -> Value {
        let mut members = Map::default();
        if let Some(enabled) = self.enabled {
            members.insert("enabled", enabled);
        }
        if let Some(severity) = self.severity {
            members.insert("severity", severity.as_str());
        }
        Value::Object(members)
    }

    /// Missing or `null` members are `None`, as is an unknown severity.
    pub fn from_json(value: &Value) -> Option<Self> {
        value.as_object()?;
        let enabled = match value.get("enabled") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return None,
        };
        let severity = match value.get("severity") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Severity::parse(s),
            Some(_) => return None,
        };
        Some(Self { enabled, severity })
    }
}

impl Settings {
    /// `{"rules": {code: choice}, "go_version", "remember"}` (localStorage `shoal.settings.v1`).
    pub fn to_json(&self) -> Value {
        let rules = Map(self
            .rules
            .iter()
            .map(|(code, choice)| (code.clone(), choice.to_json()))
            .collect());
        shoal::object! {
            "rules" => rules,
            "go_version" => &self.go_version,
            "remember" => self.remember,
        }
    }

    /// Every member is optional (its default when missing); one of the wrong type is refused.
    pub fn from_json(value: &Value) -> Option<Self> {
        value.as_object()?;
        let rules = match value.get("rules") {
            None => BTreeMap::new(),
            Some(rules) => rules
                .as_object()?
                .iter()
                .map(|(code, choice)| Some((code.clone(), RuleChoice::from_json(choice)?)))
                .collect::<Option<_>>()?,
        };
        let go_version = match value.get("go_version") {
            None => String::new(),
            Some(v) => v.as_str()?.to_string(),
        };
        let remember = match value.get("remember") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return None,
        };
        Some(Self {
            rules,
            go_version,
            remember,
        })
    }
}

impl Request {
    /// `{"generation", "ids", "files", "settings", "pairs"}` (page → worker).
    pub fn to_json(&self) -> Value {
        shoal::object! {
            "generation" => self.generation,
            "ids" => array(&self.ids, |id| Value::from(*id)),
            "files" => array(&self.files, FileDoc::to_json),
            "settings" => self.settings.to_json(),
            "pairs" => array(&self.pairs, PairChoice::to_json),
        }
    }

    pub fn from_json(value: &Value) -> Option<Self> {
        Some(Self {
            generation: value.get("generation")?.as_u64()?,
            ids: list(value, "ids", |id| u32::try_from(id.as_u64()?).ok())?,
            files: list(value, "files", FileDoc::from_json)?,
            settings: Settings::from_json(value.get("settings")?)?,
            pairs: list(value, "pairs", PairChoice::from_json)?,
        })
    }
}

/// Settings that enable only these rules (for tests that look at one rule at a time).
#[cfg(test)]
pub fn only(codes: &[&str]) -> Settings {
    let rules = shoal::rules()
        .into_iter()
        .map(|r| {
            let enabled = codes.contains(&r.code);
            (
                r.code.to_string(),
                RuleChoice {
                    enabled: Some(enabled),
                    severity: None,
                },
            )
        })
        .collect();
    Settings {
        rules,
        ..Settings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(files: &[(&str, &str)]) -> Request {
        Request {
            generation: 7,
            ids: (0..files.len() as u32).collect(),
            files: files
                .iter()
                .map(|(n, t)| FileDoc {
                    name: n.to_string(),
                    text: t.to_string(),
                })
                .collect(),
            settings: Settings::default(),
            pairs: Vec::new(),
        }
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: \"é😀/api:latest\"\n";

    #[test]
    fn report_has_utf16_columns() {
        let report = analyze(&request(&[("pod.yaml", POD)]));
        assert_eq!(report.generation, 7);
        let f = report
            .findings
            .iter()
            .find(|f| &*f.code == "KS105")
            .unwrap();
        assert_eq!((f.line, f.column), (7, 12));
        assert_eq!(&POD[f.start..f.end], "\"é😀/api:latest\"");
        assert_eq!(f.end_column, 28);
    }

    #[test]
    fn report_round_trips_through_the_wire_format() {
        let docker = "FROM golang:1.22 AS b\nRUN go build -o /app\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT [\"/app\"]\n";
        let report = analyze(&request(&[("pod.yaml", POD), ("api/Dockerfile", docker)]));
        assert!(report.findings.iter().any(|f| f.fix.is_some()));
        assert!(!report.containers.is_empty());
        let bytes = wire::encode(&report);
        assert_eq!(wire::decode(&bytes), Some(report));
        for cut in 0..bytes.len() {
            assert_eq!(wire::decode(&bytes[..cut]), None);
        }
        assert_eq!(wire::decode(&[]), None);
    }

    #[test]
    fn disabled_rule_is_not_reported() {
        let mut req = request(&[("pod.yaml", POD)]);
        req.settings.rules.insert(
            "KS105".into(),
            RuleChoice {
                enabled: Some(false),
                severity: None,
            },
        );
        assert!(analyze(&req).findings.iter().all(|f| &*f.code != "KS105"));
        req.settings.rules.insert(
            "KS105".into(),
            RuleChoice {
                enabled: None,
                severity: Some(Severity::Error),
            },
        );
        let report = analyze(&req);
        let f = report
            .findings
            .iter()
            .find(|f| &*f.code == "KS105")
            .unwrap();
        assert_eq!(f.severity, Severity::Error);
    }

    #[test]
    fn containers_show_their_pairing() {
        let docker = "FROM golang:1.22 AS b\nRUN go build -o /app\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT [\"/app\"]\n";
        let report = analyze(&request(&[("pod.yaml", POD), ("api/Dockerfile", docker)]));
        assert_eq!(report.dockerfile, [false, true]);
        assert_eq!(report.containers.len(), 1);
        assert_eq!(
            report.containers[0].dockerfile.as_deref(),
            Some("api/Dockerfile")
        );
        let mut req = request(&[("pod.yaml", POD), ("api/Dockerfile", docker)]);
        req.pairs.push(PairChoice {
            image: report.containers[0].image_name.clone(),
            dockerfile: String::new(),
        });
        assert_eq!(analyze(&req).containers[0].dockerfile, None);
    }

    #[test]
    fn go_version_setting_applies_only_without_dockerfile() {
        let settings = Settings {
            go_version: "1.22".into(),
            ..Settings::default()
        };
        let yaml = FileDoc {
            name: "a.yaml".into(),
            text: POD.into(),
        };
        let docker = FileDoc {
            name: "Dockerfile".into(),
            text: "FROM golang:1.20\n".into(),
        };
        assert!(config_for(&settings, &[], std::slice::from_ref(&yaml))
            .go_version
            .is_some());
        assert!(config_for(&settings, &[], &[yaml, docker])
            .go_version
            .is_none());
    }

    fn parse(text: &str) -> Value {
        shoal::json::parse(text).unwrap()
    }

    #[test]
    fn request_round_trips_through_json() {
        let mut req = request(&[("pod.yaml", POD), ("a \"b\".yaml", "x: é😀\n\t")]);
        req.ids = vec![3, u32::MAX];
        req.generation = u64::MAX;
        req.settings = only(&["KS105"]);
        req.settings.go_version = "1.22".into();
        req.settings.remember = true;
        req.settings.rules.get_mut("KS105").unwrap().severity = Some(Severity::Info);
        req.pairs.push(PairChoice {
            image: "ghcr.io/acme/api".into(),
            dockerfile: String::new(),
        });
        let json = req.to_json().to_string();
        assert_eq!(Request::from_json(&parse(&json)), Some(req));
        assert_eq!(Request::from_json(&parse("{}")), None);
        assert_eq!(
            Request::from_json(&parse(
                r#"{"generation":1,"ids":[-1],"files":[],"settings":{},"pairs":[]}"#
            )),
            None
        );
    }

    #[test]
    fn settings_keep_the_json_shape_serde_wrote() {
        // As the serde-based versions stored them in localStorage.
        let old = r#"{"rules":{"GO001":{"enabled":false},"KS105":{"severity":"error"},"KS101":{"enabled":true,"severity":"info"},"X1":{"severity":"bogus"},"X2":{}},"go_version":"1.21","remember":true}"#;
        let settings = Settings::from_json(&parse(old)).unwrap();
        let choice = |enabled, severity| RuleChoice { enabled, severity };
        assert_eq!(settings.rules["GO001"], choice(Some(false), None));
        assert_eq!(settings.rules["KS105"], choice(None, Some(Severity::Error)));
        assert_eq!(
            settings.rules["KS101"],
            choice(Some(true), Some(Severity::Info))
        );
        assert_eq!(settings.rules["X1"], choice(None, None));
        assert_eq!(settings.rules["X2"], choice(None, None));
        assert_eq!(
            (settings.go_version.as_str(), settings.remember),
            ("1.21", true)
        );
        // Written back, the same text (members in the same order, `None`s left out).
        let written = r#"{"rules":{"GO001":{"enabled":false},"KS101":{"enabled":true,"severity":"info"},"KS105":{"severity":"error"}},"go_version":"1.21","remember":true}"#;
        let mut kept = settings.clone();
        kept.rules.remove("X1");
        kept.rules.remove("X2");
        assert_eq!(kept.to_json().to_string(), written);
        assert_eq!(Settings::from_json(&parse(written)), Some(kept));
        // Members are optional; `null` choices are `None`.
        assert_eq!(Settings::from_json(&parse("{}")), Some(Settings::default()));
        let nulls = Settings::from_json(&parse(
            r#"{"rules":{"A":{"enabled":null,"severity":null}}}"#,
        ))
        .unwrap();
        assert_eq!(nulls.rules["A"], choice(None, None));
        // Wrong types are refused (the app then uses the defaults).
        for bad in [
            "[]",
            r#"{"remember":1}"#,
            r#"{"go_version":2}"#,
            r#"{"rules":[]}"#,
            r#"{"rules":{"A":{"enabled":"no"}}}"#,
        ] {
            assert_eq!(Settings::from_json(&parse(bad)), None, "{bad}");
        }
    }

    #[test]
    fn files_and_pairs_round_trip() {
        let file = FileDoc {
            name: "n".into(),
            text: "t\u{0}\"".into(),
        };
        assert_eq!(FileDoc::from_json(&file.to_json()), Some(file));
        assert_eq!(
            FileDoc::from_json(&parse(r#"{"name":"a","text":"b","extra":1}"#)).map(|f| f.text),
            Some("b".into())
        );
        assert_eq!(FileDoc::from_json(&parse(r#"{"name":"a"}"#)), None);
        let pair = PairChoice {
            image: "i".into(),
            dockerfile: "d".into(),
        };
        assert_eq!(PairChoice::from_json(&pair.to_json()), Some(pair));
        assert_eq!(
            PairChoice::from_json(&parse(r#"{"image":"a","dockerfile":null}"#)),
            None
        );
    }
}
