//! The fix preview: a dialog with the lines a fix removes and adds, in context; confirming
//! applies it.

use yew::prelude::*;

use super::markdown::code_spans;
use crate::diff::{Change, Preview};

#[derive(Properties, PartialEq)]
pub struct FixPreviewProps {
    pub title: AttrValue,
    pub file: AttrValue,
    pub safe: bool,
    pub preview: Option<Preview>,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
}

#[function_component]
pub fn FixPreview(props: &FixPreviewProps) -> Html {
    let confirm = use_node_ref();
    {
        let confirm = confirm.clone();
        use_effect_with((), move |_| {
            if let Some(button) = confirm.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let onkeydown = {
        let cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                cancel.emit(());
            }
        })
    };
    html! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="fix-title" data-testid="fix-preview" {onkeydown}>
                <h2 id="fix-title">{ "Apply fix: " }{ code_spans(&props.title) }</h2>
                if !props.safe {
                    <p class="warning-note">{ "This fix is marked unsafe: it may change behaviour. Review it." }</p>
                }
                if let Some(p) = &props.preview {
                    <p class="where">{ format!("{}, line {}", props.file, p.first_line) }</p>
                    <pre class="diff" aria-label="Changes">
                        { for p.lines.iter().map(|l| {
                            let n = |n: Option<usize>| n.map_or(String::new(), |n| n.to_string());
                            let (class, sign) = match l.change {
                                Change::Same => ("ctx", ' '),
                                Change::Removed => ("del", '-'),
                                Change::Added => ("ins", '+'),
                            };
                            html! {
                                <span {class}>{ format!("{:>4} {:>4} {sign} {}\n", n(l.old), n(l.new), l.text) }</span>
                            }
                        }) }
                    </pre>
                } else {
                    <p>{ "This fix no longer applies to the text." }</p>
                }
                <div class="buttons">
                    <button class="primary" ref={confirm} data-testid="confirm-fix" disabled={props.preview.is_none()}
                            onclick={props.on_confirm.reform(|_: MouseEvent| ())}>{ "Apply" }</button>
                    <button data-testid="cancel-fix" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                </div>
            </div>
        </div>
    }
}
