// The package's web build (dist/pkg/shoal.js) from a plain <script type="module"> in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, until } from './helpers.mjs';

test('dist/pkg/shoal.js works from a module script in Chromium', async () => {
  const server = await serve();
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.origin}/test-pages/package.html`);
    await until(() => page.evaluate(() => document.body.dataset.done === '1'), 15000, 'the page script');
    const out = JSON.parse(await page.textContent('#out'));
    assert.deepEqual(errors, []);
    assert.match(out.beforeInit.error.message, /init\(\)/, 'calls before init() return an error value');
    assert.equal(out.ready, true);
    assert.match(out.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(out.go001, { line: 9, column: 16, slice: 'memory' });
    assert.equal(out.fixedHasGo001, false);
    assert.ok(out.rules >= 60);
    assert.equal(out.explain, 'gomemlimit-missing');
    assert.equal(out.bad.error.path, 'files[0].text');
    assert.ok(server.requests.includes('/pkg/shoal_core_bg.wasm'));
  } finally {
    await browser.close();
    await server.close();
  }
});
