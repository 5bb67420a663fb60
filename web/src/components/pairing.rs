//! Which Dockerfile builds each container's image: the engine's default pairing, overridable
//! per image.

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::model::{ContainerInfo, PairChoice};

/// Option value for "use the default pairing".
const DEFAULT: &str = "\u{1}default";

#[derive(Properties, PartialEq)]
pub struct PairingProps {
    pub containers: Vec<ContainerInfo>,
    pub dockerfiles: Vec<String>,
    pub pairs: Vec<PairChoice>,
    /// (image, Some(dockerfile) | Some("") for none | None for default)
    pub on_pair: Callback<(String, Option<String>)>,
}

#[function_component]
pub fn Pairing(props: &PairingProps) -> Html {
    if props.containers.is_empty() || props.dockerfiles.is_empty() {
        return html! {};
    }
    let mut seen = Vec::new();
    html! {
        <details class="pairing" open=true>
            <summary>{ "Dockerfile pairing" }</summary>
            <p class="hint">{ "Facts from a Dockerfile (Go version, base image, USER, EXPOSE) refine the checks of the containers running its image." }</p>
            <table>
                <thead><tr><th scope="col">{ "Container" }</th><th scope="col">{ "Image" }</th><th scope="col">{ "Built by" }</th></tr></thead>
                <tbody>
                { for props.containers.iter().filter(|c| {
                    let key = (c.image_name.clone(), c.name.clone());
                    let fresh = !seen.contains(&key);
                    seen.push(key);
                    fresh
                }).map(|c| {
                    let explicit = props.pairs.iter().find(|p| p.image == c.image_name).map(|p| p.dockerfile.clone());
                    let image = c.image_name.clone();
                    let onchange = props.on_pair.reform(move |e: Event| {
                        let value = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
                        (image.clone(), (value != DEFAULT).then_some(value))
                    });
                    let default_label = match (&explicit, &c.dockerfile) {
                        (None, Some(d)) => format!("default ({d})"),
                        (None, None) => "default (none)".to_string(),
                        _ => "default".to_string(),
                    };
                    html! {
                        <tr data-testid="pair-row" data-image={c.image_name.clone()}>
                            <td>{ c.name.clone() }</td>
                            <td><code>{ c.image.clone() }</code></td>
                            <td>
                                <select aria-label={format!("Dockerfile for {}", c.image)} data-testid="pair-select" {onchange}>
                                    <option value={DEFAULT} selected={explicit.is_none()}>{ default_label }</option>
                                    { for props.dockerfiles.iter().map(|d| html! {
                                        <option value={d.clone()} selected={explicit.as_deref() == Some(d.as_str())}>{ d.clone() }</option>
                                    }) }
                                    <option value="" selected={explicit.as_deref() == Some("")}>{ "none" }</option>
                                </select>
                            </td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </details>
    }
}
