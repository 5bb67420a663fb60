// @shoal/engine for Node.js: the wasm module is loaded synchronously on import, so the
// functions can be called at once; `init()` exists (and resolves at once) for code shared with
// the browser build.
import { readFileSync } from 'node:fs';
import * as core from './shoal_core.js';
import { bind } from './api.js';

core.initSync({ module: readFileSync(new URL('./shoal_core_bg.wasm', import.meta.url)) });

/** Resolves at once: the module is already loaded. */
export default function init() {
  return Promise.resolve();
}

/** Always true in Node.js. */
export function isReady() {
  return true;
}

const api = bind(core, () => true);

export const { analyze, applyFixes, rules, explain, encodeShare, decodeShare } = api;

/** The engine and rule-set version (the `shoal` crate's version). */
export const version = '__VERSION__';
