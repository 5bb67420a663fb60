// @shoal/engine for browsers and bundlers: `await init()` once, then call the functions.
//
//   import init, { analyze } from './shoal.js';
//   await init();
//   const result = analyze([{ name: 'deploy.yaml', text }]);
import initCore, * as core from './shoal_core.js';
import { bind } from './api.js';

let loaded = false;
let loading = null;

/**
 * Loads the wasm module (once; later calls return the same promise). By default the module is
 * fetched from `shoal_core_bg.wasm` next to this file; pass a URL, a Response, bytes or a
 * WebAssembly.Module to load it from elsewhere.
 */
export default function init(moduleOrPath) {
  if (!loading) {
    const arg = moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath };
    loading = initCore(arg).then(
      () => {
        loaded = true;
      },
      (e) => {
        loading = null;
        throw e;
      },
    );
  }
  return loading;
}

/** Whether init() has finished. */
export function isReady() {
  return loaded;
}

const api = bind(core, () => loaded);

export const { analyze, applyFixes, rules, explain, encodeShare, decodeShare } = api;

/** The engine and rule-set version (the `shoal` crate's version). */
export const version = '__VERSION__';
