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
      image: ghcr.io/acme/api:latest
      resources:
        limits:
          memory: 400Mi
`;

test('paste a manifest: findings at the right lines, explanation, rule page', async () => {
  const { page, errors } = await open(env.context, env.url);
  await paste(page, POD);
  const item = await waitForFinding(page, 'KS105', 8);
  assert.equal(await item.getAttribute('data-severity'), 'warning');
  const shown = await findings(page);
  assert.ok(shown.some((f) => f.code === 'KS105' && f.line === 8), JSON.stringify(shown));

  // The span is underlined in the highlight layer and the gutter has a marker on line 8.
  assert.equal(await page.locator('.layer mark.warning').first().textContent(), 'ghcr.io/acme/api:latest');
  assert.equal(await page.locator('.gutter .marker[data-line="8"]').count(), 1);

  // Clicking the finding selects its span in the editor.
  await item.locator('.goto').click();
  const selection = await page.getByTestId('editor').evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.equal(selection, 'ghcr.io/acme/api:latest');

  // The explanation renders the rule's docs (loaded on first use from the app's own JSON file).
  await item.getByTestId('explain').click();
  const explanation = item.getByTestId('explanation');
  await explanation.getByRole('heading', { name: 'Why it matters' }).waitFor();
  assert.ok((await explanation.locator('pre code').count()) >= 2);

  // The rule link opens the rule page.
  await item.locator('.rule-link').click();
  await page.getByTestId('rule-page').waitFor();
  assert.equal(await page.getByTestId('rule-page').getAttribute('data-code'), 'KS105');
  assert.match(page.url(), /#\/rules\/KS105$/);
  await page.getByTestId('rule-page').getByRole('heading', { name: 'Why it matters' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
