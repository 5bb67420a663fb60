//! The app: owns the state (a reducer), the analysis worker, the route and the global keys.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::components::editor::Editor;
use crate::components::findings::{FileFindings, Findings};
use crate::components::fix_preview::FixPreview;
use crate::components::pairing::Pairing;
use crate::components::rules::Rules;
use crate::components::settings::Settings;
use crate::components::tabs::{TabInfo, Tabs};
use crate::components::toolbar::{Export, Toolbar};
use crate::model::{FileDoc, RuleChoice};
use crate::services::{
    analyzer::Analyzer, deflate, docs as rule_docs, export, files, location, storage,
};
use crate::share::{self, parse_fragment, Route, SharedWorkspace};
use crate::state::{Action, State, PAGE_ANALYSIS_LIMIT};

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// URL of the analysis worker script.
    pub worker_url: AttrValue,
}

/// The state at start: settings from this device; the workspace from a share link, else the
/// remembered one.
fn initial_state() -> State {
    let settings = storage::load_settings();
    let fragment = parse_fragment(&location::hash());
    let mut notice = None;
    let shared = match fragment.workspace.as_deref().map(share::decode) {
        Some(Ok(ws)) => {
            notice = Some("Opened the shared workspace".to_string());
            Some(ws)
        }
        Some(Err(e)) => {
            notice = Some(e.to_string());
            None
        }
        None => None,
    };
    let shared = shared.or_else(|| settings.remember.then(storage::load_workspace).flatten());
    let SharedWorkspace { files, pairs } = shared.unwrap_or_default();
    let mut state = State::new(settings, files, pairs).with_page_analysis(PAGE_ANALYSIS_LIMIT);
    state.notice = notice;
    state
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let state = use_reducer(initial_state);
    let route = use_state(|| parse_fragment(&location::hash()).route);
    let share_url = use_state(|| None::<String>);

    let analyzer = {
        let dispatcher = state.dispatcher();
        let url = props.worker_url.clone();
        use_memo((), move |_| {
            Analyzer::new(
                &url,
                Callback::from(move |r| dispatcher.dispatch(Action::AnalysisDone(r))),
            )
        })
    };
    {
        let (state, analyzer) = (state.clone(), analyzer.clone());
        // Small workspaces were analysed by the reducer already (the report is current).
        use_effect_with(state.generation, move |_| {
            if state.is_current() {
                analyzer.drop_pending();
            } else {
                analyzer.analyze(state.request());
            }
        });
    }
    use_effect_with(state.settings.clone(), |settings| {
        storage::save_settings(settings)
    });
    {
        let state = state.clone();
        use_effect_with(
            (state.generation, state.settings.remember),
            move |(_, remember)| {
                if *remember {
                    storage::save_workspace_soon(state.shared());
                }
            },
        );
    }
    {
        // Routes and share links opened while the page is open; the share data leaves the URL
        // once read, so the address bar never keeps a copy of the workspace.
        let (route, dispatcher) = (route.clone(), state.dispatcher());
        use_effect_with((), move |_| {
            let strip = |fragment: &share::Fragment| {
                if fragment.workspace.is_some() {
                    location::replace_hash(&fragment.route.fragment());
                }
            };
            strip(&parse_fragment(&location::hash()));
            location::on_hash_change(move |hash| {
                let fragment = parse_fragment(&hash);
                if let Some(encoded) = &fragment.workspace {
                    match share::decode(encoded) {
                        Ok(ws) => {
                            dispatcher.dispatch(Action::ReplaceWorkspace(ws));
                            dispatcher.dispatch(Action::Notice(Some(
                                "Opened the shared workspace".into(),
                            )));
                        }
                        Err(e) => dispatcher.dispatch(Action::Notice(Some(e.to_string()))),
                    }
                    strip(&fragment);
                }
                route.set(fragment.route);
            });
        });
    }
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
                let action = match (
                    e.key().as_str(),
                    e.shift_key(),
                    e.alt_key(),
                    e.ctrl_key() || e.meta_key(),
                ) {
                    ("F8", false, _, _) | ("ArrowDown", _, true, false) => {
                        Some(Action::NextFinding)
                    }
                    ("F8", true, _, _) | ("ArrowUp", _, true, false) => {
                        Some(Action::PreviousFinding)
                    }
                    (".", _, _, true) => Some(Action::PreviewSelectedFix),
                    ("Escape", _, _, _) => Some(Action::CancelPreview),
                    _ => None,
                };
                if let Some(action) = action {
                    e.prevent_default();
                    dispatcher.dispatch(action);
                }
            });
            if let Some(window) = web_sys::window() {
                let _ = window
                    .add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            listener.forget();
        });
    }

    let dispatch = |action: fn(u32) -> Action| {
        let d = state.dispatcher();
        Callback::from(move |id: u32| d.dispatch(action(id)))
    };
    let send = {
        let d = state.dispatcher();
        move |action: Action| d.dispatch(action)
    };
    let notice = {
        let d = state.dispatcher();
        move |text: String| d.dispatch(Action::Notice(Some(text)))
    };

    let on_share = {
        let (state, share_url, notice) = (state.clone(), share_url.clone(), notice.clone());
        Callback::from(move |_| {
            let (shared, share_url, notice) = (state.shared(), share_url.clone(), notice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match deflate::encode(&shared).await {
                    Ok(encoded) => {
                        let url = location::url_with(&format!("#/?ws={encoded}"));
                        let notice = notice.clone();
                        files::copy(&url, move |ok| {
                            notice(if ok {
                                "Link copied: it holds the workspace; nothing is uploaded".into()
                            } else {
                                "Copy the link below".into()
                            })
                        });
                        share_url.set(Some(url));
                    }
                    Err(e) => notice(e.to_string()),
                }
            });
        })
    };
    let on_export = {
        let (state, notice) = (state.clone(), notice.clone());
        Callback::from(move |format: Export| {
            let docs: Vec<FileDoc> = state.request().files;
            let findings = &state.report.findings;
            let active = state.active_file();
            match format {
                Export::Json => files::download(
                    "shoal-findings.json",
                    &export::to_json(&docs, findings),
                    "application/json",
                ),
                Export::Sarif => {
                    // With the rules' docs as help: loaded first if this is their first use.
                    let findings = state.report.clone();
                    rule_docs::with_docs(move |status| {
                        let loaded = match &status {
                            rule_docs::Status::Ready(all) => Some(&**all),
                            _ => None,
                        };
                        files::download(
                            "shoal.sarif",
                            &export::to_sarif(&docs, &findings.findings, loaded),
                            "application/sarif+json",
                        );
                    });
                }
                Export::Markdown => files::download(
                    "shoal-findings.md",
                    &export::to_markdown(&docs, findings),
                    "text/markdown",
                ),
                Export::CopyMarkdown => {
                    let notice = notice.clone();
                    files::copy(&export::to_markdown(&docs, findings), move |ok| {
                        notice(if ok {
                            "Markdown copied".into()
                        } else {
                            "Copying was refused".into()
                        })
                    });
                }
                Export::FixedFile => files::download(&active.name, &active.text, "text/plain"),
                Export::CopyFixedFile => {
                    let notice = notice.clone();
                    files::copy(&active.text, move |ok| {
                        notice(if ok {
                            "File copied".into()
                        } else {
                            "Copying was refused".into()
                        })
                    });
                }
            }
        })
    };
    let on_forget = {
        let send = send.clone();
        Callback::from(move |_| {
            storage::forget_workspace();
            send(Action::SetRemember(false));
            send(Action::Notice(Some(
                "The workspace is no longer stored on this device".into(),
            )));
        })
    };
    let on_forget_all = {
        let send = send.clone();
        Callback::from(move |_| {
            storage::forget_all();
            send(Action::SetRemember(false));
            send(Action::Notice(Some(
                "Everything stored on this device was removed".into(),
            )));
        })
    };
    let on_remember = {
        let send = send.clone();
        Callback::from(move |on: bool| {
            if !on {
                storage::forget_workspace();
            }
            send(Action::SetRemember(on));
        })
    };
    let on_rule = {
        let send = send.clone();
        Callback::from(move |(code, choice): (String, RuleChoice)| {
            send(Action::SetRule { code, choice })
        })
    };

    let page = match &*route {
        Route::Workspace => workspace_view(&state, &send, &dispatch, &notice),
        Route::Rules => html! { <Rules settings={state.settings.clone()} on_change={on_rule} /> },
        Route::Rule(code) => html! {
            <Rules settings={state.settings.clone()} code={AttrValue::from(code.clone())} on_change={on_rule} />
        },
        Route::Settings => html! {
            <Settings settings={state.settings.clone()}
                on_go_version={{ let send = send.clone(); Callback::from(move |v| send(Action::SetGoVersion(v))) }}
                on_remember={on_remember.clone()}
                on_forget={on_forget_all}
                on_reset={{ let send = send.clone(); Callback::from(move |_| send(Action::ResetSettings)) }} />
        },
    };

    html! {
        <div class="app">
            <Toolbar route={(*route).clone()} can_undo={state.can_undo()} can_redo={state.can_redo()}
                remember={state.settings.remember}
                on_example={{ let send = send.clone(); Callback::from(move |id: String| {
                    if let Some(example) = crate::examples::find(&id) {
                        send(Action::ReplaceWorkspace(SharedWorkspace {
                            files: example.files.iter().map(|(n, t)| FileDoc { name: n.to_string(), text: t.to_string() }).collect(),
                            pairs: Vec::new(),
                        }));
                        if !matches!(*location_route(), Route::Workspace) { location::go(&Route::Workspace); }
                    }
                }) }}
                on_undo={{ let send = send.clone(); Callback::from(move |_| send(Action::Undo)) }}
                on_redo={{ let send = send.clone(); Callback::from(move |_| send(Action::Redo)) }}
                on_share={on_share} on_export={on_export} on_remember={on_remember} on_forget={on_forget} />
            if let Some(url) = &*share_url {
                <div class="share-box">
                    <label for="share-url">{ "Share link (the workspace travels in the link's #fragment, which browsers never send to a server):" }</label>
                    <input id="share-url" data-testid="share-url" readonly=true value={url.clone()} />
                    <button class="small" onclick={{ let s = share_url.clone(); Callback::from(move |_| s.set(None)) }}>{ "Close" }</button>
                </div>
            }
            { page }
            { preview_view(&state, &send) }
            <div class="notice" role="status" aria-live="polite" data-testid="notice">
                if let Some(text) = &state.notice {
                    <span>{ text.clone() }</span>
                    <button class="icon" aria-label="Dismiss" onclick={{ let send = send.clone(); Callback::from(move |_| send(Action::Notice(None))) }}>{ "×" }</button>
                }
            </div>
        </div>
    }
}

