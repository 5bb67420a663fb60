//! What the app remembers on this device (localStorage): settings always, the workspace only
//! when the user turns "Remember workspace" on. "Forget" removes both keys.

use crate::model::Settings;
use crate::share::SharedWorkspace;

const SETTINGS: &str = "shoal.settings.v1";
const WORKSPACE: &str = "shoal.workspace.v1";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load(key: &str) -> Option<shoal::json::Value> {
    shoal::json::parse(&storage()?.get_item(key).ok()??).ok()
}

fn save(key: &str, value: &shoal::json::Value) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, &value.to_string());
    }
}

pub fn load_settings() -> Settings {
    load(SETTINGS)
        .as_ref()
        .and_then(Settings::from_json)
        .unwrap_or_default()
}

pub fn save_settings(settings: &Settings) {
    save(SETTINGS, &settings.to_json());
}

pub fn load_workspace() -> Option<SharedWorkspace> {
    SharedWorkspace::from_json(&load(WORKSPACE)?)
}

pub fn save_workspace(workspace: &SharedWorkspace) {
    save(WORKSPACE, &workspace.to_json());
}

/// Removes the remembered workspace.
pub fn forget_workspace() {
    cancel_save();
    if let Some(storage) = storage() {
        let _ = storage.remove_item(WORKSPACE);
    }
}

/// Removes everything the app stored.
pub fn forget_all() {
    forget_workspace();
    if let Some(storage) = storage() {
        let _ = storage.remove_item(SETTINGS);
    }
}

/// A scheduled save: the timer handle and the callback it will run.
type Timer = (i32, wasm_bindgen::closure::Closure<dyn FnMut()>);

thread_local! {
    static PENDING_SAVE: std::cell::RefCell<Option<Timer>> = const { std::cell::RefCell::new(None) };
}

/// Saves the workspace after a quiet second (typing does not write on every keystroke).
pub fn save_workspace_soon(workspace: SharedWorkspace) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    PENDING_SAVE.with(|pending| {
        if let Some((handle, _)) = pending.borrow_mut().take() {
            window.clear_timeout_with_handle(handle);
        }
        let closure =
            wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || save_workspace(&workspace));
        if let Ok(handle) = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            closure.as_ref().unchecked_ref(),
            1000,
        ) {
            *pending.borrow_mut() = Some((handle, closure));
        }
    });
}

/// Cancels a pending [`save_workspace_soon`].
pub fn cancel_save() {
    PENDING_SAVE.with(|pending| {
        if let (Some((handle, _)), Some(window)) = (pending.borrow_mut().take(), web_sys::window())
        {
            window.clear_timeout_with_handle(handle);
        }
    });
}
