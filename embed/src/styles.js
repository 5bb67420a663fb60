// The embed's styles, adopted by every shadow root as one constructable stylesheet (allowed
// under a `style-src 'self'` Content-Security-Policy, unlike <style> elements and style=
// attributes). Theme with the --shoal-* custom properties on the page, e.g.
//   shoal-check { --shoal-bg: #fafafa; --shoal-font: "JetBrains Mono", monospace; }
export const CSS = `
:host {
  all: initial !important;
  display: block !important;
  margin: var(--shoal-margin, 1em 0) !important;
  font-size: var(--shoal-font-size, 14px) !important;
  color: var(--shoal-fg, #1f2328) !important;
  font-family: var(--shoal-ui-font, system-ui, -apple-system, "Segoe UI", sans-serif) !important;
  line-height: 1.45 !important;
  text-align: left !important;
  --_bg: var(--shoal-bg, #f6f8fa);
  --_panel: var(--shoal-panel-bg, #ffffff);
  --_fg: var(--shoal-fg, #1f2328);
  --_muted: var(--shoal-muted, #59636e);
  --_border: var(--shoal-border, #d1d9e0);
  --_error: var(--shoal-error, #cf222e);
  --_warning: var(--shoal-warning, #9a6700);
  --_info: var(--shoal-info, #0969da);
  --_accent: var(--shoal-accent, #0969da);
  --_mark-error: var(--shoal-mark-error, rgba(207, 34, 46, 0.10));
  --_mark-warning: var(--shoal-mark-warning, rgba(212, 167, 44, 0.16));
  --_mark-info: var(--shoal-mark-info, rgba(9, 105, 218, 0.08));
  --_font: var(--shoal-font, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
  --_radius: var(--shoal-radius, 6px);
}
@media (prefers-color-scheme: dark) {
  :host {
    color: var(--shoal-fg, #e6edf3) !important;
    --_bg: var(--shoal-bg, #161b22);
    --_panel: var(--shoal-panel-bg, #0d1117);
    --_fg: var(--shoal-fg, #e6edf3);
    --_muted: var(--shoal-muted, #9198a1);
    --_border: var(--shoal-border, #3d444d);
    --_error: var(--shoal-error, #ff7b72);
    --_warning: var(--shoal-warning, #d29922);
    --_info: var(--shoal-info, #58a6ff);
    --_accent: var(--shoal-accent, #58a6ff);
    --_mark-error: var(--shoal-mark-error, rgba(248, 81, 73, 0.16));
    --_mark-warning: var(--shoal-mark-warning, rgba(210, 153, 34, 0.18));
    --_mark-info: var(--shoal-mark-info, rgba(56, 139, 253, 0.12));
  }
}
:host([hidden]) { display: none !important; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.box { border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_panel); color: var(--_fg); overflow: hidden; display: block; }
.bar { display: flex; align-items: center; gap: 0.6em; padding: 0.35em 0.7em; border-bottom: 1px solid var(--_border); background: var(--_bg); font-size: 0.86em; flex-wrap: wrap; }
.file { font-family: var(--_font); font-weight: 600; }
.group { color: var(--_muted); }
.status { color: var(--_muted); margin-right: auto; }
.status.error { color: var(--_error); }
.status.warning { color: var(--_warning); }
.status.info { color: var(--_info); }
.status.ok { color: #1a7f37; }
button, .open { font: inherit; font-size: 0.95em; color: var(--_accent); background: transparent; border: 1px solid var(--_border); border-radius: 4px; padding: 0.1em 0.6em; cursor: pointer; text-decoration: none; display: inline-block; }
button:hover, .open:hover { background: var(--_panel); }
button[aria-pressed="true"] { background: var(--_accent); color: var(--_panel); border-color: var(--_accent); }
.code { margin: 0; padding: 0.5em 0; overflow-x: auto; font-family: var(--_font); font-size: 0.93em; line-height: 1.5; background: var(--_bg); display: block; white-space: pre; tab-size: 4; }
.line { display: flex; min-height: 1.5em; }
.ln { flex: none; width: 3.2em; padding-right: 0.8em; text-align: right; color: var(--_muted); user-select: none; }
.mk { flex: none; width: 1.1em; text-align: center; user-select: none; font-weight: 700; }
.tx { flex: 1 0 auto; padding-right: 1em; white-space: pre; }
.line.sev-error { background: var(--_mark-error); }
.line.sev-warning { background: var(--_mark-warning); }
.line.sev-info { background: var(--_mark-info); }
.line.sev-error .mk { color: var(--_error); }
.line.sev-warning .mk { color: var(--_warning); }
.line.sev-info .mk { color: var(--_info); }
.line.flash { outline: 2px solid var(--_accent); outline-offset: -2px; }
textarea { display: block; width: 100%; min-height: 12em; margin: 0; padding: 0.5em 0.8em; border: 0; border-bottom: 1px solid var(--_border); resize: vertical; font-family: var(--_font); font-size: 0.93em; line-height: 1.5; background: var(--_bg); color: var(--_fg); tab-size: 4; white-space: pre; }
textarea:focus { outline: 2px solid var(--_accent); outline-offset: -2px; }
.findings { list-style: none; margin: 0; padding: 0; display: block; }
.finding { display: block; padding: 0.45em 0.8em; border-top: 1px solid var(--_border); }
.finding:first-child { border-top: 0; }
.head { display: flex; gap: 0.5em; align-items: baseline; flex-wrap: wrap; }
.sev { font-size: 0.78em; font-weight: 700; text-transform: uppercase; letter-spacing: 0.03em; }
.sev.error { color: var(--_error); }
.sev.warning { color: var(--_warning); }
.sev.info { color: var(--_info); }
.code-id { font-family: var(--_font); font-size: 0.9em; color: var(--_muted); }
.at { font-family: var(--_font); font-size: 0.85em; padding: 0 0.3em; border: 0; color: var(--_accent); }
.msg { flex: 1 1 20em; }
.help { color: var(--_muted); font-size: 0.92em; margin: 0.15em 0 0 0; display: block; }
.msg code, .help code { font-family: var(--_font); font-size: 0.9em; background: var(--_bg); padding: 0.05em 0.3em; border-radius: 3px; }
details { margin-top: 0.25em; display: block; }
summary { cursor: pointer; color: var(--_accent); font-size: 0.9em; display: list-item; }
.doc { border-left: 3px solid var(--_border); margin: 0.4em 0 0.2em 0.2em; padding: 0 0 0 0.8em; font-size: 0.93em; display: block; }
.doc p, .doc ul, .doc ol, .doc blockquote { margin: 0.45em 0; }
.doc ul, .doc ol { padding-left: 1.4em; }
.doc li { display: list-item; }
.doc ul > li { list-style: disc; }
.doc ol > li { list-style: decimal; }
.doc .md-h { margin: 0.8em 0 0.3em; font-size: 1em; font-weight: 700; display: block; }
.doc code { font-family: var(--_font); font-size: 0.92em; background: var(--_bg); padding: 0.05em 0.3em; border-radius: 3px; }
.doc pre { font-family: var(--_font); background: var(--_bg); padding: 0.5em 0.7em; border-radius: 4px; overflow-x: auto; white-space: pre; border-left: 3px solid var(--_border); display: block; }
.doc pre code { background: transparent; padding: 0; }
.doc pre.md-bad { border-left-color: var(--_error); }
.doc pre.md-good { border-left-color: #1a7f37; }
.doc .md-label { font-size: 0.8em; font-weight: 700; color: var(--_muted); margin-top: 0.5em; display: block; }
.doc a, .doc strong, .doc em { display: inline; }
.doc a { color: var(--_accent); }
.doc strong { font-weight: 700; }
.doc em { font-style: italic; }
.none { padding: 0.45em 0.8em; color: var(--_muted); font-size: 0.92em; display: block; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
