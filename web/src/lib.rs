//! The shoal browser app: a Yew front end that runs the engine in a Web Worker.
//!
//! - [`state`] is the reducer (pure Rust, tested natively); [`model`] holds the data that
//!   crosses to and from the worker and [`model::analyze`] is what the worker runs;
//! - [`share`] encodes the URL fragment (routes and shared workspaces); [`markdown`] parses rule
//!   docs for the safe renderer; [`diff`] previews a fix; [`examples`] are the example workspaces;
//! - [`app`] and [`components`] are the view; [`services`] hold browser-only code (worker,
//!   storage, location, files, clipboard) and the exporters.
//!
//! The same wasm module serves the page ([`run_app`]) and the worker ([`worker_analyze`]).

pub mod app;
pub mod components;
pub mod diff;
pub mod editor_window;
pub mod examples;
pub mod markdown;
pub mod model;
pub mod services;
pub mod share;
pub mod state;

use wasm_bindgen::prelude::*;

/// Starts the app in `<body>`; `worker_url` is the analysis worker's script.
#[wasm_bindgen]
pub fn run_app(worker_url: String) {
    let root = app_root();
    yew::Renderer::<app::App>::with_root_and_props(
        root,
        app::AppProps {
            worker_url: worker_url.into(),
        },
    )
    .render();
}

fn app_root() -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    document
        .get_element_by_id("app")
        .expect("index.html has #app")
}

/// The worker's entry point: a JSON [`model::Request`] in, a [`model::Report`] out in the
/// compact [`model::wire`] format (empty if the request is not one).
#[wasm_bindgen]
pub fn worker_analyze(request: &str) -> Vec<u8> {
    match shoal::json::parse(request)
        .ok()
        .as_ref()
        .and_then(model::Request::from_json)
    {
        Some(request) => model::wire::encode(&model::analyze(&request)),
        None => Vec::new(),
    }
}
