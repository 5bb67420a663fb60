import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, paste, waitForFinding } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

const DOCKERFILE = 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT /app serve\n';

test('a pasted Dockerfile is detected; files can be added, renamed and removed', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, DOCKERFILE);
  const df006 = await waitForFinding(page, 'DF006', 5);
  assert.equal(await df006.getAttribute('data-severity'), 'error');
  assert.equal(await page.locator('.tab.active .kind.docker').count(), 1);

  await page.getByTestId('add-file').click();
  assert.equal(await page.getByTestId('tab').count(), 2);
  assert.equal(await page.getByTestId('editor').inputValue(), '');
  await page.getByTestId('tab').nth(1).dblclick();
  await page.getByTestId('rename-input').fill('api/deployment.yaml');
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('tab').nth(1).textContent().then((t) => t.includes('api/deployment.yaml')), true);
  await page.getByTestId('remove-file').nth(1).click();
  assert.equal(await page.getByTestId('tab').count(), 1);
  await page.close();
});

test('dropping several files adds them all', async () => {
  const { page } = await open(env.context, env.url);
  await page.evaluate(async ({ dockerfile }) => {
    const dt = new DataTransfer();
    dt.items.add(new File(['apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: nginx\n'], 'pod.yaml'));
    dt.items.add(new File([dockerfile], 'Dockerfile'));
    const target = document.querySelector('.editor');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { dockerfile: DOCKERFILE });
  await page.getByTestId('tab').nth(2).waitFor();
  const names = await page.getByTestId('tab').allTextContents();
  assert.ok(names.some((n) => n.includes('pod.yaml')) && names.some((n) => n.includes('Dockerfile')), names.join());
  await waitForFinding(page, 'KS105');
  await page.close();
});

test('pairing a Dockerfile changes the cross-file findings (GO004 follows its Go version)', async () => {
  const { page } = await open(env.context, env.url);
  await page.getByTestId('examples').selectOption('old-go-cpu');
  const go004 = await waitForFinding(page, 'GO004');
  assert.equal(await go004.getAttribute('data-severity'), 'warning', 'paired with golang:1.21');
  const select = page.getByTestId('pair-select').first();
  await select.selectOption('');
  await page.waitForFunction(() => document.querySelector('[data-testid="finding"][data-code="GO004"]')?.dataset.severity === 'info');
  await select.selectOption('pricing.Dockerfile');
  await page.waitForFunction(() => document.querySelector('[data-testid="finding"][data-code="GO004"]')?.dataset.severity === 'warning');
  await page.close();
});

test('share link round trip; the fragment is removed once read', async () => {
  const { page } = await open(env.context, env.url);
  await page.getByTestId('examples').selectOption('root-image');
  await waitForFinding(page, 'XF001');
  const texts = await page.evaluate(() => document.querySelector('[data-testid="editor"]').value);
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-url').inputValue();
  assert.match(link, /#\/\?ws=1\.[A-Za-z0-9_-]+$/);
  const other = await env.context.newPage();
  await other.goto(link);
  await other.getByTestId('editor').waitFor();
  await waitForFinding(other, 'XF001');
  assert.equal(await other.getByTestId('editor').inputValue(), texts);
  assert.equal(await other.getByTestId('tab').count(), 2);
  assert.equal(new URL(other.url()).hash, '#/');
  // A damaged link says so and keeps the app usable.
  await other.goto(env.url + '#/?ws=1.AAAA');
  await other.getByTestId('notice').filter({ hasText: 'damaged' }).waitFor();
  await page.close();
  await other.close();
});

test('rule settings apply and persist across a reload', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: nginx\n');
  await waitForFinding(page, 'KS105');
  await page.goto(env.url + '#/rules/KS105');
  await page.getByTestId('rule-page').waitFor();
  await page.getByTestId('rule-enabled').uncheck();
  await page.goto(env.url + '#/rules');
  await page.reload();
  await page.locator('[data-testid="rule-row"][data-code="KS105"] [data-testid="rule-enabled"]').waitFor();
  assert.equal(await page.locator('[data-testid="rule-row"][data-code="KS105"] [data-testid="rule-enabled"]').isChecked(), false);
  await page.getByTestId('rule-severity').first().waitFor();
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test('a small workspace is analysed on the page, a large one in the worker, with the same findings', async () => {
  const page = await env.context.newPage();
  // Count what the page sends its worker (the warm-up request at start, then analyses).
  await page.addInitScript(() => {
    window.__posted = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (...args) { window.__posted += 1; return post.apply(this, args); };
  });
  await page.goto(env.url);
  await page.waitForFunction(() => document.documentElement.dataset.worker === 'ready');
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: nginx\n    securityContext: {privileged: true}\n';
  const shown = () => page.$$eval('[data-testid="finding"]', (els) => els.map((e) => `${e.dataset.code}:${e.dataset.line}:${e.dataset.severity}`).sort());
  const settled = () => page.waitForFunction(() => !document.querySelector('.findings .pending'));
  const posted = () => page.evaluate(() => window.__posted);
  const before = await posted();
  await paste(page, pod);
  await waitForFinding(page, 'KS105', 7);
  await settled();
  const small = await shown();
  assert.equal(await posted(), before, 'no worker round trip for a small workspace');
  // The same manifest with 40 KB of comments after it: over the on-page limit.
  await paste(page, pod + '# padding padding padding padding padding padding padding\n'.repeat(700));
  await settled();
  assert.ok(await posted() > before, 'a large workspace goes to the worker');
  assert.deepEqual(await shown(), small);
  await page.close();
});
