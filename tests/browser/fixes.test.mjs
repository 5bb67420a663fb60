import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, paste, findings, waitForFinding } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

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

test('fix preview shows the change, applying it removes the finding, undo brings it back', async () => {
  const { page, errors } = await open(env.context, env.url);
  await paste(page, POD);
  const go001 = await waitForFinding(page, 'GO001', 11);
  await go001.getByTestId('apply-fix').click();
  const dialog = page.getByTestId('fix-preview');
  await dialog.waitFor();
  const diff = await dialog.locator('.diff').textContent();
  assert.match(diff, /\+ .*GOMEMLIMIT/);
  assert.match(diff, /limits\.memory/);
  await page.getByTestId('confirm-fix').click();
  await page.locator('[data-testid="finding"][data-code="GO001"]').waitFor({ state: 'detached' });
  const text = await page.getByTestId('editor').inputValue();
  assert.match(text, /name: GOMEMLIMIT/);
  assert.match(text, /memory: 400Mi/);
  assert.equal(await page.getByTestId('notice').textContent().then((t) => t.includes('Applied')), true);

  await page.getByTestId('undo').click();
  await waitForFinding(page, 'GO001', 11);
  assert.equal(await page.getByTestId('editor').inputValue(), POD);
  await page.getByTestId('redo').click();
  await page.locator('[data-testid="finding"][data-code="GO001"]').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('cancel keeps the text; Escape closes the preview', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, POD);
  const go001 = await waitForFinding(page, 'GO001', 11);
  await go001.getByTestId('apply-fix').click();
  await page.getByTestId('fix-preview').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('fix-preview').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('editor').inputValue(), POD);
  await page.close();
});

test('apply all safe fixes leaves no safe fix behind', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, POD);
  await waitForFinding(page, 'GO001', 11);
  const before = await page.locator('[data-testid="finding"][data-fix="safe"]').count();
  assert.ok(before >= 1);
  await page.getByTestId('fix-all').click();
  await page.locator('[data-testid="finding"][data-code="GO001"]').waitFor({ state: 'detached' });
  await page.waitForFunction(() => !document.querySelector('.findings .pending'));
  assert.equal(await page.locator('[data-testid="finding"][data-fix="safe"]').count(), 0);
  assert.ok((await findings(page)).length > 0, 'advice-only findings stay');
  await page.close();
});

test('keyboard: F8 / Shift+F8 move through findings, Ctrl+. opens the fix', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, POD);
  await waitForFinding(page, 'GO001', 11);
  const all = await findings(page);
  await page.keyboard.press('F8');
  const current = page.locator('[data-testid="finding"][aria-current="true"]');
  await current.waitFor();
  const first = await current.getAttribute('data-line');
  const selected = await page.getByTestId('editor').evaluate((t) => t.selectionEnd > t.selectionStart);
  assert.ok(selected, 'the span is selected in the editor');
  await page.keyboard.press('F8');
  await page.keyboard.press('Shift+F8');
  assert.equal(await current.getAttribute('data-line'), first);
  assert.ok(all.length >= 2);
  // Alt+Down to GO001 (the last finding, line 11), then Ctrl+. previews its fix.
  await page.keyboard.press('Shift+F8');
  assert.equal(Number(await current.getAttribute('data-line')), Math.max(...all.map((f) => f.line)), 'wraps to the last');
  while ((await current.getAttribute('data-code')) !== 'GO001') await page.keyboard.press('Alt+ArrowDown');
  await page.keyboard.press('Control+.');
  await page.getByTestId('fix-preview').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'confirm-fix');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="finding"][data-code="GO001"]').waitFor({ state: 'detached' });
  await page.close();
});
