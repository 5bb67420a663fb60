//! The rules' Markdown docs. The app's wasm is built without them (the engine's `docs` feature
//! is off: −41 KB gzipped on the first visit); scripts/build-web.sh writes them as a
//! content-hashed JSON asset (`{"version", "rules": {"GO001": "…"}}`) that index.html names in
//! `<meta name="shoal-docs">`. They are read once, the first time an explanation, a rule page
//! or a SARIF export needs them: from an inline `<script type="application/json"
//! id="shoal-docs">` when there is one (the single-file build, opened from disk), else fetched
//! from that relative URL (same origin; the service worker caches it with the other assets).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Rule code → Markdown.
pub type Docs = HashMap<String, String>;

/// Where the docs are.
#[derive(Clone)]
pub enum Status {
    Loading,
    Ready(Rc<Docs>),
    Failed,
}

enum Load {
    Idle,
    Pending(Vec<Box<dyn FnOnce(Status)>>),
    Done(Status),
}

thread_local! {
    static STATE: RefCell<Load> = const { RefCell::new(Load::Idle) };
}

/// The docs if they are loaded (or failed to load); `Loading` otherwise, without starting.
pub fn current() -> Status {
    STATE.with(|s| match &*s.borrow() {
        Load::Done(status) => status.clone(),
        _ => Status::Loading,
    })
}

/// Calls `done` with the docs (or `Failed`), loading them first if needed. After a failure the
/// next call tries again.
pub fn with_docs(done: impl FnOnce(Status) + 'static) {
    let start = STATE.with(|s| {
        let mut state = s.borrow_mut();
        match &mut *state {
            Load::Done(Status::Ready(docs)) => {
                let docs = Status::Ready(docs.clone());
                drop(state);
                done(docs);
                false
            }
            Load::Pending(waiting) => {
                waiting.push(Box::new(done));
                false
            }
            _ => {
                *state = Load::Pending(vec![Box::new(done)]);
                true
            }
        }
    });
    if start {
        wasm_bindgen_futures::spawn_local(async {
            let status = match load().await {
                Some(docs) => Status::Ready(Rc::new(docs)),
                None => Status::Failed,
            };
            let waiting = STATE.with(|s| {
                match std::mem::replace(&mut *s.borrow_mut(), Load::Done(status.clone())) {
                    Load::Pending(waiting) => waiting,
                    _ => Vec::new(),
                }
            });
            for done in waiting {
                done(status.clone());
            }
        });
    }
}

/// Parses the docs asset (`{"rules": {code: markdown}}`; other members ignored).
pub fn parse(json: &str) -> Option<Docs> {
    let file = shoal::json::parse(json).ok()?;
    file.get("rules")?
        .as_object()?
        .iter()
        .map(|(code, docs)| Some((code.clone(), docs.as_str()?.to_string())))
        .collect()
}

async fn load() -> Option<Docs> {
    let window = web_sys::window()?;
    let document = window.document()?;
    if let Some(inline) = document.get_element_by_id("shoal-docs") {
        return parse(&inline.text_content()?);
    }
    let url = document
        .query_selector("meta[name=shoal-docs]")
        .ok()??
        .get_attribute("content")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    parse(&text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_the_docs_asset() {
        let docs =
            super::parse(r##"{"version":1,"rules":{"GO001":"# Go\n","KS105":"x"}}"##).unwrap();
        assert_eq!((docs.len(), docs["GO001"].as_str()), (2, "# Go\n"));
        assert_eq!(super::parse(r#"{"rules":{"A":1}}"#), None);
        assert_eq!(super::parse(r#"{"version":1}"#), None);
        assert_eq!(super::parse("not json"), None);
    }
}
