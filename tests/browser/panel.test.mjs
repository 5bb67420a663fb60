// The findings panel's filters, the export menu, the Go-version setting, the themes and the
// layout at laptop and wide-monitor widths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, open, paste, findings, waitForFinding } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

// A Go service with a CPU limit (GO004), a latest tag (KS105, a warning) and no probes.
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:latest
        resources:
          limits: {cpu: 250m, memory: 256Mi}
`;

const visibleCodes = async (page) => (await findings(page)).map((f) => f.code);

test('severity chips and the rule filter narrow the list; the total stays', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, MANIFEST);
  await waitForFinding(page, 'KS105');
  const all = await findings(page);
  const severities = new Set(all.map((f) => f.severity));
  assert.ok(severities.has('warning') && severities.size > 1, JSON.stringify(all));
  const total = await page.getByTestId('finding-count').textContent();

  // Hide warnings: none is listed, the others are; the chip says it is off.
  await page.getByTestId('filter-warning').click();
  assert.equal(await page.getByTestId('filter-warning').getAttribute('aria-pressed'), 'false');
  const shown = await findings(page);
  assert.ok(shown.length > 0 && shown.every((f) => f.severity !== 'warning'), JSON.stringify(shown));
  assert.equal(await page.getByTestId('finding-count').textContent(), total);
  await page.getByTestId('filter-warning').click();
  assert.equal((await findings(page)).length, all.length);

  // One rule only.
  await page.getByTestId('rule-filter').selectOption('KS105');
  assert.deepEqual(await visibleCodes(page), ['KS105']);
  await page.getByTestId('rule-filter').selectOption('');
  assert.equal((await findings(page)).length, all.length);
  await page.close();
});

/** Picks an export entry and returns the downloaded file's name and text. */
async function exported(page, value) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export').selectOption(value),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

test('export: JSON, SARIF and Markdown describe the findings shown; the fixed file downloads', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, MANIFEST);
  await waitForFinding(page, 'KS105');
  const shown = await findings(page);

  const json = await exported(page, 'json');
  assert.match(json.name, /\.json$/);
  const report = JSON.parse(json.text);
  assert.equal(report.version, 1);
  assert.deepEqual(
    report.findings.map((f) => `${f.code}@${f.line}`).sort(),
    shown.map((f) => `${f.code}@${f.line}`).sort(),
  );
  const ks105 = report.findings.find((f) => f.code === 'KS105');
  assert.equal(ks105.line, 11);
  assert.equal(ks105.severity, 'warning');

  const sarif = JSON.parse((await exported(page, 'sarif')).text);
  assert.equal(sarif.version, '2.1.0');
  const results = sarif.runs[0].results;
  assert.equal(results.length, shown.length);
  const r105 = results.find((r) => r.ruleId === 'KS105');
  assert.equal(r105.locations[0].physicalLocation.region.startLine, 11);

  const md = (await exported(page, 'md')).text;
  assert.match(md, /KS105/);
  assert.match(md, /\|/, 'a Markdown table');

  // "Download this file" gives the active file's text.
  const fixed = await exported(page, 'fixed');
  assert.equal(fixed.text, MANIFEST);
  // The menu returns to its prompt so the same entry can be picked again.
  assert.equal(await page.getByTestId('export').inputValue(), '');
  await page.close();
});

test('copy entries put the Markdown report and the file on the clipboard', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, MANIFEST);
  await waitForFinding(page, 'KS105');
  await page.getByTestId('export').selectOption('copy-fixed');
  await page.waitForFunction(async (text) => (await navigator.clipboard.readText()) === text, MANIFEST);
  await page.getByTestId('export').selectOption('copy-md');
  await page.waitForFunction(async () => (await navigator.clipboard.readText()).includes('KS105'));
  await page.close();
});

test('the Go version setting changes GO004 when no Dockerfile tells', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, MANIFEST);
  const go004 = await waitForFinding(page, 'GO004');
  assert.equal(await go004.getAttribute('data-severity'), 'info', 'Go version unknown');

  await page.goto(env.url + '#/settings');
  await page.getByTestId('go-version').fill('1.21');
  await page.getByTestId('go-version').press('Tab');
  await page.goto(env.url + '#/');
  await page.waitForFunction(() => document.querySelector('[data-testid="finding"][data-code="GO004"]')?.dataset.severity === 'warning');

  // Go 1.25 reads the CPU limit itself: nothing to report.
  await page.goto(env.url + '#/settings');
  await page.getByTestId('go-version').fill('1.25');
  await page.getByTestId('go-version').press('Tab');
  await page.goto(env.url + '#/');
  await waitForFinding(page, 'KS105');
  await page.waitForFunction(() => !document.querySelector('[data-testid="finding"][data-code="GO004"]'));
  await page.close();
});

test('light and dark themes follow the system', async () => {
  const { page } = await open(env.context, env.url);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  assert.ok(luminance(light) > 180, `light background ${light}`);
  assert.ok(luminance(dark) < 80, `dark background ${dark}`);
  await page.close();
});

test('the layout fits a laptop and uses a wide monitor: editor and panel side by side, no sideways scrolling', async () => {
  const { page } = await open(env.context, env.url);
  await paste(page, MANIFEST);
  await waitForFinding(page, 'KS105');
  for (const width of [1280, 2560]) {
    await page.setViewportSize({ width, height: 900 });
    const box = await page.evaluate(() => {
      const r = (sel) => document.querySelector(sel).getBoundingClientRect();
      return {
        editor: r('[data-testid="editor"]'),
        panel: r('.findings'),
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      };
    });
    assert.ok(box.scroll <= box.inner, `no horizontal scroll at ${width}px (${box.scroll} > ${box.inner})`);
    assert.ok(box.panel.left >= box.editor.right - 1, `panel beside the editor at ${width}px`);
    if (width === 2560) {
      assert.ok(box.editor.width > 1000, `the editor grows on a wide screen (${box.editor.width}px)`);
    }
  }
  await page.close();
});

test('a long group shows its first 25 rows, then 50 more per click', async () => {
  const { page } = await open(env.context, env.url);
  // 40 Deployments with a latest tag: 40 KS105 warnings and more in the warnings group.
  const docs = Array.from({ length: 40 }, (_, i) => MANIFEST.replace('name: api,', `name: api${i},`)).join('---\n');
  await paste(page, docs);
  await waitForFinding(page, 'KS105');
  const head = await page.locator('h4.sev-head.warning').first().textContent();
  const total = Number(head.match(/\((\d+)\)/)[1]);
  assert.ok(total >= 40, head);
  const group = page.locator('.finding-list').filter({ has: page.locator('[data-severity="warning"]') });
  assert.equal(await group.getByTestId('finding').count(), 25);
  const more = page.getByTestId('show-more').first();
  assert.equal(await more.textContent(), `Show ${Math.min(50, total - 25)} more of ${total - 25} warnings`);
  await more.click();
  assert.equal(await group.getByTestId('finding').count(), Math.min(75, total));
  await page.close();
});
