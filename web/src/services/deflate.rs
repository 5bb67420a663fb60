//! Share links deflated by the browser (`CompressionStream("deflate-raw")`, as the docs embed
//! makes its links) rather than by a compressor compiled into the wasm (−15 KB of code in the name section).
//! Opening a link still inflates in Rust ([`crate::share::decode`]): synchronous at start, with
//! its size cap.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::share::{self, ShareError, SharedWorkspace};

#[wasm_bindgen]
extern "C" {
    /// `CompressionStream` (web-sys has it only behind `web_sys_unstable_apis`).
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;

    #[wasm_bindgen(js_name = Blob)]
    type BytesBlob;
    #[wasm_bindgen(constructor, js_class = "Blob")]
    fn new(parts: &js_sys::Array) -> BytesBlob;
    #[wasm_bindgen(method)]
    fn stream(this: &BytesBlob) -> Stream;

    #[wasm_bindgen(js_name = ReadableStream)]
    type Stream;
    #[wasm_bindgen(method, js_name = pipeThrough)]
    fn pipe_through(this: &Stream, transform: &CompressionStream) -> Stream;

    #[wasm_bindgen(js_name = Response)]
    type StreamResponse;
    #[wasm_bindgen(constructor, js_class = "Response")]
    fn new(body: &Stream) -> StreamResponse;
    #[wasm_bindgen(method, js_name = arrayBuffer)]
    fn array_buffer(this: &StreamResponse) -> js_sys::Promise;
}

/// `bytes` raw-deflated (RFC 1951, no header); `None` where the browser cannot.
pub async fn deflate_raw(bytes: &[u8]) -> Option<Vec<u8>> {
    let compressor = CompressionStream::new("deflate-raw").ok()?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let stream = BytesBlob::new(&parts).stream().pipe_through(&compressor);
    let buffer = JsFuture::from(StreamResponse::new(&stream).array_buffer())
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(buffer.dyn_ref::<js_sys::ArrayBuffer>()?).to_vec())
}

/// [`share::encode`] with the browser's compressor: `1.<data>` for `?ws=`.
pub async fn encode(workspace: &SharedWorkspace) -> Result<String, ShareError> {
    let packed = deflate_raw(&share::payload(workspace))
        .await
        .ok_or(ShareError::Unsupported)?;
    share::finish(&packed)
}
