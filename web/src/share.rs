//! The URL fragment: a route, optionally followed by a shared workspace.
//!
//! ```text
//! #/                          the workspace
//! #/rules                     every rule
//! #/rules/GO001               one rule's page
//! #/settings                  settings
//! #/?ws=1.<data>              a shared workspace (any route may carry it: #/rules/GO001?ws=1.…)
//! ```
//!
//! `<data>` is base64url (no padding) of the raw-deflated JSON `{"files":[{"name","text"}],
//! "pairs":[{"image","dockerfile"}]}`. The fragment never reaches a server. Opening caps both
//! the encoded size and the inflated size (a guard against decompression bombs).

use shoal::json::Value;

use crate::model::{FileDoc, PairChoice};

/// Longest share fragment accepted or produced (characters of `<data>`).
pub const MAX_ENCODED: usize = 256 * 1024;
/// Largest inflated workspace accepted when opening a link.
pub const MAX_INFLATED: usize = 4 * 1024 * 1024;
/// Format version written before the data.
const FORMAT: &str = "1";

/// Where the app is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Workspace,
    Rules,
    Rule(String),
    Settings,
}

impl Route {
    /// The fragment for this route (with the leading `#`).
    pub fn fragment(&self) -> String {
        match self {
            Route::Workspace => "#/".into(),
            Route::Rules => "#/rules".into(),
            Route::Rule(code) => format!("#/rules/{code}"),
            Route::Settings => "#/settings".into(),
        }
    }
}

/// A parsed fragment: the route and the encoded workspace, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fragment {
    pub route: Route,
    pub workspace: Option<String>,
}

/// Parses `location.hash` (with or without `#`). Unknown routes are the workspace.
pub fn parse_fragment(hash: &str) -> Fragment {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let route = match parts.as_slice() {
        ["rules"] => Route::Rules,
        ["rules", code] if is_code(code) => Route::Rule(code.to_ascii_uppercase()),
        ["settings"] => Route::Settings,
        _ => Route::Workspace,
    };
    let workspace = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("ws="))
        .map(str::to_string)
        // The docs embed's "Open in shoal" link, `#w=<data>`: the same payload without `1.`.
        .or_else(|| {
            path.split('&')
                .find_map(|kv| kv.strip_prefix("w="))
                .map(|d| format!("{FORMAT}.{d}"))
        });
    Fragment { route, workspace }
}

fn is_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 16 && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// What a link carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedWorkspace {
    pub files: Vec<FileDoc>,
    pub pairs: Vec<PairChoice>,
}

impl SharedWorkspace {
    /// `{"files": [{"name", "text"}], "pairs": [{"image", "dockerfile"}]}`: a link's payload
    /// and the remembered workspace (localStorage `shoal.workspace.v1`).
    pub fn to_json(&self) -> Value {
        shoal::object! {
            "files" => Value::Array(self.files.iter().map(FileDoc::to_json).collect()),
            "pairs" => Value::Array(self.pairs.iter().map(PairChoice::to_json).collect()),
        }
    }

    /// `pairs` may be missing (links of the first versions).
    pub fn from_json(value: &Value) -> Option<Self> {
        let files = value.get("files")?.as_array()?;
        let pairs = match value.get("pairs") {
            None => &[][..],
            Some(pairs) => pairs.as_array()?,
        };
        Some(Self {
            files: files
                .iter()
                .map(FileDoc::from_json)
                .collect::<Option<_>>()?,
            pairs: pairs
                .iter()
                .map(PairChoice::from_json)
                .collect::<Option<_>>()?,
        })
    }
}

/// Why a link cannot be made or opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    TooLarge(usize),
    Malformed(&'static str),
    /// The browser has no `CompressionStream("deflate-raw")`.
    Unsupported,
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::TooLarge(n) => write!(
                f,
                "the workspace is too large for a link ({} KB compressed; the limit is {} KB)",
                n / 1024,
                MAX_ENCODED / 1024
            ),
            ShareError::Malformed(why) => write!(f, "the shared link is damaged: {why}"),
            ShareError::Unsupported => write!(f, "this browser cannot make share links"),
        }
    }
}

