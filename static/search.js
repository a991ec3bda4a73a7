// Gazette search client: loads the sharded bundle written by `gazette build`
// (src/search) on demand and renders results, facets and excerpts.
// No dependencies, no inline script or style: works under CSP default-src 'self'.

const BASE = new URL('search/', import.meta.url);
const PAGE = 10;
const PREFIX_LIMIT = 40;
const K1 = 1.2;
const B = 0.75;

/** Folds a word as the indexer does: NFKD, marks dropped, lowercase. */
export function fold(word) {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Splits text into words (Unicode letters and digits, inner apostrophes kept). */
export function words(text) {
  return text.match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu) || [];
}

/** Parses a query into required words, phrases, and whether the last word is a prefix. */
export function parseQuery(q) {
  const phrases = [];
  const rest = q.replace(/"([^"]*)"?/g, (_, p) => {
    const ws = words(p).map(fold);
    if (ws.length) phrases.push(ws);
    return ' ';
  });
  const plain = words(rest).map(fold);
  const prefix = plain.length > 0 && !/[\s"]$/.test(q) && /[\p{L}\p{N}]$/u.test(q);
  return { plain, phrases, prefix };
}

function varints(bytes) {
  let i = 0;
  return {
    next() {
      let v = 0, shift = 0, b;
      do { b = bytes[i++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
      return v;
    },
    str() {
      const n = this.next();
      const s = new TextDecoder().decode(bytes.subarray(i, i + n));
      i += n;
      return s;
    },
    get done() { return i >= bytes.length; },
  };
}

/** The index: fetches each file once, parses it lazily. */
class Index {
  constructor() { this.cache = new Map(); }
  fetch(name, kind) {
    if (!this.cache.has(name)) {
      const p = fetch(new URL(name, BASE)).then((r) => {
        if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
        return kind === 'json' ? r.json() : r.arrayBuffer().then((b) => new Uint8Array(b));
      });
      this.cache.set(name, p);
    }
    return this.cache.get(name);
  }
  async meta() {
    if (!this.m) this.m = await this.fetch('meta.json', 'json');
    return this.m;
  }
  async facets() {
    if (this.f) return this.f;
    const [m, bytes] = await Promise.all([this.meta(), this.fetch('facets.bin')]);
    const r = varints(bytes);
    const f = { length: [], year: [], speakers: [], topics: [] };
    for (let d = 0; d < m.docs; d++) {
      f.length.push(r.next());
      f.year.push(r.next());
      for (const k of ['speakers', 'topics']) {
        const ids = [];
        for (let n = r.next(); n > 0; n--) ids.push(r.next());
        f[k].push(ids);
      }
    }
    return (this.f = f);
  }
  async dict(n) {
    const key = `dict-${String(n).padStart(3, '0')}.bin`;
    const bytes = await this.fetch(key);
    if (!bytes.parsed) {
      const r = varints(bytes);
      const entries = [];
      for (let c = r.next(); c > 0; c--) entries.push([r.str(), r.next()]);
      bytes.parsed = entries;
    }
    return bytes.parsed;
  }
  /** Term ids (and their forms) for a folded word, or every word it prefixes. */
  async lookup(word, prefix) {
    const m = await this.meta();
    let n = shardOf(m.dict, word);
    const out = new Map();
    for (; n < m.dict.length; n++) {
      if (n > 0 && m.dict[n] > word && !m.dict[n].startsWith(word)) break;
      for (const [form, id] of await this.dict(n)) {
        if (form === word || (prefix && form.startsWith(word) && out.size < PREFIX_LIMIT)) out.set(id, form);
      }
      if (!prefix) break;
    }
    // Other surface forms of the same terms, for highlighting.
    const forms = new Set(out.values());
    const ids = new Set(out.keys());
    for (const [form, id] of await this.dict(shardOf(m.dict, word))) if (ids.has(id)) forms.add(form);
    return { ids: [...ids], forms };
  }
  async postings(id, withPositions) {
    const m = await this.meta();
    const n = shardOf(m.post, id);
    const tag = String(n).padStart(3, '0');
    const bytes = await this.fetch(`post-${tag}.bin`);
    if (!bytes.parsed) {
      const r = varints(bytes);
      const lists = [];
      while (!r.done) {
        const list = [];
        let doc = 0;
        for (let c = r.next(); c > 0; c--) { doc += r.next(); list.push([doc, r.next()]); }
        lists.push(list);
      }
      bytes.parsed = lists;
    }
    const list = bytes.parsed[id - m.post[n]] || [];
    if (!withPositions) return { list };
    const pos = await this.fetch(`pos-${tag}.bin`);
    if (!pos.parsed) {
      const r = varints(pos);
      pos.parsed = bytes.parsed.map((l) => l.map(() => {
        const ps = [];
        let at = 0;
        for (let c = r.next(); c > 0; c--) { at += r.next(); ps.push(at); }
        return ps;
      }));
    }
    return { list, positions: pos.parsed[id - m.post[n]] || [] };
  }
  async docs(chunk) {
    return this.fetch(`docs-${String(chunk).padStart(3, '0')}.json`, 'json');
  }
}

/** Index of the last shard whose first key is <= key. */
function shardOf(starts, key) {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= key) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** Runs a query: returns ranked doc numbers and the forms to highlight. */
export async function search(index, state) {
  const m = await index.meta();
  const facetsLoaded = index.facets(); // fetched while the words are looked up
  const q = parseQuery(state.q);
  const highlight = new Set();
  let scores = null; // Map doc -> score; null means every article
  const lookups = q.plain.map((w, i) => index.lookup(w, q.prefix && i === q.plain.length - 1));
  const f = await facetsLoaded;
  const bm25 = (df, w, doc) => {
    const idf = Math.log(1 + (m.docs - df + 0.5) / (df + 0.5));
    return idf * (w * (K1 + 1)) / (w + K1 * (1 - B + (B * f.length[doc]) / m.avgLength));
  };
  const intersect = (word) => {
    if (scores === null) return word;
    const out = new Map();
    for (const [d, s] of word) if (scores.has(d)) out.set(d, s + scores.get(d));
    return out;
  };
  for (let i = 0; i < q.plain.length; i++) {
    const { ids, forms } = await lookups[i];
    forms.forEach((x) => highlight.add(x));
    const word = new Map();
    for (const id of ids) {
      const { list } = await index.postings(id, false);
      for (const [d, w] of list) word.set(d, Math.max(word.get(d) || 0, bm25(list.length, w, d)));
    }
    scores = intersect(word);
  }
  for (const phrase of q.phrases) {
    const terms = [];
    for (const w of phrase) {
      const { ids, forms } = await index.lookup(w, false);
      forms.forEach((x) => highlight.add(x));
      if (!ids.length) { terms.length = 0; break; }
      terms.push(await index.postings(ids[0], true));
    }
    const word = new Map();
    if (terms.length === phrase.length) {
      const at = terms.map((t) => new Map(t.list.map(([d], k) => [d, t.positions[k]])));
      for (const [k, [d, w]] of terms[0].list.entries()) {
        if (!at.every((m2) => m2.has(d))) continue;
        const starts = terms[0].positions[k].filter((p) => at.every((m2, j) => m2.get(d).includes(p + j)));
        if (starts.length) word.set(d, terms.reduce((s, t, j) => s + bm25(t.list.length, j ? 1 : w, d), 0) * 2);
      }
    }
    scores = intersect(word);
  }
  let docs = scores === null ? [...Array(m.docs).keys()] : [...scores.keys()];
  const keep = (d, skip) =>
    (skip === 'speaker' || !state.speaker || f.speakers[d].includes(state.speakerId)) &&
    (skip === 'topic' || !state.topic || f.topics[d].includes(state.topicId)) &&
    (skip === 'year' || !state.year || m.years[f.year[d]] === Number(state.year));
  state.speakerId = m.speakers.findIndex(([s]) => s === state.speaker);
  state.topicId = m.topics.findIndex(([s]) => s === state.topic);
  const counts = { speaker: new Map(), topic: new Map(), year: new Map() };
  for (const d of docs) {
    if (keep(d, 'speaker')) for (const s of f.speakers[d]) counts.speaker.set(s, (counts.speaker.get(s) || 0) + 1);
    if (keep(d, 'topic')) for (const t of f.topics[d]) counts.topic.set(t, (counts.topic.get(t) || 0) + 1);
    if (keep(d, 'year')) counts.year.set(f.year[d], (counts.year.get(f.year[d]) || 0) + 1);
  }
  docs = docs.filter((d) => keep(d));
  if (state.sort === 'newest' || scores === null) docs.sort((a, b) => a - b);
  else docs.sort((a, b) => scores.get(b) - scores.get(a) || a - b);
  return { docs, counts, highlight, meta: m };
}

/** An excerpt of `text` around the first highlighted word, as DOM nodes. */
export function excerpt(text, highlight, size = 32) {
  const tokens = text.split(/(\s+)/);
  const hit = (t) => words(t).some((w) => highlight.has(fold(w)));
  const first = Math.max(0, tokens.findIndex(hit));
  const from = Math.max(0, first - size / 2);
  const frag = document.createDocumentFragment();
  if (from > 0) frag.append('… ');
  for (const t of tokens.slice(from, from + size * 2)) {
    if (hit(t)) { const mark = document.createElement('mark'); mark.textContent = t; frag.append(mark); } else frag.append(t);
  }
  if (from + size * 2 < tokens.length) frag.append(' …');
  return frag;
}

// ---- The /search/ page ----------------------------------------------------

const FILTERS = ['speaker', 'topic', 'year'];

function readState() {
  const p = new URLSearchParams(location.search);
  const s = { q: p.get('q') || '', sort: p.get('sort') === 'newest' ? 'newest' : 'relevance', shown: PAGE };
  for (const k of FILTERS) s[k] = p.get(k) || '';
  return s;
}

function writeUrl(state, push) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  for (const k of FILTERS) if (state[k]) p.set(k, state[k]);
  if (state.sort === 'newest') p.set('sort', 'newest');
  const url = `${location.pathname}${p.toString() ? `?${p}` : ''}`;
  if (url !== `${location.pathname}${location.search}`) history[push ? 'pushState' : 'replaceState'](null, '', url);
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

async function start(root) {
  const index = new Index();
  const form = root.querySelector('form');
  const input = form.querySelector('input[name="q"]');
  const sort = form.querySelector('select[name="sort"]');
  const list = root.querySelector('.search-results');
  const status = root.querySelector('.search-status');
  const more = root.querySelector('.search-more');
  const facetBox = root.querySelector('.search-facets');
  let state = readState();
  let run = 0;
  let timer;

  async function render() {
    const mine = ++run;
    input.value = state.q;
    sort.value = state.sort;
    if (!state.q && !FILTERS.some((k) => state[k])) {
      list.replaceChildren();
      facetBox.replaceChildren();
      more.hidden = true;
      status.textContent = 'Type to search the archive.';
      return;
    }
    root.setAttribute('aria-busy', 'true');
    let r;
    try {
      r = await search(index, state);
    } catch (err) {
      status.textContent = `Search is unavailable: ${err.message}`;
      return;
    } finally {
      root.removeAttribute('aria-busy');
    }
    if (mine !== run) return;
    const shown = r.docs.slice(0, state.shown);
    const chunks = await Promise.all([...new Set(shown.map((d) => Math.floor(d / r.meta.chunk)))].map(async (c) => [c, await index.docs(c)]));
    if (mine !== run) return;
    const rows = new Map(chunks);
    list.replaceChildren(...shown.map((d) => result(rows.get(Math.floor(d / r.meta.chunk))[d % r.meta.chunk], r)));
    more.hidden = r.docs.length <= state.shown;
    const n = r.docs.length;
    status.textContent = n === 0 ? 'No articles match.' : `${n} ${n === 1 ? 'article' : 'articles'} found.`;
    facets(r);
  }

  function result([url, title, date, sids, tids, text], r) {
    const names = (ids, table) => ids.map((i) => table[i][1]).join(', ');
    const meta = el('p', { class: 'search-meta' }, el('time', { datetime: date }, date));
    if (sids.length) meta.append(' · ', names(sids, r.meta.speakers));
    if (tids.length) meta.append(' · ', names(tids, r.meta.topics));
    return el('li', {}, el('h2', {}, el('a', { href: url }, title)), meta, el('p', { class: 'search-excerpt' }, excerpt(text, r.highlight)));
  }

  function facets(r) {
    const group = (key, label, entries) => {
      const ul = el('ul');
      for (const [value, name, count] of entries) {
        const on = state[key] === String(value);
        const b = el('button', { type: 'button', 'aria-pressed': String(on), 'data-key': key, 'data-value': String(value) }, `${name} `, el('span', { class: 'search-count' }, `(${count})`));
        ul.append(el('li', {}, b));
      }
      return el('section', { 'aria-label': label }, el('h2', {}, label), ul);
    };
    const top = (counts, table) => [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 12).map(([id, c]) => [table[id][0], table[id][1], c]);
    facetBox.replaceChildren(
      group('speaker', 'People', top(r.counts.speaker, r.meta.speakers)),
      group('topic', 'Topics', top(r.counts.topic, r.meta.topics)),
      group('year', 'Years', [...r.counts.year].sort((a, b) => a[0] - b[0]).map(([y, c]) => [r.meta.years[y], String(r.meta.years[y]), c])),
    );
  }

  facetBox.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-key]');
    if (!b) return;
    const k = b.dataset.key;
    state = { ...state, [k]: state[k] === b.dataset.value ? '' : b.dataset.value, shown: PAGE };
    writeUrl(state, true);
    render();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    state = { ...state, q: input.value, shown: PAGE };
    writeUrl(state, true);
    render();
  });
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state = { ...state, q: input.value, shown: PAGE };
      writeUrl(state, false);
      render();
    }, 60);
  });
  sort.addEventListener('change', () => {
    state = { ...state, sort: sort.value };
    writeUrl(state, true);
    render();
  });
  more.addEventListener('click', () => {
    state = { ...state, shown: state.shown + PAGE };
    render();
  });
  window.addEventListener('popstate', () => {
    state = readState();
    render();
  });
  root.hidden = false;
  await render();
}

const root = typeof document !== 'undefined' && document.querySelector('[data-gazette-search]');
if (root) start(root);
