//! The URL fragment: reading it, changing it without a navigation, and share links.

use wasm_bindgen::prelude::*;

use crate::share::Route;

fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

/// The current fragment (`#...`, or empty).
pub fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// Replaces the fragment without adding a history entry or firing `hashchange`.
pub fn replace_hash(fragment: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(fragment));
    }
}

/// Navigates to a route (adds a history entry).
pub fn go(route: &Route) {
    let _ = window().location().set_hash(&route.fragment());
}

/// The page URL without its fragment, with `fragment` appended.
pub fn url_with(fragment: &str) -> String {
    let href = window().location().href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}{fragment}")
}

/// Calls `f` on every `hashchange`; the listener lives as long as the page.
pub fn on_hash_change(f: impl Fn(String) + 'static) {
    let closure = Closure::<dyn Fn()>::new(move || f(hash()));
    let _ =
        window().add_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref());
    closure.forget();
}
