'use strict';
// The review page's behaviour. Every piece of article data reaches the DOM as text
// (textContent) or inside a sandboxed srcdoc iframe without allow-scripts: never as markup of
// this page. Details are inflated only when a file is opened, so 10,000 files load quickly.
(function () {
  const index = JSON.parse(document.getElementById('review-index').textContent);
  const files = index.files;
  const filter = {status: null, transformer: null, rule: null};
  let shown = [];
  let current = -1;
  let opening = 0;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function chips(container, label, counts, kind) {
    const keys = Object.keys(counts);
    if (!keys.length) return;
    container.appendChild(el('span', {class: 'label'}, label));
    for (const key of keys) {
      const chip = el('button', {class: 'chip', type: 'button', 'aria-pressed': 'false', 'data-kind': kind, 'data-key': key}, key);
      chip.appendChild(el('span', {class: 'n'}, counts[key]));
      chip.addEventListener('click', () => {
        filter[kind] = filter[kind] === key ? null : key;
        for (const other of container.querySelectorAll('.chip')) {
          other.setAttribute('aria-pressed', String(filter[kind] === other.dataset.key));
        }
        renderList();
      });
      container.appendChild(chip);
    }
  }

  function matches(row) {
    return (!filter.status || row.status === filter.status)
      && (!filter.transformer || (row.transformers || []).includes(filter.transformer))
      && (!filter.rule || (row.rules || []).includes(filter.rule));
  }

  function renderList() {
    const list = document.getElementById('files');
    const fragment = document.createDocumentFragment();
    shown = [];
    files.forEach((row, i) => {
      if (!matches(row)) return;
      shown.push(i);
      const item = el('li', {'data-i': i, 'aria-selected': String(i === current), title: row.message || row.path});
      item.appendChild(el('span', {class: 'st st-' + row.status}, row.status));
      item.appendChild(document.createTextNode(row.path));
      fragment.appendChild(item);
    });
    list.replaceChildren(fragment);
    document.getElementById('shown-count').textContent = shown.length + ' of ' + files.length + ' files';
  }

  async function details(i) {
    const packed = JSON.parse(document.getElementById('d' + i).textContent);
    const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(stream).text());
  }

  function frame(html) {
    // no allow-scripts, no allow-same-origin: the article is inert and in an origin of its own
    const iframe = el('iframe', {sandbox: '', referrerpolicy: 'no-referrer', title: 'rendered body'});
    iframe.addEventListener('load', () => { iframe.dataset.loaded = '1'; });  // for tests and screenshots
    iframe.srcdoc = '<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="'
      + index.frameCsp + '"><style>' + index.frameCss + '</style>' + (html || '');
    return iframe;
  }

  function diffBlock(ops, capped) {
    const box = el('div', {class: 'diff', id: 'diff'});
    for (const [op, text] of ops) {
      box.appendChild(op === '=' ? document.createTextNode(text) : el(op === '-' ? 'del' : 'ins', {}, text));
    }
    const wrap = el('div');
    if (capped) wrap.appendChild(el('p', {class: 'note'}, 'Long changes: some runs of changed lines were too long to compare word by word (over ' + index.diffCap + ' word pairs) and show as removed, then added.'));
    wrap.appendChild(box);
    return wrap;
  }

  function table(headers, rows) {
    const t = el('table');
    const head = el('tr');
    for (const h of headers) head.appendChild(el('th', {}, h));
    t.appendChild(head);
    for (const row of rows) {
      const tr = el('tr');
      for (const cell of row) tr.appendChild(el('td', {}, cell));
      t.appendChild(tr);
    }
    return t;
  }

  function renderFile(i, data) {
    const row = files[i];
    const section = el('section', {id: 'file', 'data-i': i, 'aria-live': 'polite'});
    const title = el('h2');
    title.appendChild(el('span', {class: 'st st-' + row.status}, row.status));
    title.appendChild(document.createTextNode(row.path));
    section.appendChild(title);
    if (data.message) section.appendChild(el('div', {class: 'message'}, data.message));
    if (data.guard) {
      section.appendChild(el('h3', {}, 'The guard: before → after'));
      const guard = el('div', {class: 'guard'});
      guard.append(el('div', {}, data.guard[0]), el('span', {}, '→'), el('div', {}, data.guard[1]));
      section.appendChild(guard);
    }
    if (data.note) section.appendChild(el('p', {class: 'note'}, data.note));
    if (data.diff) {
      section.appendChild(el('h3', {}, 'Visible text: removed and added words'));
      section.appendChild(diffBlock(data.diff, data.capped));
    }
    if ('before' in data) {
      const panes = el('div', {class: 'panes'});
      for (const [name, html] of [['before', data.before], ['after', data.after]]) {
        if (html === undefined) continue;
        const pane = el('div', {class: 'pane', id: 'pane-' + name});
        pane.appendChild(el('h3', {}, name === 'before' ? 'Before (as the generator shows it)' : 'After'));
        pane.appendChild(frame(html));
        panes.appendChild(pane);
      }
      section.appendChild(panes);
    }
    if (data.findings && data.findings.length) {
      section.appendChild(el('h3', {}, 'Findings'));
      section.appendChild(table(['line', 'col', 'rule', 'message'], data.findings));
    }
    if (data.removed && data.removed.length) {
      section.appendChild(el('h3', {}, 'Removed on purpose'));
      section.appendChild(table(['transformer', 'what', 'text'], data.removed));
    }
    document.getElementById('file').replaceWith(section);
    document.body.dataset.shown = String(i);
  }

  async function open(i) {
    current = i;
    for (const item of document.querySelectorAll('#files li')) {
      const selected = Number(item.dataset.i) === i;
      item.setAttribute('aria-selected', String(selected));
      if (selected) item.scrollIntoView({block: 'nearest'});
    }
    const ticket = ++opening;
    let data;
    try {
      data = await details(i);
    } catch (error) {
      data = {message: 'The details of this file could not be read: ' + error};
    }
    if (ticket === opening) renderFile(i, data);  // a later choice wins over a slow earlier one
  }

  function step(by) {
    if (!shown.length) return;
    const at = shown.indexOf(current);
    const next = at < 0 ? (by > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, at + by));
    open(shown[next]);
  }

  document.getElementById('title').textContent = index.title;
  document.getElementById('command').textContent = index.command;
  chips(document.getElementById('statuses'), 'status', index.statuses, 'status');
  chips(document.getElementById('transformers'), 'removals by', index.transformers, 'transformer');
  chips(document.getElementById('rules'), 'findings by', index.rules, 'rule');
  renderList();
  document.getElementById('files').addEventListener('click', (event) => {
    const item = event.target.closest('li');
    if (item) open(Number(item.dataset.i));
  });
  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'j' || event.key === 'ArrowDown') { step(1); event.preventDefault(); }
    if (event.key === 'k' || event.key === 'ArrowUp') { step(-1); event.preventDefault(); }
  });
  document.body.dataset.ready = '1';
})();
