// The docs embed on its demo page (dist/embed/demo/), in headless Chromium, served with a strict
// Content-Security-Policy and hostile host CSS. Run scripts/build-embed.sh first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serve, launch, until, STRICT_CSP, DIST } from './helpers.mjs';

const HOSTILE_CSS = `* { display: inline !important; color: red !important; font-size: 3px !important;
  font-family: "Comic Sans MS", fantasy !important; background: yellow !important; }
pre, code, textarea, details, li { white-space: normal !important; border: 5px dotted blue !important; }
shoal-check { visibility: visible; }`;

const DEMO = readFileSync(`${DIST}/embed/demo/index.html`, 'utf8');

// The demo page with the hostile stylesheet linked after the page's own.
function hostilePage() {
  return DEMO.replace('</head>', '<link rel="stylesheet" href="/hostile.css">\n</head>');
}

async function openDemo({ hostile = true } = {}) {
  const server = await serve({
    headers: () => ({ 'content-security-policy': STRICT_CSP }),
    override: (p) => {
      if (p === '/embed/demo/' || p === '/embed/demo/index.html') {
        return hostile ? { body: hostilePage(), type: 'text/html; charset=utf-8' } : null;
      }
      if (p === '/hostile.css') return { body: HOSTILE_CSS, type: 'text/css' };
      return null;
    },
  });
  const browser = await launch();
  const page = await browser.context.newPage();
  const log = { requests: [], console: [], pageErrors: [], failed: [] };
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) log.failed.push(new URL(r.url()).pathname);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  // Records CSP violations and the window's own keys before any page script runs; stored
  // non-enumerably so the globals check does not see it.
  await page.addInitScript(() => {
    const state = { before: Object.keys(window), violations: [] };
    document.addEventListener(
      'securitypolicyviolation',
      (e) => state.violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      true,
    );
    Object.defineProperty(window, '__shoalTest', { value: state, enumerable: false });
  });
  await page.goto(`${server.origin}/embed/demo/`);
  return {
    server,
    page,
    log,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** State of the <shoal-check> with this filename: status, findings, marked lines. */
function blockState(page, filename) {
  return page.evaluate((filename) => {
    const block = [...document.querySelectorAll('shoal-check')].find((b) => b.getAttribute('filename') === filename);
    if (!block || !block.shadowRoot) return null;
    const root = block.shadowRoot;
    const marked = {};
    root.querySelectorAll('.line').forEach((row, i) => {
      const sev = [...row.classList].find((c) => c.startsWith('sev-'));
      if (sev) marked[i + 1] = sev.slice(4);
    });
    const box = root.querySelector('.box');
    const style = getComputedStyle(box);
    return {
      status: root.querySelector('.status').textContent,
      findings: [...root.querySelectorAll('.finding')].map((li) => ({
        code: li.dataset.code,
        line: Number(li.dataset.line),
        severity: li.querySelector('.sev').textContent,
        message: li.querySelector('.msg').textContent,
      })),
      marked,
      lines: root.querySelectorAll('.line').length,
      open: root.querySelector('.open').hidden ? null : root.querySelector('.open').href,
      hostDisplay: getComputedStyle(block).display,
      fontSize: parseFloat(style.fontSize),
      color: style.color,
      boxHeight: box.getBoundingClientRect().height,
    };
  }, filename);
}

async function scrollToAll(page) {
  for (const name of ['orders/deploy.yaml', 'payments/deploy.yaml', 'billing/deploy.yaml']) {
    await page.evaluate((n) => [...document.querySelectorAll('shoal-check')].find((b) => b.getAttribute('filename') === n).scrollIntoView(), name);
    await page.waitForTimeout(50);
  }
}

test('demo page: blocks upgraded under a strict CSP and hostile CSS, findings on the right lines', async () => {
  const t = await openDemo();
  try {
    const { page, log, server } = t;
    await scrollToAll(page);
    await until(async () => (await blockState(page, 'billing/deploy.yaml'))?.findings.length, 15000, 'findings');

    assert.equal(await page.evaluate(() => document.querySelectorAll('shoal-check').length), 4, 'four blocks (2 elements + 2 upgraded <pre>)');

    const good = await blockState(page, 'orders/deploy.yaml');
    assert.equal(good.findings.length, 0, JSON.stringify(good.findings));
    assert.match(good.status, /no problems/);

    const bad = await blockState(page, 'payments/deploy.yaml');
    const go001 = bad.findings.find((f) => f.code === 'GO001');
    assert.ok(go001, JSON.stringify(bad.findings));
    assert.equal(go001.line, 22);
    assert.equal(go001.severity, 'warning');
    assert.match(go001.message, /400Mi/);
    assert.equal(bad.findings.find((f) => f.code === 'KS003')?.line, 25);
    assert.equal(bad.marked[22], 'warning');
    assert.equal(bad.marked[25], 'warning');
    assert.equal(bad.marked[1], undefined);
    assert.equal(bad.lines, 26);

    // The grouped pair: the cross-file finding appears under the Deployment, the Dockerfile's
    // own finding under the Dockerfile.
    const deploy = await blockState(page, 'billing/deploy.yaml');
    const xf001 = deploy.findings.find((f) => f.code === 'XF001');
    assert.ok(xf001, JSON.stringify(deploy.findings));
    assert.equal(xf001.line, 13);
    assert.equal(xf001.severity, 'error');
    assert.match(xf001.message, /billing\/Dockerfile/);
    const dockerfile = await blockState(page, 'billing/Dockerfile');
    assert.equal(dockerfile.findings.find((f) => f.code === 'DF004')?.line, 8);
    assert.ok(!dockerfile.findings.some((f) => f.code === 'XF001'));

    // Hostile host CSS does not reach inside: blocks are laid out and readable.
    for (const s of [good, bad, deploy, dockerfile]) {
      assert.equal(s.hostDisplay, 'block');
      assert.ok(s.fontSize >= 10, `font-size ${s.fontSize}`);
      assert.notEqual(s.color, 'rgb(255, 0, 0)');
      assert.ok(s.boxHeight > 100, `box height ${s.boxHeight}`);
    }

    // "Open in shoal" carries the workspace in the fragment: made with CompressionStream just
    // after the findings, in the format the app (and the package's decodeShare) reads.
    const open = await until(async () => (await blockState(page, 'billing/deploy.yaml')).open, 5000, 'the link');
    assert.ok(open.startsWith(`${server.origin}/#w=`), open);
    const { decodeShare } = await import(new URL('pkg/node.js', `file://${DIST}/`));
    const shared = decodeShare(new URL(open).hash);
    assert.equal(shared.files?.find((f) => f.name === 'billing/deploy.yaml')?.text.includes('kind:'), true, JSON.stringify(shared).slice(0, 200));

    // The explanation renders the rule docs as DOM; they are not in the wasm but fetched, once,
    // from shoal-docs.json next to the script (the same origin).
    assert.equal(log.requests.filter((u) => u.endsWith('/shoal-docs.json')).length, 0, 'no docs before "Why?"');
    const doc = await page.evaluate(async () => {
      const block = [...document.querySelectorAll('shoal-check')].find((b) => b.getAttribute('filename') === 'payments/deploy.yaml');
      const li = block.shadowRoot.querySelector('.finding[data-code="GO001"]');
      const details = li.querySelector('details');
      details.querySelector('summary').click();
      for (let i = 0; i < 150 && !details.querySelector('.doc .md-h'); i++) await new Promise((r) => setTimeout(r, 100));
      const docEl = details.querySelector('.doc');
      return {
        open: details.open,
        headings: [...docEl.querySelectorAll('.md-h')].map((h) => h.textContent),
        pre: docEl.querySelectorAll('pre').length,
        links: [...docEl.querySelectorAll('a')].map((a) => a.href),
        scripts: docEl.querySelectorAll('script, iframe, img').length,
      };
    });
    assert.ok(doc.open);
    assert.ok(doc.headings.includes('What it does'), JSON.stringify(doc.headings));
    assert.ok(doc.pre >= 2);
    assert.ok(doc.links.every((h) => h.startsWith('https://')));
    assert.equal(doc.scripts, 0);

    // A good guest: only its own files were requested, no CSP violation, no error, no global.
    const paths = log.requests.map((u) => {
      assert.ok(u.startsWith(server.origin), `request to another origin: ${u}`);
      return new URL(u).pathname;
    });
    const allowed = new Set(['/embed/demo/', '/embed/demo/demo.css', '/hostile.css', '/embed/shoal-embed.js', '/embed/shoal.wasm', '/embed/shoal-docs.json', '/favicon.ico']);
    for (const p of paths) assert.ok(allowed.has(p), `unexpected request ${p}`);
    assert.equal(paths.filter((p) => p.endsWith('.wasm')).length, 1, 'the wasm is fetched once');
    assert.equal(paths.filter((p) => p === '/embed/shoal-docs.json').length, 1, 'the docs are fetched once');
    const { violations, added } = await page.evaluate(() => ({
      violations: window.__shoalTest.violations,
      added: Object.keys(window).filter((k) => !window.__shoalTest.before.includes(k)),
    }));
    assert.deepEqual(violations, []);
    assert.deepEqual(added, []);
    assert.ok(await page.evaluate(() => typeof customElements.get('shoal-check') === 'function'));
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(log.failed, []);
    assert.deepEqual(log.console, []);
  } finally {
    await t.close();
  }
});

test('the wasm loads lazily, when the first block scrolls into view', async () => {
  const t = await openDemo({ hostile: false });
  try {
    const { page, log } = t;
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    const firstTop = await page.evaluate(() => document.querySelector('shoal-check').getBoundingClientRect().top);
    assert.ok(firstTop > 720 + 200, `the first block must start below the fold (top ${firstTop})`);
    assert.equal(log.requests.filter((u) => u.endsWith('.wasm')).length, 0, 'no wasm before scrolling');
    const before = await blockState(page, 'orders/deploy.yaml');
    assert.match(before.status, /not checked yet/);
    assert.equal(before.lines, 45, 'the code is shown before the engine loads');

    await page.evaluate(() => document.querySelector('shoal-check').scrollIntoView());
    await until(async () => (await blockState(page, 'orders/deploy.yaml')).status.includes('no problems'), 15000, 'check');
    assert.equal(log.requests.filter((u) => u.endsWith('.wasm')).length, 1);
  } finally {
    await t.close();
  }
});

test('edit toggle: typing in the editor re-checks', async () => {
  const t = await openDemo({ hostile: false });
  try {
    const { page } = t;
    await scrollToAll(page);
    await until(async () => (await blockState(page, 'payments/deploy.yaml'))?.findings.length, 15000, 'findings');
    const host = page.locator('shoal-check[filename="payments/deploy.yaml"]');
    await host.locator('button.edit').click();
    const editor = host.locator('textarea');
    assert.ok(await editor.isVisible());
    assert.match(await editor.inputValue(), /memory: 400Mi/);

    // Type the env var in: click at the end of line 16 (`        - containerPort: 8080`).
    await editor.evaluate((ta) => {
      const lines = ta.value.split('\n');
      const at = lines.slice(0, 17).join('\n').length; // end of line 17 ("- containerPort: 8080")
      ta.setSelectionRange(at, at);
    });
    await editor.pressSequentially('\n        env: [{name: GOMEMLIMIT, value: 360MiB}]', { delay: 5 });
    await until(async () => !(await blockState(page, 'payments/deploy.yaml')).findings.some((f) => f.code === 'GO001'), 10000, 'GO001 gone');
    const after = await blockState(page, 'payments/deploy.yaml');
    assert.equal(after.findings.find((f) => f.code === 'KS003')?.line, 26, 'later findings moved down a line');

    // Break the YAML: a PARSE finding appears.
    await editor.pressSequentially('\n  : : [', { delay: 5 });
    await until(async () => (await blockState(page, 'payments/deploy.yaml')).findings.some((f) => f.code === 'PARSE'), 10000, 'PARSE');

    // Done: the code view shows the edited text with its markers.
    await host.locator('button.edit').click();
    const done = await blockState(page, 'payments/deploy.yaml');
    assert.ok(done.lines > 26);
  } finally {
    await t.close();
  }
});
