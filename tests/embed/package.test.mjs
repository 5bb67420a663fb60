// The JS package from Node.js: dist/pkg/node.js (run scripts/build-embed.sh first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const pkgDir = new URL('../../dist/pkg/', import.meta.url);
const shoal = await import(new URL('node.js', pkgDir));
const { analyze, applyFixes, rules, explain, encodeShare, decodeShare, version } = shoal;

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api # «ünïcödé» 😀
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api # 😀😀
        image: ghcr.io/acme/api:1.8.2
        resources:
          limits: {cpu: "1", memory: 400Mi}   # 😀 memory
`;

function go001(result) {
  return result.findings.find((f) => f.code === 'GO001');
}

test('version is the crate version', () => {
  const cargo = readFileSync(new URL('../../crate/Cargo.toml', import.meta.url), 'utf8');
  const crateVersion = cargo.match(/^version = "(.*)"/m)[1];
  assert.equal(version, crateVersion);
  const pkg = JSON.parse(readFileSync(new URL('package.json', pkgDir), 'utf8'));
  assert.equal(pkg.version, crateVersion);
  assert.equal(pkg.types, './shoal.d.ts');
});

test('analyze finds GO001 at the memory key, with UTF-16 and byte positions', () => {
  const result = analyze([{ name: 'deploy.yaml', text: MANIFEST }]);
  assert.ok(!result.error, JSON.stringify(result.error));
  assert.deepEqual(result.files, [{ name: 'deploy.yaml', kind: 'manifest' }]);
  const f = go001(result);
  assert.ok(f, 'GO001 reported');
  const lines = MANIFEST.split('\n');
  assert.equal(f.line, 14);
  assert.equal(f.column, lines[13].indexOf('memory') + 1);
  // UTF-16 offsets slice the JS string; byte offsets slice its UTF-8 form.
  assert.equal(MANIFEST.slice(f.start, f.end).startsWith('memory'), true);
  const bytes = Buffer.from(MANIFEST, 'utf8');
  assert.equal(bytes.subarray(f.byteStart, f.byteEnd).toString('utf8'), MANIFEST.slice(f.start, f.end));
  assert.ok(f.byteStart > f.start, 'non-ASCII text before: bytes > UTF-16 units');
  assert.equal(f.severity, 'warning');
  assert.equal(f.fileName, 'deploy.yaml');
  assert.equal(f.object.kind, 'Deployment');
  assert.equal(f.object.container, 'api');
  assert.equal(f.fix.applicability, 'safe');
  for (const e of f.fix.edits) {
    assert.equal(typeof e.content, 'string');
    assert.ok(e.start <= e.end && e.byteStart <= e.byteEnd);
  }
});

test('a column after astral characters counts UTF-16 code units', () => {
  const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: "😀😀"}\nspec:\n  containers:\n  - {name: api, image: "ghcr.io/acme/api:1", resources: {limits: {memory: 1Gi}}, env: [{name: X, value: "😀"}]}\n`;
  const f = go001(analyze([{ name: 'pod.yaml', text }]));
  const line = text.split('\n')[5];
  assert.equal(f.line, 6);
  assert.equal(f.column, line.indexOf('memory') + 1);
  assert.equal(text.slice(f.start, f.start + 6), 'memory');
});

test('applyFixes by code removes GO001; by finding too', () => {
  const files = [{ name: 'deploy.yaml', text: MANIFEST }];
  const fixed = applyFixes(files, ['GO001']);
  assert.ok(!fixed.error, JSON.stringify(fixed.error));
  assert.equal(fixed.applied, 1);
  assert.match(fixed.files[0].text, /GOMEMLIMIT/);
  assert.equal(go001(analyze(fixed.files)), undefined);

  const finding = go001(analyze(files));
  const byFinding = applyFixes(files, [finding]);
  assert.equal(byFinding.files[0].text, fixed.files[0].text);

  const all = applyFixes(files);
  assert.ok(all.applied >= 1);
  assert.equal(applyFixes(files, []).applied, 0);
});

