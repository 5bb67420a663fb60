//! Runs analyses in a Web Worker (the same wasm module, started by `worker.js`), so a large
//! paste never blocks the page (small workspaces are analysed by the reducer itself, see
//! [`crate::state::State::with_page_analysis`]). At most one request is in flight; while it
//! runs, newer requests replace each other and only the latest is sent next. Without a worker
//! (it failed to start) the analysis runs on the page.
//!
//! The worker is started with the page and sent an empty request at once, so it has loaded
//! (and compiled its wasm) before the first large workspace arrives; when it has answered,
//! `<html data-worker="ready">` says so (the browser tests wait for it).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use crate::model::{analyze, wire, Report, Request, Settings};

/// Reports with at least this many findings are shown in a task after the one decoding them.
const SLICE_AFTER: usize = 2000;

struct Shared {
    worker: Option<Worker>,
    busy: Cell<bool>,
    /// The warm-up request is in flight (its answer is not shown).
    warming: Cell<bool>,
    /// The latest request not yet sent: encoded and sent in a task of its own once the worker
    /// is free (see [`Analyzer::analyze`]); `scheduled` says that task is queued.
    queued: RefCell<Option<Request>>,
    scheduled: Cell<bool>,
    on_report: Callback<Report>,
}

/// A handle to the analysis worker.
#[derive(Clone)]
pub struct Analyzer {
    shared: Rc<Shared>,
}

impl PartialEq for Analyzer {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }
}

impl Analyzer {
    /// Starts the worker from `url`; reports arrive on `on_report`.
    pub fn new(url: &str, on_report: Callback<Report>) -> Self {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(url, &options).ok();
        let shared = Rc::new_cyclic(|weak: &Weak<Shared>| {
            if let Some(worker) = &worker {
                let weak = weak.clone();
                let onmessage =
                    Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                        if let Some(shared) = weak.upgrade() {
                            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
                            shared.received(&bytes);
                        }
                    });
                worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
                onmessage.forget();
            }
            Shared {
                worker,
                busy: Cell::new(false),
                warming: Cell::new(false),
                queued: RefCell::new(None),
                scheduled: Cell::new(false),
                on_report,
            }
        });
        let analyzer = Analyzer { shared };
        analyzer.warm_up();
        analyzer
    }

    /// Sends the worker an empty request: it loads now rather than on the first large paste.
    fn warm_up(&self) {
        let empty = Request {
            generation: 0,
            ids: Vec::new(),
            files: Vec::new(),
            settings: Settings::default(),
            pairs: Vec::new(),
        };
        if let Some(worker) = &self.shared.worker {
            let json = empty.to_json().to_string();
            if worker.post_message(&JsValue::from_str(&json)).is_ok() {
                self.shared.busy.set(true);
                self.shared.warming.set(true);
            }
        }
    }

    /// Forgets the requests waiting for the worker (the page has a current report already).
    pub fn drop_pending(&self) {
        self.shared.queued.borrow_mut().take();
    }

    /// Asks for an analysis of `request`. Encoding a large workspace for the worker takes a
    /// while (20 ms for 1 MB), so it happens in a task after this one: the task that changed
    /// the text (a paste) renders first. Requests made meanwhile replace the queued one.
    pub fn analyze(&self, request: Request) {
        let shared = &self.shared;
        if shared.worker.is_none() {
            shared.on_report.emit(analyze(&request));
            return;
        }
        *shared.queued.borrow_mut() = Some(request);
        shared.schedule();
    }
}

impl Shared {
    /// Queues a task that sends the queued request, if there is one and the worker is free.
    fn schedule(self: &Rc<Self>) {
        if self.busy.get() || self.queued.borrow().is_none() || self.scheduled.replace(true) {
            return;
        }
        let weak = Rc::downgrade(self);
        let send = Closure::once_into_js(move || {
            if let Some(shared) = weak.upgrade() {
                shared.send_queued();
            }
        });
        let queued = web_sys::window().is_some_and(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(send.unchecked_ref(), 0)
                .is_ok()
        });
        if !queued {
            self.send_queued();
        }
    }

    fn send_queued(&self) {
        self.scheduled.set(false);
        let (Some(request), Some(worker)) = (self.queued.borrow_mut().take(), &self.worker) else {
            return;
        };
        let json = request.to_json().to_string();
        if worker.post_message(&JsValue::from_str(&json)).is_ok() {
            self.busy.set(true);
        }
    }

    fn received(self: &Rc<Self>, bytes: &[u8]) {
        if self.warming.replace(false) {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = root.set_attribute("data-worker", "ready");
            }
        } else if let Some(report) = wire::decode(bytes) {
            if report.findings.len() < SLICE_AFTER {
                self.on_report.emit(report);
            } else {
                // A big report: decoding it was this task's share; showing it is the next
                // task's, so the page never stays busy for both at once.
                let on_report = self.on_report.clone();
                let show = Closure::once_into_js(move || on_report.emit(report));
                if let Some(window) = web_sys::window() {
                    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                        show.unchecked_ref(),
                        0,
                    );
                }
            }
        }
        self.busy.set(false);
        self.schedule();
    }
}
