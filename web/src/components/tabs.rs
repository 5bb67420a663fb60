//! The workspace's files as tabs: select, rename (double-click or the ✎ button), remove, add.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What a tab shows.
#[derive(Clone, Debug, PartialEq)]
pub struct TabInfo {
    pub id: u32,
    pub name: String,
    pub dockerfile: bool,
    /// Findings in the file.
    pub count: usize,
}

#[derive(Properties, PartialEq)]
pub struct TabsProps {
    pub tabs: Vec<TabInfo>,
    pub active: u32,
    pub on_select: Callback<u32>,
    pub on_rename: Callback<(u32, String)>,
    pub on_remove: Callback<u32>,
    pub on_add: Callback<()>,
}

#[function_component]
pub fn Tabs(props: &TabsProps) -> Html {
    let editing = use_state(|| None::<u32>);
    let finish = {
        let (editing, on_rename) = (editing.clone(), props.on_rename.clone());
        move |id: u32, input: HtmlInputElement| {
            on_rename.emit((id, input.value()));
            editing.set(None);
        }
    };
    html! {
        <div class="tabs" role="tablist" aria-label="Files">
            { for props.tabs.iter().map(|tab| {
                let id = tab.id;
                let active = id == props.active;
                let kind = if tab.dockerfile { "Dockerfile" } else { "manifest" };
                if *editing == Some(id) {
                    let onkeydown = {
                        let (finish, editing) = (finish.clone(), editing.clone());
                        Callback::from(move |e: KeyboardEvent| {
                            let input = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
                            match (e.key().as_str(), input) {
                                ("Enter", Some(input)) => finish(id, input),
                                ("Escape", _) => editing.set(None),
                                _ => {}
                            }
                        })
                    };
                    let onblur = {
                        let finish = finish.clone();
                        Callback::from(move |e: FocusEvent| {
                            if let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                                finish(id, input);
                            }
                        })
                    };
                    return html! {
                        <span class="tab editing">
                            <input class="rename" data-testid="rename-input" aria-label="File name"
                                   value={tab.name.clone()} {onkeydown} {onblur} autofocus=true />
                        </span>
                    };
                }
                let onclick = props.on_select.reform(move |_: MouseEvent| id);
                let ondblclick = { let editing = editing.clone(); Callback::from(move |_: MouseEvent| editing.set(Some(id))) };
                let rename = { let editing = editing.clone(); Callback::from(move |_: MouseEvent| editing.set(Some(id))) };
                let remove = props.on_remove.reform(move |_: MouseEvent| id);
                html! {
                    <span class={classes!("tab", active.then_some("active"))}>
                        <button role="tab" class="tab-name" data-testid="tab" aria-selected={active.to_string()}
                                title={format!("{} ({kind}); double-click to rename", tab.name)}
                                {onclick} {ondblclick}>
                            <span class={classes!("kind", if tab.dockerfile { "docker" } else { "yaml" })} aria-hidden="true">
                                { if tab.dockerfile { "D" } else { "Y" } }
                            </span>
                            { tab.name.clone() }
                            if tab.count > 0 { <span class="count" aria-label={format!("{} findings", tab.count)}>{ tab.count }</span> }
                        </button>
                        <button class="icon" title="Rename" aria-label={format!("Rename {}", tab.name)} onclick={rename}>{ "✎" }</button>
                        <button class="icon" title="Remove" data-testid="remove-file" aria-label={format!("Remove {}", tab.name)} onclick={remove}>{ "×" }</button>
                    </span>
                }
            }) }
            <button class="add" data-testid="add-file" aria-label="Add a file" title="Add a file"
                    onclick={props.on_add.reform(|_: MouseEvent| ())}>{ "+ File" }</button>
        </div>
    }
}