/// What a link deflates: the workspace's JSON.
pub fn payload(workspace: &SharedWorkspace) -> Vec<u8> {
    workspace.to_json().to_string().into_bytes()
}

/// `1.<data>` for `?ws=` from the deflated [`payload`] (the page deflates with the browser's
/// `CompressionStream`, see [`crate::services::deflate`]).
pub fn finish(packed: &[u8]) -> Result<String, ShareError> {
    let data = base64url_encode(packed);
    if data.len() > MAX_ENCODED {
        return Err(ShareError::TooLarge(data.len()));
    }
    Ok(format!("{FORMAT}.{data}"))
}

/// Decodes what [`encode`] made, refusing oversized input and output.
pub fn decode(encoded: &str) -> Result<SharedWorkspace, ShareError> {
    let data = encoded
        .strip_prefix(FORMAT)
        .and_then(|r| r.strip_prefix('.'))
        .ok_or(ShareError::Malformed("unknown format"))?;
    if data.len() > MAX_ENCODED {
        return Err(ShareError::TooLarge(data.len()));
    }
    let packed = base64url_decode(data).ok_or(ShareError::Malformed("not base64url"))?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED).map_err(|e| {
            match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                    ShareError::Malformed("it inflates past the 4 MB limit")
                }
                _ => ShareError::Malformed("not deflate data"),
            }
        })?;
    std::str::from_utf8(&json)
        .ok()
        .and_then(|json| shoal::json::parse(json).ok())
        .as_ref()
        .and_then(SharedWorkspace::from_json)
        .ok_or(ShareError::Malformed("not a workspace"))
}

