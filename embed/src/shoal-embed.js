// shoal-embed: turns code blocks of a documentation page into live shoal checkers.
//
//   <script type="module" src="/static/shoal/shoal-embed.js"></script>
//   <shoal-check filename="deploy.yaml">apiVersion: apps/v1 …</shoal-check>
//   <pre><code class="language-yaml" data-shoal>…</code></pre>
//
// The only global it adds is the <shoal-check> custom element. The wasm engine
// (shoal.wasm, next to this file) is fetched once, when the first block scrolls into view;
// the rule docs (shoal-docs.json, next to it too: they are not in this wasm) when a reader
// first opens "Why?". See docs/embed.md.
import initCore, * as core from 'shoal-core';
import { bind } from '../../js/api.js';
import { renderInline, renderMarkdown } from './markdown.js';
import { CSS } from './styles.js';

const TAG = 'shoal-check';
const WASM_URL = new URL('./shoal.wasm', import.meta.url);
const DOCS_URL = new URL('./shoal-docs.json', import.meta.url);
const DEBOUNCE_MS = 250;
const SEVERITY_RANK = { ok: 0, info: 1, warning: 2, error: 3 };

let engineState = 'idle'; // idle | loading | ready | failed
let enginePromise = null;
const api = bind(core, () => engineState === 'ready');

function loadEngine() {
  if (!enginePromise) {
    engineState = 'loading';
    enginePromise = initCore({ module_or_path: WASM_URL }).then(
      () => {
        engineState = 'ready';
      },
      (e) => {
        engineState = 'failed';
        for (const block of blocks()) block.showFailure(e);
      },
    );
  }
  return enginePromise;
}

// The rule docs, `{version, rules: {CODE: markdown}}`, fetched once; after a failure the next
// "Why?" tries again.
let docsPromise = null;
function loadDocs() {
  if (!docsPromise) {
    docsPromise = fetch(DOCS_URL).then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.json();
    }).then((d) => d.rules);
    docsPromise.catch(() => { docsPromise = null; });
  }
  return docsPromise;
}

const wellFormed = (t) => (typeof t.toWellFormed === 'function' ? t.toWellFormed() : t);

/** The full app's share fragment for these files: `w=` + base64url(raw deflate(JSON
 * {files: [{name, text}]})), the format web/src/share.rs reads, made with the browser's
 * CompressionStream (the embed's wasm has no deflate). `null` where that is missing. */
async function shareFragment(files) {
  if (typeof CompressionStream !== 'function') return null;
  const json = JSON.stringify({ files: files.map((f) => ({ name: wellFormed(f.name), text: wellFormed(f.text) })) });
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `w=${btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

let sheet = null;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The code as the author wrote it: one leading newline, trailing blank lines and the common
 * indentation (from indenting inside HTML) are removed. */
export function normalise(text) {
  let t = text.replace(/\r\n?/g, '\n').replace(/^[ \t]*\n/, '').replace(/\n[ \t]*$/, '');
  const lines = t.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  if (cut > 0) t = lines.map((l) => l.slice(Math.min(cut, l.match(/^[ \t]*/)[0].length))).join('\n');
  return t.endsWith('\n') ? t : `${t}\n`;
}

function appUrl() {
  const meta = document.querySelector('meta[name="shoal-app"]');
  let configured = null;
  for (const script of document.querySelectorAll('script[src][data-app-url]')) {
    if (new URL(script.getAttribute('src'), document.baseURI).href === import.meta.url) {
      configured = script.getAttribute('data-app-url');
    }
  }
  if (configured === null && meta) configured = meta.getAttribute('content');
  try {
    return new URL(configured || './', document.baseURI);
  } catch {
    return new URL('./', document.baseURI);
  }
}

function blocks() {
  return [...document.querySelectorAll(TAG)].filter((b) => b instanceof ShoalCheck);
}

/** The blocks checked together with `block`: those sharing its group, in page order. */
function workspaceOf(block) {
  const group = block.getAttribute('group');
  if (!group) return [block];
  return blocks().filter((b) => b.getAttribute('group') === group);
}

let pendingChecks = new Set();
let checkScheduled = false;
function scheduleCheck(block) {
  pendingChecks.add(block);
  if (engineState !== 'ready' || checkScheduled) return;
  checkScheduled = true;
  queueMicrotask(() => {
    checkScheduled = false;
    const done = new Set();
    for (const b of pendingChecks) {
      if (done.has(b) || !b.isConnected) continue;
      const ws = workspaceOf(b);
      ws.forEach((x) => done.add(x));
      checkWorkspace(ws);
    }
    pendingChecks = new Set();
  });
}

let shareRound = 0;
function checkWorkspace(ws) {
  const files = ws.map((b, i) => ({ name: b.fileName(i), text: b.text }));
  const result = api.analyze(files);
  ws.forEach((block, i) => {
    if (result.error) block.showError(result.error.message);
    else block.showFindings(result.findings.filter((f) => f.file === i), result, i);
  });
  if (result.error) return;
  // The link follows asynchronously; a newer check of the same blocks wins.
  const round = ++shareRound;
  ws.forEach((block) => { block.shareRound = round; });
  shareFragment(files).then((fragment) => {
    if (!fragment) return;
    const link = `${appUrl().href.split('#')[0]}#${fragment}`;
    for (const block of ws) if (block.shareRound === round) block.showLink(link);
  }, () => {});
}

