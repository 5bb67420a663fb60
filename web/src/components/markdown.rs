//! Renders rule docs ([`crate::markdown`]) as VDOM. Every piece of text becomes a text node;
//! links are kept only for http(s) targets and open in a new tab without a referrer.

use yew::prelude::*;

use crate::markdown::{parse, Block, Inline};
use crate::services::docs::{self, Status};

#[derive(Properties, PartialEq)]
pub struct MarkdownProps {
    pub source: AttrValue,
    /// Heading levels are shifted by this much (a doc's `##` becomes `h3` when 1).
    #[prop_or(0)]
    pub shift: u8,
}

#[function_component]
pub fn Markdown(props: &MarkdownProps) -> Html {
    let blocks = use_memo(props.source.clone(), |source| parse(source));
    html! { <div class="doc">{ for blocks.iter().map(|b| block(b, props.shift)) }</div> }
}

#[derive(Properties, PartialEq)]
pub struct RuleDocsProps {
    /// The rule's code, e.g. `GO001`.
    pub code: AttrValue,
    /// As [`MarkdownProps::shift`].
    #[prop_or(0)]
    pub shift: u8,
}

/// A rule's docs, loaded on first use ([`docs`]): a short "loading" line until they are, an
/// error line if they cannot be.
#[function_component]
pub fn RuleDocs(props: &RuleDocsProps) -> Html {
    // After a failed load, this (re)opened view tries again: "loading" until it is known.
    let status = use_state(|| match docs::current() {
        Status::Failed => Status::Loading,
        known => known,
    });
    {
        let status = status.clone();
        use_effect_with((), move |_| {
            if !matches!(*status, Status::Ready(_)) {
                docs::with_docs(move |loaded| status.set(loaded));
            }
        });
    }
    match &*status {
        Status::Loading => html! {
            <p class="doc-status" data-testid="docs-loading" aria-live="polite">{ "Loading the explanation…" }</p>
        },
        Status::Failed => html! {
            <p class="doc-status" data-testid="docs-error" role="alert">
                { "The rule documentation could not be loaded. Check the connection and open it again." }
            </p>
        },
        Status::Ready(all) => match all.get(props.code.as_str()) {
            Some(source) => {
                html! { <Markdown source={AttrValue::from(source.clone())} shift={props.shift} /> }
            }
            None => html! { <p class="doc-status">{ "No documentation for this rule." }</p> },
        },
    }
}

fn block(block: &Block, shift: u8) -> Html {
    match block {
        Block::Heading(level, content) => {
            let tag = format!("h{}", (level + shift).clamp(2, 6));
            html! { <@{tag}>{ inlines(content) }</@> }
        }
        Block::Paragraph(content) => html! { <p>{ inlines(content) }</p> },
        Block::List {
            ordered: false,
            items,
        } => {
            html! { <ul>{ for items.iter().map(|i| html! { <li>{ inlines(i) }</li> }) }</ul> }
        }
        Block::List {
            ordered: true,
            items,
        } => {
            html! { <ol>{ for items.iter().map(|i| html! { <li>{ inlines(i) }</li> }) }</ol> }
        }
        Block::Code { info, text } => {
            let mut words = info.split_whitespace();
            let language = words.next().unwrap_or("").to_string();
            let verdict = words.next().unwrap_or("").to_string();
            let label = match verdict.as_str() {
                "bad" => "Problem",
                "good" => "Better",
                _ => "",
            };
            html! {
                <figure class={classes!("example", verdict.clone())}>
                    if !label.is_empty() {
                        <figcaption>{ format!("{label} ({language})") }</figcaption>
                    }
                    <pre><code>{ text.clone() }</code></pre>
                </figure>
            }
        }
    }
}

fn inlines(content: &[Inline]) -> Html {
    html! { for content.iter().map(inline) }
}

fn inline(node: &Inline) -> Html {
    match node {
        Inline::Text(text) => Html::from(text.clone()),
        Inline::Code(code) => html! { <code>{ code.clone() }</code> },
        Inline::Strong(inner) => html! { <strong>{ inlines(inner) }</strong> },
        Inline::Emphasis(inner) => html! { <em>{ inlines(inner) }</em> },
        Inline::Link {
            href: Some(href),
            label,
        } => html! {
            <a href={href.clone()} target="_blank" rel="noopener noreferrer">{ inlines(label) }</a>
        },
        Inline::Link { href: None, label } => html! { <span>{ inlines(label) }</span> },
    }
}

/// A finding's message or help: plain text whose `code spans` are shown as code (nothing else
/// of Markdown: messages quote names and values from the pasted files). With an odd number of
/// backticks the text is shown as it is.
pub fn code_spans(text: &str) -> Html {
    if text.matches('`').count() % 2 == 1 {
        return Html::from(text.to_string());
    }
    html! {
        for text.split('`').enumerate().filter(|(_, part)| !part.is_empty()).map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part.to_string() }</code> }
            } else {
                Html::from(part.to_string())
            }
        })
    }
}
