// Starts the app. The build rewrites these file names to their content-hashed versions.
import init, { run_app } from './shoal-web.js';

await init({ module_or_path: new URL('./shoal-web_bg.wasm', import.meta.url) });
run_app(new URL('./worker.js', import.meta.url).href);
