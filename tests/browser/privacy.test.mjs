import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, paste, waitForFinding } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

const HOSTILE = `# <script>window.__pwned = 1</script>
# <img src=x onerror="window.__pwned = 2">
apiVersion: v1
kind: Pod
metadata:
  name: "<img src=x onerror=alert(1)>"
spec:
  containers:
    - name: "<script>alert(2)</script>"
      image: "<img src=y onerror=alert(3)>:latest"
`;

test('no request leaves the origin; after the first load, only the rule docs, once', async () => {
  const { page } = await open(env.context, env.url);
  const origin = new URL(env.url).origin;
  const seen = [];
  page.on('request', (r) => seen.push(r.url()));
  await page.getByTestId('examples').selectOption('oomkilled');
  await waitForFinding(page, 'GO001');
  const item = page.locator('[data-testid="finding"][data-code="GO001"]');
  await item.getByTestId('explain').click();
  await item.getByRole('heading', { name: 'Why it matters' }).waitFor();
  await page.goto(env.url + '#/rules');
  await page.goto(env.url + '#/rules/GO001');
  await page.getByTestId('rule-page').getByRole('heading', { name: 'Why it matters' }).waitFor();
  await page.goto(env.url + '#/');
  await paste(page, HOSTILE);
  await waitForFinding(page, 'KS105');
  // The rule docs are not in the wasm: the first explanation fetches the app's own hashed
  // JSON file (named in index.html), and nothing else is fetched after the load.
  const docs = await page.getAttribute('meta[name="shoal-docs"]', 'content');
  assert.match(docs, /^\.\/rule-docs-[0-9a-f]{12}\.json$/);
  assert.deepEqual(seen, [new URL(docs, env.url).href], 'only the rule docs are fetched after the app has loaded');
  const foreign = env.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  await page.close();
});

test('hostile text in a file and a file name stays text', async () => {
  const { page } = await open(env.context, env.url);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const seen = [];
  page.on('request', (r) => seen.push(r.url()));
  const before = await page.evaluate(() => ({
    scripts: document.scripts.length, imgs: document.images.length,
  }));
  await paste(page, HOSTILE);
  const ks105 = await waitForFinding(page, 'KS105');
  await ks105.getByTestId('explain').click();
  await page.getByTestId('tab').first().dblclick();
  await page.getByTestId('rename-input').fill('<img src=z onerror="window.__pwned=3">.yaml');
  await page.keyboard.press('Enter');
  await page.locator('.gutter .marker').first().hover();
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => ({
    scripts: document.scripts.length, imgs: document.images.length, pwned: window.__pwned,
  }));
  assert.deepEqual(after, { ...before, pwned: undefined });
  assert.deepEqual(dialogs, []);
  // Opening KS105's explanation may fetch the app's own rule docs; nothing else is fetched.
  const docs = new URL(await page.getAttribute('meta[name="shoal-docs"]', 'content'), env.url).href;
  assert.deepEqual(seen.filter((u) => u !== docs), []);
  assert.match(await page.locator('.layer').textContent(), /<script>window.__pwned = 1<\/script>/);
  // Messages show their `quoted` names as code, still as text.
  assert.equal(await ks105.locator('.message code').first().textContent(), '<script>alert(2)</script>');
  assert.match(await page.getByTestId('tab').first().textContent(), /<img src=z/);
  await page.close();
});

test('the workspace is remembered only when asked, and forgotten on request', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, 'kind: ConfigMap\n# remember me\n');
  await page.reload();
  await page.getByTestId('editor').waitFor();
  assert.equal(await page.getByTestId('editor').inputValue(), '', 'not remembered by default');
  await paste(page, 'kind: ConfigMap\n# remember me\n');
  await page.getByTestId('remember-toggle').check();
  await page.waitForFunction(() => localStorage.getItem('shoal.workspace.v1')?.includes('remember me'));
  await page.reload();
  await page.getByTestId('editor').waitFor();
  assert.match(await page.getByTestId('editor').inputValue(), /remember me/);
  await page.getByTestId('forget-workspace').click();
  assert.equal(await page.evaluate(() => localStorage.getItem('shoal.workspace.v1')), null);
  assert.equal(await page.getByTestId('remember-toggle').isChecked(), false);
  await page.reload();
  await page.getByTestId('editor').waitFor();
  assert.equal(await page.getByTestId('editor').inputValue(), '');
  await page.close();
});

test('with the network cut, the loaded app keeps analysing', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: nginx\n');
  await waitForFinding(page, 'KS105', 7);
  await page.route('**/*', (route) => route.abort());
  await env.context.setOffline(true);
  try {
    await paste(page, 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: ghcr.io/acme/a:1.0\n    resources: {limits: {memory: 1Gi}}\n');
    await waitForFinding(page, 'GO001', 8);
    assert.equal(await page.locator('[data-testid="finding"][data-code="KS105"]').count(), 0);
  } finally {
    await env.context.setOffline(false);
    await page.unroute('**/*');
  }
  await page.close();
});
