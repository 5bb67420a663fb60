// The offline builds: dist/shoal.html from disk with no network at all, and the hosted app's
// service worker (reload offline after a first visit, a new version replacing the old one).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { DIST, open, paste, waitForFinding } from './helpers.mjs';
import { serve } from './server.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions',
];
const temps = [];
const temp = (what) => {
  const dir = mkdtempSync(join(tmpdir(), `shoal-${what}-`));
  temps.push(dir);
  return dir;
};
after(() => { for (const dir of temps) rmSync(dir, { recursive: true, force: true }); });

async function browser() {
  return chromium.launchPersistentContext(temp('chromium'), {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 900 },
  });
}

/** Serves `root` on `port` (0: a free one); `stop()` also drops kept-alive connections. */
async function host(root, port = 0) {
  const { server, url } = await serve(root, port);
  const stop = () => new Promise((ok) => { server.close(ok); server.closeAllConnections(); });
  return { url, port: Number(new URL(url).port), stop };
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: ghcr.io/acme/api:1.4.2
      resources:
        limits:
          memory: 400Mi
`;

/** Pastes POD, waits for GO001, applies its fix, waits until it is gone. */
async function fixGo001(page) {
  await paste(page, POD);
  const go001 = await waitForFinding(page, 'GO001');
  await go001.getByTestId('apply-fix').click();
  await page.getByTestId('confirm-fix').click();
  await page.locator('[data-testid="finding"][data-code="GO001"]').waitFor({ state: 'detached' });
  assert.match(await page.getByTestId('editor').inputValue(), /GOMEMLIMIT/);
}

test('the single file works from disk with the network blocked', async () => {
  const context = await browser();
  const blocked = [];
  const seen = [];
  await context.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  context.on('request', (r) => seen.push(r.url()));
  try {
    const file = pathToFileURL(join(DIST, 'shoal.html')).href;
    const { page, errors } = await open(context, file);
    await explainGo001(page);
    await fixGo001(page);
    // The analysis worker runs from a Blob URL (it is started with the page; this small
    // workspace itself is analysed on the page, large ones in the worker).
    const workers = page.workers().map((w) => w.url());
    assert.ok(workers.length === 1 && workers[0].startsWith('blob:'), `one Blob worker: ${workers}`);
    // The docs embed's "Open in shoal" link format.
    const payload = JSON.stringify({ files: [{ name: 'from-docs.yaml', text: POD }] });
    const data = deflateRawSync(Buffer.from(payload)).toString('base64url');
    const linked = await context.newPage();
    await linked.goto(`${file}#w=${data}`);
    await waitForFinding(linked, 'GO001');
    assert.match(await linked.getByTestId('tab').first().textContent(), /from-docs\.yaml/);
    assert.equal(new URL(linked.url()).hash, '#/', 'the link data leaves the address bar');
    assert.deepEqual(blocked, [], 'no request other than the file itself');
    assert.deepEqual(seen.filter((u) => !u.startsWith('file:') && !u.startsWith('blob:')), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** Pastes POD and opens GO001's explanation: the rule docs render (not loaded or cached yet). */
async function explainGo001(page) {
  await paste(page, POD);
  const go001 = await waitForFinding(page, 'GO001');
  await go001.getByTestId('explain').click();
  await go001.getByRole('heading', { name: 'Why it matters' }).waitFor();
  assert.ok((await go001.getByTestId('explanation').locator('pre code').count()) >= 2);
}

/** Waits until the service worker controls `page` and its cache holds the version. */
async function installed(page, version) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  for (let i = 0; ; i++) {
    const keys = await page.evaluate(() => caches.keys());
    if (keys.length === 1 && keys[0] === `shoal-${version}`) return;
    if (i === 300) assert.fail(`caches ${keys}, expected shoal-${version}`);
    await page.waitForTimeout(100);
  }
}

const versionOf = (root) => readFileSync(join(root, 'sw.js'), 'utf8').match(/^const VERSION = "([0-9a-f]+)";$/m)[1];

test('the hosted app reloads and analyses offline after a first visit', async () => {
  const site = await host(DIST);
  const context = await browser();
  try {
    const { page, errors } = await open(context, site.url);
    await installed(page, versionOf(DIST));
    await context.setOffline(true);
    await site.stop();
    await page.reload();
    await page.getByTestId('editor').waitFor();
    // The docs were never fetched by the page online: the service worker cached them at install.
    await explainGo001(page);
    await page.goto(`${site.url}#/rules/KS105`);
    await page.getByTestId('rule-page').getByRole('heading', { name: 'Why it matters' }).waitFor();
    await page.goto(`${site.url}#/`);
    await page.getByTestId('editor').waitFor();
    await fixGo001(page);
    assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  } finally {
    await context.close();
    await site.stop();
  }
});

/** A copy of dist/ as build `tag`: app-*.js marks the page, renamed with its new hash. */
function variant(tag) {
  const root = temp(`dist-${tag}`);
  cpSync(DIST, root, { recursive: true });
  const app = readdirSync(root).find((f) => /^app-[0-9a-f]{12}\.js$/.test(f));
  const marked = `document.documentElement.dataset.build = '${tag}';\n${readFileSync(join(root, app), 'utf8')}`;
  const name = `app-${Buffer.from(tag).toString('hex').padEnd(12, '0').slice(0, 12)}.js`;
  writeFileSync(join(root, app), marked);
  renameSync(join(root, app), join(root, name));
  const index = join(root, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace(`./${app}`, `./${name}`));
  execFileSync('bash', [join(DIST, '..', 'scripts', 'build-single.sh'), root], { stdio: 'ignore' });
  return { root, app: name, version: versionOf(root) };
}

test('a new version replaces the old one: no mix, old cache deleted', async () => {
  const v1 = variant('v1');
  const v2 = variant('v2');
  assert.notEqual(v1.version, v2.version);
  let site = await host(v1.root);
  const context = await browser();
  try {
    const { page } = await open(context, site.url);
    await installed(page, v1.version);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.build), 'v1');

    // v2 is deployed at the same address; the next online visit picks it up.
    await site.stop();
    site = await host(v2.root, site.port);
    await page.reload();
    await page.getByTestId('editor').waitFor();
    await installed(page, v2.version);

    const responses = [];
    page.on('response', (r) => responses.push({ url: r.url(), sw: r.fromServiceWorker() }));
    await page.reload();
    await page.getByTestId('editor').waitFor();
    await fixGo001(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.build), 'v2');
    const names = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.ok(names.some((n) => n.endsWith(v2.app)), `v2's app script was loaded: ${names}`);
    assert.ok(!names.concat(responses.map((r) => r.url)).some((n) => n.endsWith(v1.app)), 'nothing of v1 is loaded');
    const v2Files = new Set(['', ...readdirSync(v2.root)]);
    const foreign = responses.filter((r) => !v2Files.has(new URL(r.url).pathname.slice(1)));
    assert.deepEqual(foreign, [], 'every response is a file of v2');
    assert.ok(responses.some((r) => r.sw), 'the service worker answers');
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const cache = await caches.open(keys[0]);
      return { keys, urls: (await cache.keys()).map((r) => r.url) };
    });
    assert.deepEqual(cached.keys, [`shoal-${v2.version}`], `the v1 cache is deleted (v1 ${v1.version})`);
    assert.ok(!cached.urls.some((u) => u.endsWith(v1.app)));
    assert.ok(cached.urls.some((u) => u.endsWith(v2.app)));

    // Offline, the cached v2 index comes with the v2 assets.
    await context.setOffline(true);
    await site.stop();
    await page.reload();
    await page.getByTestId('editor').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.build), 'v2');
  } finally {
    await context.close();
    await site.stop();
  }
});

test('rule docs that cannot be loaded show an error, and load on the next try', async () => {
  const site = await host(DIST);
  const context = await chromium.launchPersistentContext(temp('chromium'), {
    executablePath: CHROMIUM, headless: true, args: FLAGS, serviceWorkers: 'block',
  });
  try {
    await context.route('**/rule-docs-*.json', (route) => route.abort());
    const { page } = await open(context, site.url);
    await paste(page, POD);
    const go001 = await waitForFinding(page, 'GO001');
    await go001.getByTestId('explain').click();
    await go001.getByTestId('docs-error').waitFor();
    await go001.getByTestId('explain').click();
    await context.unroute('**/rule-docs-*.json');
    await go001.getByTestId('explain').click();
    await go001.getByRole('heading', { name: 'Why it matters' }).waitFor();
  } finally {
    await context.close();
    await site.stop();
  }
});
