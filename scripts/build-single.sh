#!/usr/bin/env bash
# The offline builds, after scripts/build-web.sh (which calls it last), from what it wrote:
#
# - dist/sw-register-<hash>.js, the service worker's registration, linked from index.html;
# - dist/sw.js: static/sw.js with the build's list of content-hashed assets and its version;
# - dist/shoal.html: the whole app in one file (style, scripts, wasm as base64, the analysis
#   worker started from a Blob URL, the rule docs as a JSON data block) with a CSP of hashes,
#   for use from disk with no network.
#
# Usage: scripts/build-single.sh [DIST] (default dist/). Re-running it on a built DIST is fine.
set -euo pipefail
out=$(realpath "${1:-dist}")
cd "$(dirname "$0")/.."

node --input-type=module - "$out" <<'JS'
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';

const out = process.argv[2];
const sha = (data) => createHash('sha256').update(data);
const short = (data) => sha(data).digest('hex').slice(0, 12);
const fail = (why) => { console.error(`build-single: ${why}`); process.exit(1); };
const read = (name) => readFileSync(`${out}/${name}`, 'utf8');
const HASHED = /^[\w.]+(?:-[\w.]+)*-[0-9a-f]{12}\.[a-z]+$/;

// 1. The registration script, content-hashed and linked like the other assets.
let index = read('index.html');
const register = readFileSync('static/sw-register.js');
const registerName = `sw-register-${short(register)}.js`;
writeFileSync(`${out}/${registerName}`, register);
index = index.replace(/\.\/(static\/sw-register|sw-register-[0-9a-f]{12})\.js/, `./${registerName}`);
if (!index.includes(registerName)) fail('index.html does not load static/sw-register.js');
writeFileSync(`${out}/index.html`, index);

// 2. sw.js: every content-hashed file of the app (not shoal.html, pkg/, embed/).
const assets = readdirSync(out)
  .filter((f) => HASHED.test(f) && statSync(`${out}/${f}`).isFile())
  .filter((f) => !f.startsWith('sw-register-') || f === registerName)
  .sort();
for (const [, name] of index.matchAll(/\.\/([^"']+)/g)) {
  if (!assets.includes(name)) fail(`index.html references ${name}, which is not a hashed asset`);
}
const version = short(JSON.stringify([index, assets]));
let sw = readFileSync('static/sw.js', 'utf8');
const constant = (name, value) => {
  const re = new RegExp(`^const ${name} = .*;$`, 'm');
  if (!re.test(sw)) fail(`static/sw.js has no "const ${name} = …;" line`);
  sw = sw.replace(re, () => `const ${name} = ${JSON.stringify(value)};`);
};
constant('VERSION', version);
constant('ASSETS', assets.map((a) => `./${a}`));
writeFileSync(`${out}/sw.js`, sw);

// 3. shoal.html: the glue (exports dropped) and a bootstrap in one module script, the wasm as
// base64 in a data block; the worker is the glue and a few lines, started from a Blob URL.
const find = (re, what) => index.match(re)?.[1] ?? fail(`index.html names no ${what}`);
const cssName = find(/href="\.\/(app-[0-9a-f]{12}\.css)"/, 'stylesheet');
const glueName = find(/\.\/(shoal-web-[0-9a-f]{12}\.js)/, 'wasm-bindgen glue');
const glueText = read(glueName);
const wasmName = glueText.match(/shoal-web_bg-[0-9a-f]{12}\.wasm/)?.[0] ?? fail('the glue names no wasm');
const wasm = readFileSync(`${out}/${wasmName}`).toString('base64');
const glue = glueText
  .replace(/^export \{[^}]*\};?$/m, '')
  .replace(/^export (function|class|const|let|async function) /gm, '$1 ');
if (/^\s*(export|import)\b/m.test(glue)) fail('the glue has an import or export left');
const css = read(cssName);
for (const [what, text] of [['css', css], ['glue', glue]]) {
  if (/<\/(script|style)|<!--/i.test(text)) fail(`the ${what} contains a closing tag or <!--`);
}
const decode = `function shoalWasmBytes(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}`;
const workerMain = `${decode}
const shoalReady = __wbg_init({ module_or_path: shoalWasmBytes(SHOAL_WASM) });
self.onmessage = async (event) => {
  await shoalReady;
  const report = worker_analyze(event.data);
  self.postMessage(report, [report.buffer]);
};`;
const main = `${glue}
${decode}
{
  const data = document.getElementById('shoal-wasm').textContent;
  await __wbg_init({ module_or_path: shoalWasmBytes(data) });
  const worker = new Blob([
    'const SHOAL_WASM = "', data, '";\\n', document.getElementById('shoal-worker').textContent,
  ], { type: 'text/javascript' });
  const url = URL.createObjectURL(worker);
  // From file:// (an opaque origin) Chromium refuses a module worker from a blob: URL; the app
  // asks for a module worker, this one is a classic script.
  const Base = globalThis.Worker;
  globalThis.Worker = class extends Base {
    constructor(src, options) { super(src, String(src) === url ? { ...options, type: 'classic' } : options); }
  };
  run_app(url);
}`;
const hash = (text) => `'sha256-${sha(text).digest('base64')}'`;
const csp = [
  "default-src 'none'", `script-src ${hash(main)} 'wasm-unsafe-eval'`, `style-src ${hash(css)}`,
  'img-src data:', 'worker-src blob:', "object-src 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ');
// The rule docs: a JSON data block (not a script the CSP governs) instead of the fetched file.
const docsName = find(/<meta name="shoal-docs" content="\.\/(rule-docs-[0-9a-f]{12}\.json)">/, 'rule docs');
const docs = JSON.stringify(JSON.parse(read(docsName))).replace(/</g, '\\u003c');
let single = index
  .replace(/^\s*<meta name="shoal-docs"[^>]*>\n/m, '')
  .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`)
  .replace(/^\s*<link rel="(stylesheet|modulepreload|preload)"[^>]*>\n/gm, '')
  .replace(/^\s*<script [^>]*src="[^"]*"[^>]*><\/script>\n/gm, '');
if (!single.includes(csp)) fail('index.html has no CSP meta tag');
if (/\s(src|href)="(?!data:)[^"]*"/.test(single)) fail('index.html loads something not inlined');
single = single
  .replace('</head>', () => `  <style>${css}</style>\n</head>`)
  .replace('</body>', () => [
    `<script type="application/json" id="shoal-docs">${docs}</script>`,
    `<script type="application/octet-stream" id="shoal-wasm">${wasm}</script>`,
    `<script type="text/plain" id="shoal-worker">${glue.replaceAll('import.meta.url', 'self.location.href')}\n${workerMain}</script>`,
    `<script type="module">${main}</script>`,
    '</body>',
  ].join('\n'));
writeFileSync(`${out}/shoal.html`, single);
console.log(`build-single: wrote sw.js (version ${version}, ${assets.length} assets), shoal.html (${single.length} bytes)`);
JS
