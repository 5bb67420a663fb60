// The analysis worker: the same wasm module as the page, running the engine off the main
// thread. Messages are JSON strings (a Request in, a Report out).
import init, { worker_analyze } from './shoal-web.js';

const ready = init({ module_or_path: new URL('./shoal-web_bg.wasm', import.meta.url) });
self.onmessage = async (event) => {
  await ready;
  self.postMessage(worker_analyze(event.data));
};
