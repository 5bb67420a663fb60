//! Files in and out of the page: reading dropped files, downloading text, the clipboard.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::model::FileDoc;

/// Largest dropped file read (bigger ones are skipped).
pub const MAX_DROPPED: f64 = 8.0 * 1024.0 * 1024.0;

/// Reads the text of dropped files; calls `done` with the files read and how many were skipped.
pub fn read_dropped(list: web_sys::FileList, done: impl FnOnce(Vec<FileDoc>, usize) + 'static) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    wasm_bindgen_futures::spawn_local(async move {
        let mut out = Vec::new();
        let mut skipped = 0;
        for file in files {
            if file.size() > MAX_DROPPED {
                skipped += 1;
                continue;
            }
            match JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string())
            {
                Some(text) => out.push(FileDoc {
                    name: file.name(),
                    text,
                }),
                None => skipped += 1,
            }
        }
        done(out, skipped);
    });
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(anchor) = document
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download(name.rsplit(['/', '\\']).next().unwrap_or(name));
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Copies `text` to the clipboard; `done(true)` on success.
pub fn copy(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(window) = web_sys::window() else {
        return done(false);
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        done(JsFuture::from(promise).await.is_ok());
    });
}