/// Encodes a workspace as `1.<data>` for `?ws=` (natively, for the tests: the page uses
/// [`crate::services::deflate::encode`]).
#[cfg(test)]
pub fn encode(workspace: &SharedWorkspace) -> Result<String, ShareError> {
    finish(&miniz_oxide::deflate::compress_to_vec(
        &payload(workspace),
        9,
    ))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Inverse of [`base64url_encode`]; `None` on a character outside the alphabet or a bad length.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| ALPHABET.iter().position(|a| *a == c).map(|p| p as u32);
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_the_docs_embed_link() {
        let ws = SharedWorkspace {
            files: vec![FileDoc {
                name: "a.yaml".into(),
                text: "kind: Pod\n".into(),
            }],
            pairs: vec![],
        };
        let data = encode(&ws).unwrap()[2..].to_string();
        let f = parse_fragment(&format!("#w={data}"));
        assert_eq!(
            (f.route, decode(f.workspace.as_deref().unwrap())),
            (Route::Workspace, Ok(ws))
        );
    }

    #[test]
    fn routes_and_workspace_coexist() {
        assert_eq!(parse_fragment("").route, Route::Workspace);
        assert_eq!(parse_fragment("#/rules").route, Route::Rules);
        let f = parse_fragment("#/rules/go001?ws=1.abc");
        assert_eq!(f.route, Route::Rule("GO001".into()));
        assert_eq!(f.workspace.as_deref(), Some("1.abc"));
        assert_eq!(parse_fragment("#/?ws=1.x").route, Route::Workspace);
        assert_eq!(parse_fragment("#/rules/<script>").route, Route::Workspace);
        for r in [
            Route::Workspace,
            Route::Rules,
            Route::Rule("KS105".into()),
            Route::Settings,
        ] {
            assert_eq!(parse_fragment(&r.fragment()).route, r);
        }
    }

    #[test]
    fn base64url_round_trips() {
        for len in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            let text = base64url_encode(&bytes);
            assert!(!text.contains(['+', '/', '=']));
            assert_eq!(base64url_decode(&text).unwrap(), bytes);
        }
        assert_eq!(base64url_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url_encode(b"fo"), "Zm8");
        assert!(base64url_decode("a").is_none());
        assert!(base64url_decode("ab+c").is_none());
    }

    #[test]
    fn workspace_round_trips() {
        let ws = SharedWorkspace {
            files: vec![FileDoc {
                name: "a <b>.yaml".into(),
                text: "kind: Pod # é😀\n".repeat(50),
            }],
            pairs: vec![PairChoice {
                image: "ghcr.io/acme/api".into(),
                dockerfile: "api/Dockerfile".into(),
            }],
        };
        let encoded = encode(&ws).unwrap();
        assert!(encoded.starts_with("1."));
        assert!(encoded.len() < 200, "compressed: {}", encoded.len());
        assert_eq!(decode(&encoded).unwrap(), ws);
    }

    #[test]
    fn links_of_older_versions_open() {
        // The payload the serde_json-based versions wrote (deflated here by Python's zlib):
        // `{"files":[{"name":"pod.yaml","text":"kind: Pod\nimage: a:latest\n"}],
        // "pairs":[{"image":"a","dockerfile":""}]}`; and one without "pairs" (first version).
        let old = "1.JYw5DoAwDAS_Em0d8QC_gp5QWMSgiBwIUoBQ_o6BdnZnbswhygEabmROAsJWfHdxirCoclYla8ieTF-8yyHxImSYIlc5qstoo8XGYf8b364Kq-3LtMr-9hXorz0";
        assert_eq!(
            decode(old),
            Ok(SharedWorkspace {
                files: vec![FileDoc {
                    name: "pod.yaml".into(),
                    text: "kind: Pod\nimage: a:latest\n".into()
                }],
                pairs: vec![PairChoice {
                    image: "a".into(),
                    dockerfile: String::new()
                }],
            })
        );
        let bare = format!(
            "1.{}",
            base64url_encode(&miniz_oxide::deflate::compress_to_vec(
                br#"{"files":[{"name":"a.yaml","text":"kind: Pod\n"}]}"#,
                9
            ))
        );
        assert_eq!(
            decode(&bare),
            Ok(SharedWorkspace {
                files: vec![FileDoc {
                    name: "a.yaml".into(),
                    text: "kind: Pod\n".into()
                }],
                pairs: vec![],
            })
        );
        let not = format!(
            "1.{}",
            base64url_encode(&miniz_oxide::deflate::compress_to_vec(
                br#"{"files":[{"name":1}]}"#,
                9
            ))
        );
        assert_eq!(decode(&not), Err(ShareError::Malformed("not a workspace")));
    }

    #[test]
    fn the_payload_is_what_serde_json_wrote() {
        let ws = SharedWorkspace {
            files: vec![FileDoc {
                name: "a\"b".into(),
                text: "x\n\u{1}é".into(),
            }],
            pairs: vec![PairChoice {
                image: "i".into(),
                dockerfile: "".into(),
            }],
        };
        assert_eq!(
            ws.to_json().to_string(),
            r#"{"files":[{"name":"a\"b","text":"x\n\u0001é"}],"pairs":[{"image":"i","dockerfile":""}]}"#
        );
    }

    #[test]
    fn decompression_bombs_and_garbage_are_refused() {
        let bomb = vec![b' '; MAX_INFLATED + 1];
        let data = base64url_encode(&miniz_oxide::deflate::compress_to_vec(&bomb, 9));
        assert!(data.len() < 10_000);
        assert!(matches!(
            decode(&format!("1.{data}")),
            Err(ShareError::Malformed(_))
        ));
        assert!(decode("2.abc").is_err());
        assert!(decode("1.!!!").is_err());
        assert!(decode("1.AAAA").is_err());
        let huge = format!("1.{}", "A".repeat(MAX_ENCODED + 4));
        assert!(matches!(decode(&huge), Err(ShareError::TooLarge(_))));
    }
}