fn location_route() -> Rc<Route> {
    Rc::new(parse_fragment(&location::hash()).route)
}

fn workspace_view(
    state: &UseReducerHandle<State>,
    send: &(impl Fn(Action) + Clone + 'static),
    dispatch: &impl Fn(fn(u32) -> Action) -> Callback<u32>,
    notice: &(impl Fn(String) + Clone + 'static),
) -> Html {
    let active = state.active_file();
    let tabs: Vec<TabInfo> = state
        .files
        .iter()
        .map(|f| TabInfo {
            id: f.id,
            name: f.name.clone(),
            dockerfile: state.is_dockerfile(f.id),
            count: state.findings_of(f.id).count(),
        })
        .collect();
    let groups: Vec<FileFindings> = state
        .files
        .iter()
        .map(|f| FileFindings {
            id: f.id,
            name: f.name.clone(),
        })
        .collect();
    let report_file = state.report.ids.iter().position(|i| *i == active.id);
    let dockerfiles: Vec<String> = state
        .files
        .iter()
        .filter(|f| state.is_dockerfile(f.id))
        .map(|f| f.name.clone())
        .collect();
    let id = active.id;
    let on_input = {
        let send = send.clone();
        Callback::from(move |text: String| send(Action::SetText { file: id, text }))
    };
    let on_drop = {
        let (send, notice) = (send.clone(), notice.clone());
        Callback::from(move |(docs, skipped): (Vec<FileDoc>, usize)| {
            if !docs.is_empty() {
                send(Action::AddFiles(docs));
            }
            if skipped > 0 {
                notice(format!(
                    "{skipped} file(s) skipped: unreadable or larger than 8 MB"
                ));
            }
        })
    };
    let on_select = {
        let send = send.clone();
        Callback::from(move |i: usize| send(Action::SelectFinding(i)))
    };
    html! {
        <div class="workspace">
            <section class="editor-pane" aria-label="Files">
                <Tabs tabs={tabs} active={state.active}
                    on_select={dispatch(Action::SelectFile)}
                    on_rename={{ let send = send.clone(); Callback::from(move |(file, name)| send(Action::RenameFile { file, name })) }}
                    on_remove={dispatch(Action::RemoveFile)}
                    on_add={{ let send = send.clone(); Callback::from(move |_| send(Action::AddFiles(Vec::new()))) }} />
                <Editor name={AttrValue::from(active.name.clone())} text={AttrValue::from(active.text.clone())}
                    report={state.report.clone()} file={report_file} selected={state.selected} reveal={state.reveal}
                    on_input={on_input} on_select={on_select.clone()} on_drop={on_drop}
                    on_undo={{ let send = send.clone(); Callback::from(move |_| send(Action::Undo)) }}
                    on_redo={{ let send = send.clone(); Callback::from(move |_| send(Action::Redo)) }} />
                <Pairing containers={state.report.containers.clone()} dockerfiles={dockerfiles}
                    pairs={state.pairs.clone()}
                    on_pair={{ let send = send.clone(); Callback::from(move |(image, dockerfile)| send(Action::SetPair { image, dockerfile })) }} />
            </section>
            <Findings files={groups} report={state.report.clone()} selected={state.selected} fixable={state.is_current()}
                pending={!state.is_current()} suppressed={state.report.suppressed}
                on_select={on_select}
                on_fix={{ let send = send.clone(); Callback::from(move |i| send(Action::PreviewFix(i))) }}
                on_fix_all={{ let send = send.clone(); Callback::from(move |only| send(Action::ApplyAllSafe(only))) }} />
        </div>
    }
}

fn preview_view(
    state: &UseReducerHandle<State>,
    send: &(impl Fn(Action) + Clone + 'static),
) -> Html {
    let Some(index) = state.preview else {
        return html! {};
    };
    let Some(finding) = state.report.findings.get(index) else {
        return html! {};
    };
    let (Some(fix), Some(file)) = (
        &finding.fix,
        state.file_of(finding).and_then(|id| state.file(id)),
    ) else {
        return html! {};
    };
    let preview = crate::diff::preview(&file.text, &fix.to_engine());
    html! {
        <FixPreview title={AttrValue::from(fix.title.clone())} file={AttrValue::from(file.name.clone())}
            safe={fix.safe} preview={preview}
            on_confirm={{ let send = send.clone(); Callback::from(move |_| send(Action::ApplyFix(index))) }}
            on_cancel={{ let send = send.clone(); Callback::from(move |_| send(Action::CancelPreview)) }} />
    }
}
