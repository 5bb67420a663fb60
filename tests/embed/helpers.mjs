// Test helpers: a static server for dist/ (each test starts its own, on a free port, with the
// headers it chooses) and headless Chromium through playwright-core.
import http from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
export const PAGES = fileURLToPath(new URL('./pages/', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Serves dist/ at `/` and tests/embed/pages/ at `/test-pages/`.
 * @param {{headers?: (url: string) => object, override?: (url: string) => ({body, type}|null)}} options
 */
export async function serve({ headers = () => ({}), override = () => null } = {}) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    requests.push(url.pathname);
    if (url.pathname === '/favicon.ico') {
      // Chromium asks for it by itself; the pages under test have none.
      res.writeHead(204);
      res.end();
      return;
    }
    const extra = headers(url.pathname);
    const custom = override(url.pathname);
    if (custom) {
      res.writeHead(200, { 'content-type': custom.type, 'cache-control': 'no-store', ...extra });
      res.end(custom.body);
      return;
    }
    let file = url.pathname.startsWith('/test-pages/')
      ? path.join(PAGES, url.pathname.slice('/test-pages/'.length))
      : path.join(DIST, url.pathname);
    if (file.endsWith('/')) file += 'index.html';
    const base = url.pathname.startsWith('/test-pages/') ? PAGES : DIST;
    if (!path.resolve(file).startsWith(path.resolve(base)) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...extra,
    });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Chromium with a fresh profile; returns {browser, close}. */
export async function launch() {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'shoal-embed-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 720 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'";

/** Polls `fn` until it returns a truthy value (or throws after `ms`). */
export async function until(fn, ms = 15000, what = 'condition') {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
