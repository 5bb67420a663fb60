// Large-file mode: above 48 KB (or 2,000 lines) the textarea holds only a window of the file's
// lines; pastes, jumps to findings, typing and select-all + copy work on the whole text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { start, open, paste } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

// One Deployment per copy, each with its own name (a latest tag, no probes, no limits).
const doc = (i) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api${i}, namespace: shop}
spec:
  selector: {matchLabels: {app: api${i}}}
  template:
    metadata: {labels: {app: api${i}}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:latest
        # padding padding padding padding padding padding padding padding padding padding
`;
const copies = (n) => Array.from({ length: n }, (_, i) => doc(i)).join('---\n');

const count = async (page) => Number((await page.getByTestId('finding-count').textContent()).match(/\d[\d,]*/)[0].replaceAll(',', ''));
const settled = (page) => page.waitForFunction(() => document.querySelector('.findings') && !document.querySelector('.findings .pending'));

/** Pastes `text` as the browser would: a paste event carrying it. */
async function pasteEvent(page, text) {
  return page.evaluate((text) => {
    const area = document.querySelector('[data-testid="editor"]');
    area.focus();
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    const event = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
    area.dispatchEvent(event);
    return event.defaultPrevented;
  }, text);
}

/** Waits until the editor's text (all of it, not the window) is `len` bytes long. */
const lengthIs = (page, len) => page.waitForFunction((len) => document.querySelector('[data-testid="editor"]').dataset.length === String(len), len);

/** Empties the editor, then pastes `big` into it and waits until the editor has it. */
async function pasteLarge(page, big) {
  await paste(page, '');
  await pasteEvent(page, big);
  await lengthIs(page, big.length);
}

async function exportedFile(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export').selectOption('fixed'),
  ]);
  return readFileSync(await download.path(), 'utf8');
}

test('a 1 MB paste: windowed textarea, all findings, jump, type, select-all + copy', async () => {
  const { page, errors } = await open(env.context, env.url);
  // The engine's count for three copies (analysed on the page), to scale.
  await paste(page, copies(3));
  await settled(page);
  const three = await count(page);
  assert.ok(three > 0 && three % 3 === 0, `three copies: ${three}`);
  await paste(page, '');
  await settled(page);

  const n = Math.ceil(1_048_576 / doc(0).length);
  const big = copies(n);
  assert.ok(big.length > 1_000_000);
  assert.equal(await pasteEvent(page, big), true, 'the app takes the paste');
  const area = page.getByTestId('editor');
  await lengthIs(page, big.length);
  assert.equal(await area.getAttribute('data-large'), 'true');
  assert.ok((await area.inputValue()).length < 100_000, 'the textarea holds a window');
  await settled(page);
  assert.equal(await count(page), (three / 3) * n, 'as many findings as the engine finds');

  // Jump to the last finding (Shift+F8 with none selected): the window moves there and the
  // finding's text is selected.
  await page.keyboard.press('Shift+F8');
  const lines = big.split('\n');
  await page.waitForFunction(() => {
    const a = document.querySelector('[data-testid="editor"]');
    return Number(a.dataset.firstLine) > 10_000 && document.activeElement === a;
  });
  const sel = await page.evaluate(() => {
    const a = document.querySelector('[data-testid="editor"]');
    const line = Number(a.dataset.firstLine) + a.value.slice(0, a.selectionStart).split('\n').length - 1;
    return { line, text: a.value.slice(a.selectionStart, a.selectionEnd), length: a.value.length };
  });
  assert.ok(sel.length < 100_000);
  assert.ok(sel.line > lines.length - 20, `selection on line ${sel.line} of ${lines.length}`);
  assert.ok(lines[sel.line - 1].includes(sel.text), `"${sel.text}" on line ${sel.line}`);

  // Scroll to the middle and type at the start of a line there.
  const typedLine = await page.evaluate(async () => {
    const s = document.querySelector('.scroller');
    s.scrollTop = s.scrollHeight / 2;
    await new Promise((ok) => setTimeout(ok, 300));
    const a = document.querySelector('[data-testid="editor"]');
    const mid = Math.round(a.value.length / 2);
    const at = a.value.indexOf('\n', mid) + 1;
    a.focus();
    a.setSelectionRange(at, at);
    return Number(a.dataset.firstLine) + a.value.slice(0, at).split('\n').length - 1;
  });
  assert.ok(typedLine > lines.length / 3 && typedLine < (2 * lines.length) / 3, `line ${typedLine}`);
  await page.keyboard.type('#');
  await lengthIs(page, big.length + 1);
  // The view, the window and the caret stay where the character was typed.
  await page.waitForTimeout(300);
  const caret = await page.evaluate(() => {
    const a = document.querySelector('[data-testid="editor"]');
    const before = a.value.slice(0, a.selectionStart);
    return { focused: document.activeElement === a, line: Number(a.dataset.firstLine) + before.split('\n').length - 1, last: before.slice(-1) };
  });
  assert.deepEqual(caret, { focused: true, line: typedLine, last: '#' });
  const at = lines.slice(0, typedLine - 1).join('\n').length + 1;
  const edited = big.slice(0, at) + '#' + big.slice(at);
  assert.ok((await exportedFile(page)) === edited, 'the whole text has the character at its place');

  // Select all (Ctrl+A) and copy: the whole file.
  await area.focus();
  await page.keyboard.press('Control+A');
  const copied = await page.evaluate(() => {
    const a = document.querySelector('[data-testid="editor"]');
    const dt = new DataTransfer();
    const event = new ClipboardEvent('copy', { clipboardData: dt, bubbles: true, cancelable: true });
    a.dispatchEvent(event);
    return { prevented: event.defaultPrevented, text: dt.getData('text/plain') };
  });
  assert.equal(copied.prevented, true);
  assert.ok(copied.text === edited, `copied ${copied.text.length} of ${edited.length}`);
  // The browser's own copy command too, to the system clipboard.
  const clip = await page.evaluate(async () => {
    document.execCommand('copy');
    return navigator.clipboard.readText();
  });
  assert.ok(clip === edited, `clipboard: ${clip.length} of ${edited.length} characters`);

  // Typing with everything selected replaces the whole file.
  await page.keyboard.type('x');
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').dataset.length === '1');
  assert.equal(await area.inputValue(), 'x');
  assert.equal(await area.getAttribute('data-large'), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a big example-sized file set from outside never fills the textarea; undo restores it', async () => {
  const { page, errors } = await open(env.context, env.url);
  const big = copies(3000);
  const initial = Number(await page.getByTestId('editor').getAttribute('data-length'));
  // A paste into a small file that makes it large: taken by the app.
  await paste(page, 'x');
  assert.equal(await pasteEvent(page, big), true);
  const area = page.getByTestId('editor');
  await lengthIs(page, big.length + 1);
  assert.ok((await area.inputValue()).length < 100_000);
  // A small paste in large-file mode is spliced in at the caret.
  await page.evaluate(() => {
    const a = document.querySelector('[data-testid="editor"]');
    a.focus();
    a.setSelectionRange(0, 0);
  });
  await pasteEvent(page, 'y');
  await lengthIs(page, big.length + 2);
  // Undo (Ctrl+Z) is the app's, on the whole text (consecutive edits of a file are one step).
  await page.keyboard.press('Control+Z');
  await lengthIs(page, initial);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a caret left far behind by scrolling: the next key edits at the caret and scrolls back to it', async () => {
  const { page, errors } = await open(env.context, env.url);
  const big = copies(400); // 4,800 lines
  await pasteLarge(page, big);
  const area = page.getByTestId('editor');
  assert.equal(await area.getAttribute('data-large'), 'true');
  // Put the caret at the start of line 30 with a click (the window starts at line 1 here).
  await page.evaluate(() => { document.querySelector('.scroller').scrollTop = 0; });
  await page.waitForFunction(() => document.querySelector('[data-testid="editor"]').dataset.firstLine === '1');
  const box = await area.boundingBox();
  // Line 30's middle (20 px lines, 8 px padding), then Home: the start of that line.
  await page.mouse.click(box.x + 40, box.y + 8 + 29 * 20 + 10);
  await page.keyboard.press('Home');
  const caretLine = () => page.evaluate(() => {
    const a = document.querySelector('[data-testid="editor"]');
    return Number(a.dataset.firstLine) + a.value.slice(0, a.selectionStart).split('\n').length - 1;
  });
  assert.equal(await caretLine(), 30);

  // Scroll (as the wheel or the scrollbar does) 3,000 lines down: the window follows the view
  // and the caret's line is no longer in it; the textarea keeps the focus.
  await page.evaluate(() => { document.querySelector('.scroller').scrollTop = 3000 * 20; });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="editor"]').dataset.firstLine) > 2500);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'editor');

  // Typing edits line 30, and the view comes back to it.
  await page.keyboard.type('#');
  await lengthIs(page, big.length + 1);
  const lines = big.split('\n');
  const expected = [...lines.slice(0, 29), `#${lines[29]}`, ...lines.slice(30)].join('\n');
  assert.ok((await exportedFile(page)) === expected, 'the character is at the start of line 30');
  assert.equal(await caretLine(), 30);
  const top = await page.evaluate(() => document.querySelector('.scroller').scrollTop);
  assert.ok(top <= 29 * 20, `line 30 is in view (scrollTop ${top})`);

  // Far away again, then an arrow key: no edit; the caret is back in view, one line down.
  await page.evaluate(() => { document.querySelector('.scroller').scrollTop = 3000 * 20; });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="editor"]').dataset.firstLine) > 2500);
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="editor"]').dataset.firstLine) < 30);
  assert.equal(await area.getAttribute('data-length'), String(big.length + 1));
  assert.equal(await caretLine(), 31);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a taller window: the textarea window grows to cover the view without a scroll', async () => {
  const { page, errors } = await open(env.context, env.url);
  const big = copies(400); // 4,800 lines
  await pasteLarge(page, big);
  await page.evaluate(() => { document.querySelector('.scroller').scrollTop = 2000 * 20; });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="editor"]').dataset.firstLine) > 1500);
  const covered = () => page.evaluate(() => {
    const a = document.querySelector('[data-testid="editor"]');
    const s = document.querySelector('.scroller');
    const lo = Number(a.dataset.firstLine);
    const hi = lo + a.value.split('\n').length - 1;
    const first = Math.floor(s.scrollTop / 20) + 1;
    const last = Math.floor((s.scrollTop + s.clientHeight) / 20);
    return lo <= first && hi >= last;
  });
  assert.equal(await covered(), true);
  // 900 → 5,000 px: ~200 more lines in view, more than the window's margin.
  await page.setViewportSize({ width: 1400, height: 5000 });
  await page.waitForFunction(() => document.querySelector('.scroller').clientHeight > 4000);
  await page.waitForTimeout(300);
  assert.equal(await covered(), true, 'the window covers the taller view');
  assert.deepEqual(errors, []);
  await page.close();
});
