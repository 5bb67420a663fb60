// Shared setup for the browser tests: serve dist/, launch Chromium from Debian through
// playwright-core (never a downloaded browser), record every request.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';

export const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions',
];

/** Starts the server and a browser; returns helpers and a `close()`. */
export async function start() {
  const { server, url } = await serve(DIST);
  const profile = mkdtempSync(join(tmpdir(), 'shoal-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const close = async () => {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { url, context, requests, close };
}

/** Opens the app and waits until it has rendered. */
export async function open(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.getByTestId('editor').waitFor();
  // The first analysis is shown (small workspaces are analysed on the page), and the worker
  // (the app's last static file) has loaded: it answers a warm-up request at start.
  await page.waitForFunction(() => document.querySelector('.findings') && !document.querySelector('.findings .pending')
    && document.documentElement.dataset.worker === 'ready');
  return { page, errors };
}

/** Replaces the active file's text as a user pasting would. */
export async function paste(page, text) {
  const editor = page.getByTestId('editor');
  await editor.fill(text);
}

/** The findings shown, as { code, line, severity }. */
export async function findings(page) {
  return page.$$eval('[data-testid="finding"]', (els) => els.map((e) => ({
    code: e.dataset.code, line: Number(e.dataset.line), severity: e.dataset.severity,
  })));
}

/** Waits until a finding with `code` (and `line`, if given) is shown. */
export async function waitForFinding(page, code, line) {
  const sel = line === undefined
    ? `[data-testid="finding"][data-code="${code}"]`
    : `[data-testid="finding"][data-code="${code}"][data-line="${line}"]`;
  await page.locator(sel).first().waitFor();
  return page.locator(sel).first();
}