let observer = null;
function observe(block) {
  if (engineState === 'ready') {
    scheduleCheck(block);
    return;
  }
  if (typeof IntersectionObserver !== 'function') {
    loadEngine().then(() => scheduleCheck(block));
    return;
  }
  if (!observer) {
    observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        observer.disconnect();
        loadEngine().then(() => blocks().forEach(scheduleCheck));
      },
      { rootMargin: '200px 0px' },
    );
  }
  observer.observe(block);
}

class ShoalCheck extends HTMLElement {
  constructor() {
    super();
    this.text = '';
    this.editing = false;
    this.findings = [];
    this.timer = 0;
    this.built = false;
  }

  connectedCallback() {
    if (!this.built) this.build();
    observe(this);
  }

  disconnectedCallback() {
    if (observer) observer.unobserve(this);
  }

  /** The name this block is checked under: `filename`, else one that tells its kind. */
  fileName(index) {
    const given = this.getAttribute('filename');
    if (given) return given;
    const kind = (this.getAttribute('kind') || '').toLowerCase();
    if (kind === 'dockerfile') return 'Dockerfile';
    if (kind === 'manifest' || kind === 'yaml') return `snippet-${index + 1}.yaml`;
    return `snippet-${index + 1}`;
  }

  build() {
    this.built = true;
    this.text = normalise(this.textContent || '');
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [styles()];
    const box = h('div', 'box');
    box.setAttribute('part', 'box');
    const bar = h('div', 'bar');
    this.nameEl = h('span', 'file', this.getAttribute('filename') || '');
    bar.append(this.nameEl);
    if (this.getAttribute('group')) bar.append(h('span', 'group', `· checked with its group “${this.getAttribute('group')}”`));
    this.statusEl = h('span', 'status', 'not checked yet');
    this.statusEl.setAttribute('role', 'status');
    this.editButton = h('button', 'edit', 'Edit');
    this.editButton.type = 'button';
    this.editButton.setAttribute('aria-pressed', 'false');
    this.editButton.addEventListener('click', () => this.toggleEdit());
    this.openLink = h('a', 'open', 'Open in shoal');
    this.openLink.target = '_blank';
    this.openLink.rel = 'noopener';
    this.openLink.hidden = true;
    bar.append(this.statusEl, this.editButton, this.openLink);
    this.codeEl = h('pre', 'code');
    this.codeEl.setAttribute('part', 'code');
    this.editor = h('textarea');
    this.editor.spellcheck = false;
    this.editor.setAttribute('aria-label', `Edit ${this.fileName(0)}`);
    this.editor.hidden = true;
    this.editor.addEventListener('input', () => {
      this.text = this.editor.value;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => scheduleCheck(this), DEBOUNCE_MS);
    });
    this.listEl = h('ol', 'findings');
    this.listEl.setAttribute('aria-label', 'Findings');
    box.append(bar, this.codeEl, this.editor, this.listEl);
    root.append(box);
    this.renderCode();
  }

  toggleEdit() {
    this.editing = !this.editing;
    this.editButton.setAttribute('aria-pressed', String(this.editing));
    this.editButton.textContent = this.editing ? 'Done' : 'Edit';
    this.editor.hidden = !this.editing;
    this.codeEl.hidden = this.editing;
    if (this.editing) {
      this.editor.value = this.text;
      this.editor.rows = Math.min(30, this.text.split('\n').length + 1);
      this.editor.focus();
      if (engineState === 'idle') loadEngine().then(() => scheduleCheck(this));
    } else {
      this.renderCode();
    }
  }

  renderCode() {
    const marks = new Map();
    for (const f of this.findings) {
      let end = f.endLine;
      if (end > f.line && f.endColumn === 1) end -= 1;
      for (let line = f.line; line <= end; line++) {
        const old = marks.get(line);
        if (!old || SEVERITY_RANK[f.severity] > SEVERITY_RANK[old]) marks.set(line, f.severity);
      }
    }
    const lines = this.text.replace(/\n$/, '').split('\n');
    const frag = document.createDocumentFragment();
    this.lineEls = [];
    lines.forEach((text, i) => {
      const row = h('span', 'line');
      const sev = marks.get(i + 1);
      row.append(h('span', 'ln', String(i + 1)));
      const mk = h('span', 'mk', sev ? (sev === 'info' ? 'i' : '!') : '');
      if (sev) {
        row.classList.add(`sev-${sev}`);
        mk.title = sev;
        mk.setAttribute('aria-label', sev);
      }
      row.append(mk, h('span', 'tx', text || ' '));
      frag.append(row);
      this.lineEls.push(row);
    });
    this.codeEl.replaceChildren(frag);
  }

  showLink(link) {
    this.openLink.href = link;
    this.openLink.hidden = false;
  }

  showFindings(findings, result, index) {
    this.findings = findings;
    const kind = result.files[index]?.kind;
    if (!this.getAttribute('filename')) this.nameEl.textContent = kind === 'dockerfile' ? 'Dockerfile' : 'manifest';
    const worst = findings.reduce((w, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w), 'ok');
    this.statusEl.className = `status ${worst === 'ok' ? 'ok' : worst}`;
    this.statusEl.textContent = findings.length === 0 ? 'no problems found' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`;
    if (!this.editing) this.renderCode();
    const items = findings.map((f) => this.renderFinding(f, result));
    if (!items.length) items.push(h('li', 'none', 'shoal found no problems in this snippet.'));
    this.listEl.replaceChildren(...items);
  }

  renderFinding(f, result) {
    const li = h('li', `finding ${f.severity}`);
    li.dataset.code = f.code;
    li.dataset.line = String(f.line);
    const head = h('div', 'head');
    const at = h('button', 'at', `line ${f.line}`);
    at.type = 'button';
    at.title = `Show line ${f.line}`;
    at.addEventListener('click', () => this.flash(f.line, f.endLine));
    const msg = h('span', 'msg');
    renderInline(msg, f.message);
    head.append(h('span', `sev ${f.severity}`, f.severity), h('span', 'code-id', f.code), at, msg);
    li.append(head);
    if (f.help) {
      const help = h('p', 'help');
      renderInline(help, f.help);
      li.append(help);
    }
    const details = h('details');
    details.append(h('summary', '', `Why? ${f.name}`));
    details.addEventListener('toggle', () => {
      if (!details.open || details.dataset.loaded) return;
      details.dataset.loaded = '1';
      details.querySelector('.doc')?.remove();
      const rule = api.explain(f.code);
      const doc = h('div', 'doc');
      details.append(doc);
      if (rule.error) {
        doc.textContent = f.code === 'PARSE' ? 'The text could not be parsed; the message says where.' : rule.error.message;
        return;
      }
      doc.textContent = 'Loading the explanation…';
      loadDocs().then((docs) => {
        doc.textContent = '';
        if (docs[f.code]) doc.append(renderMarkdown(docs[f.code]));
        else doc.textContent = `No documentation for ${f.code}.`;
      }, (e) => {
        doc.textContent = `The explanation could not be loaded (${e && e.message ? e.message : e}); close and open “Why?” to try again.`;
        delete details.dataset.loaded;
        doc.classList.add('failed');
      });
    });
    li.append(details);
    return li;
  }

  flash(line, endLine) {
    if (this.editing) this.toggleEdit();
    const rows = this.lineEls.slice(line - 1, Math.max(line, endLine));
    rows.forEach((r) => r.classList.add('flash'));
    rows[0]?.scrollIntoView({ block: 'nearest' });
    setTimeout(() => rows.forEach((r) => r.classList.remove('flash')), 1200);
  }

  showError(message) {
    this.statusEl.className = 'status error';
    this.statusEl.textContent = `shoal could not check this: ${message}`;
  }

  showFailure(e) {
    this.statusEl.className = 'status error';
    this.statusEl.textContent = `shoal could not load: ${e && e.message ? e.message : e}`;
  }
}

/** Turns `<pre data-shoal>` and `<pre><code data-shoal>` blocks into <shoal-check> elements
 * (the original <pre> is kept inside, unrendered, as the element's text). */
function upgradeCodeBlocks(root) {
  for (const node of root.querySelectorAll('pre[data-shoal], pre > code[data-shoal]')) {
    const pre = node.tagName === 'PRE' ? node : node.parentElement;
    if (!pre.isConnected || pre.closest(TAG)) continue;
    const block = document.createElement(TAG);
    for (const src of [pre, node]) {
      for (const attr of ['filename', 'group', 'kind']) {
        const value = src.getAttribute(`data-${attr}`) ?? src.getAttribute(attr);
        if (value !== null) block.setAttribute(attr, value);
      }
    }
    const parent = pre.parentNode;
    const next = pre.nextSibling;
    block.append(pre);
    parent.insertBefore(block, next);
  }
}

if (!customElements.get(TAG)) {
  customElements.define(TAG, ShoalCheck);
  const start = () => {
    upgradeCodeBlocks(document);
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (n.nodeType === 1 && n.tagName !== TAG.toUpperCase() && (n.matches('pre, code') || n.querySelector('pre'))) {
            upgradeCodeBlocks(n.parentElement || document);
          }
        }
      }
    }).observe(document.documentElement, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}
