// A tiny Markdown renderer for the rule docs: it builds DOM nodes (never innerHTML), so nothing
// in the text can become markup. Supported: #–#### headings, paragraphs, fenced code blocks,
// `-`/`*`/`1.` lists, `> ` quotes, and inline `code`, **strong**, *em*, [links](https://…).

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

/** Appends the inline Markdown of `text` to `parent`. */
export function renderInline(parent, text) {
  let at = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > at) parent.append(text.slice(at, m.index));
    if (m[1] !== undefined) parent.append(el('code', '', m[1]));
    else if (m[2] !== undefined) parent.append(el('strong', '', m[2]));
    else if (m[3] !== undefined) parent.append(el('em', '', m[3]));
    else {
      const href = m[5];
      if (/^https?:\/\//i.test(href)) {
        const a = el('a', '', m[4]);
        a.href = href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        parent.append(a);
      } else {
        parent.append(m[4]);
      }
    }
    at = m.index + m[0].length;
  }
  if (at < text.length) parent.append(text.slice(at));
}

/** Renders a Markdown text into a DocumentFragment. */
export function renderMarkdown(text) {
  const out = document.createDocumentFragment();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  let paragraph = [];
  const flush = () => {
    if (paragraph.length) {
      const p = el('p');
      renderInline(p, paragraph.join(' '));
      out.append(p);
      paragraph = [];
    }
  };
  while (i < lines.length) {
    const line = lines[i];
    const fence = line.match(/^\s*(```+|~~~+)\s*(.*)$/);
    if (fence) {
      flush();
      const info = fence[2].trim().split(/\s+/);
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      const pre = el('pre', 'md-code');
      if (info[0]) pre.dataset.lang = info.join(' ');
      if (info.includes('bad')) pre.classList.add('md-bad');
      if (info.includes('good')) pre.classList.add('md-good');
      if (info.includes('bad') || info.includes('good')) {
        out.append(el('div', 'md-label', info.includes('bad') ? 'Problem' : 'Fixed'));
      }
      pre.append(el('code', '', body.join('\n')));
      out.append(pre);
      continue;
    }
    const heading = line.match(/^(#{1,4})\s+(.*)$/);
    if (heading) {
      flush();
      const h = el(`h${Math.min(6, heading[1].length + 2)}`, 'md-h');
      renderInline(h, heading[2]);
      out.append(h);
      i++;
      continue;
    }
    const item = line.match(/^\s*([-*]|\d+[.)])\s+(.*)$/);
    if (item) {
      flush();
      const ordered = /\d/.test(item[1]);
      const list = el(ordered ? 'ol' : 'ul');
      while (i < lines.length) {
        const m = lines[i].match(/^\s*([-*]|\d+[.)])\s+(.*)$/);
        if (m) {
          const li = el('li');
          li.dataset.text = m[2];
          list.append(li);
        } else if (lines[i].trim() && /^\s+/.test(lines[i]) && list.lastChild) {
          list.lastChild.dataset.text += ` ${lines[i].trim()}`;
        } else {
          break;
        }
        i++;
      }
      for (const li of list.children) {
        const t = li.dataset.text;
        delete li.dataset.text;
        renderInline(li, t);
      }
      out.append(list);
      continue;
    }
    if (line.startsWith('>')) {
      flush();
      const quote = el('blockquote');
      const body = [];
      while (i < lines.length && lines[i].startsWith('>')) body.push(lines[i++].replace(/^>\s?/, ''));
      renderInline(quote, body.join(' '));
      out.append(quote);
      continue;
    }
    if (!line.trim()) flush();
    else paragraph.push(line.trim());
    i++;
  }
  flush();
  return out;
}