test('rules and explain', () => {
  const list = rules();
  assert.ok(Array.isArray(list));
  assert.ok(list.length >= 60, `only ${list.length} rules`);
  const doc = explain('GO001');
  assert.equal(doc.code, 'GO001');
  assert.equal(doc.name, 'gomemlimit-missing');
  assert.match(doc.docs, /## What it does/);
  assert.equal(explain('gomemlimit-missing').code, 'GO001');
  assert.ok(explain('NOPE').error.message);
  assert.ok(explain(42).error.message);
});

test('options and configYaml', () => {
  const files = [{ name: 'deploy.yaml', text: MANIFEST }];
  assert.equal(go001(analyze(files, { rules: { GO001: false } })), undefined);
  assert.equal(go001(analyze(files, { rules: { GO001: 'error' } })).severity, 'error');
  assert.equal(go001(analyze(files, { configYaml: 'rules:\n  GO001: off\n' })), undefined);
  const go004 = (options) => analyze(files, options).findings.find((f) => f.code === 'GO004');
  assert.ok(go004({ goVersion: '1.22' }));
  assert.equal(go004({ goVersion: '1.25' }), undefined);
  assert.ok(analyze(files, { rules: { XX001: true } }).error.message.includes('unknown rule'));
  assert.ok(analyze(files, { configYaml: 'bogus: 1' }).error);
  assert.ok(analyze(files, 'nope').error);
});

test('bad input gives {error} or findings, never a throw', () => {
  const junk = Buffer.alloc(5 * 1024 * 1024);
  for (let i = 0, x = 12345; i < junk.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    junk[i] = x >>> 24;
  }
  const cyclic = { name: 'a', text: 'x' };
  cyclic.self = cyclic;
  const cases = [
    [undefined],
    [null],
    ['just a string'],
    [42],
    [[{ name: 'a.yaml', text: 42 }]],
    [[{ name: 'a.yaml' }]],
    [[{ text: 'kind: Pod' }]],
    [[{ name: 1, text: 'x' }]],
    [[null]],
    [[{ name: 'a.yaml', text: junk }]],
    [[{ name: 'a.yaml', text: 10n }]],
    [[cyclic]],
    [[{ name: 'a.yaml', text: 'x' }], { rules: 'all' }],
    [[{ name: 'a.yaml', text: 'x' }], { goVersion: 1.22 }],
    [[{ name: 'a.yaml', text: 'x' }], { pairs: [{ image: 'x' }] }],
    [[{ name: 'a.yaml', text: '\uD800 lone surrogate: [' }]],
  ];
  for (const args of cases) {
    const result = analyze(...args);
    assert.ok(result && typeof result === 'object');
    assert.ok(result.error ? typeof result.error.message === 'string' : Array.isArray(result.findings), JSON.stringify(result).slice(0, 200));
  }
  assert.ok(analyze([{ name: 'a.yaml', text: 42 }]).error.path === 'files[0].text');
  assert.ok(analyze([{ name: 'a.yaml' }]).error.message.includes('missing'));

  // 5 MB of binary junk as text: findings (PARSE) or an error value.
  for (const name of ['junk.yaml', 'Dockerfile', 'junk']) {
    const started = Date.now();
    const result = analyze([{ name, text: junk.toString('latin1') }]);
    assert.ok(result.error || Array.isArray(result.findings), name);
    assert.ok(Date.now() - started < 60000, `${name} took ${Date.now() - started} ms`);
  }

  for (const args of [[undefined], ['x'], [[{ text: 1 }]], [[{ name: 'a', text: 'x' }], 'GO001x'], [[{ name: 'a', text: 'x' }], [{}]], [[{ name: 'a', text: 'x' }], null, 'unsafe']]) {
    const result = applyFixes(...args);
    assert.ok(result.error || Array.isArray(result.files), JSON.stringify(result).slice(0, 200));
  }
  assert.ok(decodeShare(5).error);
  assert.ok(decodeShare('#w=%%%').error);
  assert.ok(encodeShare('x').error);
});

test('share fragments round-trip', () => {
  const files = [{ name: 'Dockerfile', text: 'FROM golang:1.22\n' }, { name: 'deploy.yaml', text: MANIFEST }];
  const { fragment } = encodeShare(files);
  assert.match(fragment, /^w=[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeShare(`#${fragment}`).files, files);
});
