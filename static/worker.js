// The analysis worker: the same wasm module as the page, running the engine off the main
// thread. A JSON Request string in; a Report out as bytes (web/src/model.rs, `wire`),
// transferred rather than copied.
import init, { worker_analyze } from './shoal-web.js';

const ready = init({ module_or_path: new URL('./shoal-web_bg.wasm', import.meta.url) });
self.onmessage = async (event) => {
  await ready;
  const report = worker_analyze(event.data);
  self.postMessage(report, [report.buffer]);
};
