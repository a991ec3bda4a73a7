// Gazette search client: loads the sharded bundle written by `gazette build`
// (src/search) on demand and renders results, facets and excerpts.
// No dependencies, no inline script or style: works under CSP default-src 'self'.
//
// A one-word query usually needs one file beyond search/meta.js: the words
// shard of the word, whose summary holds the first page of results and the
// facet counts (meta.js, run early by the page, has already asked for it);
// its next pages are one more file, and filtered by one of the archive's
// large facets it is one file too, `by/…`; so is a frequent two-word phrase,
// `phrase-…`. Other queries fetch postings, positions, facets.bin and result
// rows as they need them.

import { FILTERS, WORD, byFile, file, fold, meta, numbered, shardOf, words } from './search/meta.js';

export { fold, words };

const SITE = new URL('./', import.meta.url);
const PAGE = 10;
const FACETS_SHOWN = 12;
const PREFIX_TERMS = 24;
const PREFIX_SHARDS = 3;
const DECODER = new TextDecoder();

/** Parses a query into required words, phrases, and whether the last word is a prefix. */
export function parseQuery(q) {
  const phrases = [];
  const rest = q.replace(/"([^"]*)"?/g, (_, p) => {
    const ws = words(p).map(fold);
    if (ws.length) phrases.push(ws);
    return ' ';
  });
  // A quoted single word is a required word, matched whole.
  const plain = [...phrases.filter((p) => p.length === 1).map((p) => p[0]), ...words(rest).map(fold)];
  const prefix = plain.length > 0 && !/[\s"]$/.test(q) && /[\p{L}\p{N}\p{M}]$/u.test(q);
  return { plain, phrases: phrases.filter((p) => p.length > 1), prefix };
}

/** Reads LEB128 integers, strings and byte runs. */
class Reader {
  constructor(bytes, at = 0) { this.b = bytes; this.i = at; }
  int() {
    let v = 0, scale = 1, b;
    do { b = this.b[this.i++]; v += (b & 0x7f) * scale; scale *= 128; } while (b & 0x80);
    return v;
  }
  bytes(n) { this.i += n; return this.b.subarray(this.i - n, this.i); }
  str() { return DECODER.decode(this.bytes(this.int())); }
}

/** Words shard `shard`: its words in order, each with its term. */
function parseWords(bytes, shard) {
  const r = new Reader(bytes);
  const terms = [];
  for (let n = r.int(); n > 0; n--) {
    const t = { id: r.int(), df: r.int(), post: [r.int(), r.int(), r.int()], pos: [r.int(), r.int(), r.int()], summary: r.str(), shard };
    t.phrases = Array.from({ length: r.int() }, () => r.int());
    terms.push(t);
  }
  const forms = [];
  let previous = new Uint8Array(0);
  for (let n = r.int(); n > 0; n--) {
    const shared = r.int();
    const rest = r.bytes(r.int());
    const form = new Uint8Array(shared + rest.length);
    form.set(previous.subarray(0, shared));
    form.set(rest, shared);
    forms.push([DECODER.decode(form), terms[r.int()]]);
    previous = form;
  }
  const inline = bytes.subarray(r.i);
  for (const t of terms) t.inline = inline;
  return forms;
}

/** Postings: article numbers and their impacts. */
function parsePostings(bytes) {
  const r = new Reader(bytes);
  const df = r.int();
  const docs = new Uint32Array(df);
  if (df && r.int() === 1) {
    const first = r.int();
    const bits = r.bytes(r.int());
    let k = 0;
    for (let j = 0; j < bits.length; j++) {
      for (let b = bits[j]; b; b &= b - 1) docs[k++] = first + j * 8 + 31 - Math.clz32(b & -b);
    }
  } else if (df) {
    let d = 0;
    for (let k = 0; k < df; k++) docs[k] = d += r.int();
  }
  return { docs, impacts: r.bytes(df) };
}

/** The bundle: each file fetched once (by meta.js) and parsed once. */
class Index {
  constructor() { this.parsed = new Map(); }
  /** The value `make()` promises, made once per key. */
  once(key, make) {
    if (!this.parsed.has(key)) {
      const p = make();
      p.catch(() => this.parsed.delete(key));
      this.parsed.set(key, p);
    }
    return this.parsed.get(key);
  }
  facets() {
    const m = meta;
    return this.once('facets.bin', () => file('facets.bin').then((bytes) => {
      const r = new Reader(bytes);
      const table = () => Array.from({ length: r.int() }, () => [r.str(), r.str()]);
      const f = { people: table(), topics: table(), pStart: new Uint32Array(m.docs + 1), tStart: new Uint32Array(m.docs + 1), p: [], t: [] };
      for (let d = 0; d < m.docs; d++) {
        const counts = r.int();
        for (let n = (counts & 15) === 15 ? 15 + r.int() : counts & 15; n > 0; n--) f.p.push(r.int());
        f.pStart[d + 1] = f.p.length;
        for (let n = counts >> 4; n > 0; n--) f.t.push(r.int());
        f.tStart[d + 1] = f.t.length;
      }
      return f;
    }));
  }
  /** Terms of a folded word (or of every word it begins), and the words to highlight. */
  async lookup(word, prefix) {
    const m = meta;
    const found = new Map();
    const lists = [];
    for (let n = shardOf(m.words, word), k = 0; n < m.words.length && k < PREFIX_SHARDS; n++, k++) {
      if (k > 0 && !(prefix && m.words[n].startsWith(word))) break;
      const name = numbered('words', n);
      const list = await this.once(name, () => file(name).then((bytes) => parseWords(bytes, n)));
      lists.push(list);
      for (const [form, t] of list) if (form === word || (prefix && form.startsWith(word))) found.set(t.id, t);
    }
    const terms = [...found.values()].sort((a, b) => b.df - a.df || a.id - b.id).slice(0, PREFIX_TERMS);
    const ids = new Set(terms.map((t) => t.id));
    const forms = new Set();
    for (const list of lists) for (const [form, t] of list) if (ids.has(t.id)) forms.add(form);
    return { terms, forms };
  }
  postings(t) {
    const [n, at, len] = t.post;
    const bytes = n === 0 ? Promise.resolve(t.inline) : file(numbered('post', n - 1));
    return this.once(`post:${t.id}`, () => bytes.then((b) => parsePostings(b.subarray(at, at + len))));
  }
  /** Positions of the term in each of its articles, as a map article → positions. */
  async positions(t, wanted) {
    const [n, at, len] = t.pos;
    const [{ docs }, bytes] = await Promise.all([this.postings(t), file(numbered('pos', n))]);
    const r = new Reader(bytes.subarray(at, at + len));
    const out = new Map();
    for (const d of docs) {
      const list = [];
      for (let p = r.int(), at2 = -1; p > 0; p = r.int()) list.push(at2 = at2 < 0 ? p - 1 : at2 + p);
      if (wanted.has(d)) out.set(d, list);
    }
    return out;
  }
  async rows(docs) {
    const files = await Promise.all(docs.map((d) => file(numbered('docs', Math.floor(d / meta.rows), 'json'), true)));
    return docs.map((d, i) => files[i][d % meta.rows]);
  }
}

/** Index of `d` in the ascending array `docs` (which holds it). */
function indexOf(docs, d) {
  let lo = 0, hi = docs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (docs[mid] < d) lo = mid + 1; else hi = mid;
  }
  return lo;
}

const idf = (n, df) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/** Year of each article, from the runs in meta.json. */
function yearsOf(m) {
  if (!m.yearOf) {
    m.yearOf = new Int32Array(m.docs);
    m.years.forEach(([year, from], i) => m.yearOf.fill(year, from, i + 1 < m.years.length ? m.years[i + 1][1] : m.docs));
  }
  return m.yearOf;
}

/**
 * Runs a query. Returns `{ total, rows() , facets() , highlight }`: the number
 * of matching articles, the rows of the first `state.shown`, and the facet lists.
 */
export async function search(index, state) {
  const m = meta;
  const filtered = state.speaker || state.topic || state.year;
  const q = parseQuery(state.q);
  const highlight = new Set();
  const lookups = await Promise.all(q.plain.map((w, i) => index.lookup(w, q.prefix && i === q.plain.length - 1)));
  const phrases = await Promise.all(q.phrases.map((p) => Promise.all(p.map((w) => index.lookup(w, false)))));
  for (const { forms } of [...lookups, ...phrases.flat()]) forms.forEach((f) => highlight.add(f));

  const only = lookups.length === 1 && phrases.length === 0 ? lookups[0].terms : [];
  const summarised = state.sort !== 'newest' && only.length === 1 && only[0].summary;
  const ranked = summarised && (state.shown <= m.top || (state.shown <= m.ranked && only[0].df >= m.more));
  if (ranked && !filtered) return fromSummary(only[0], state, highlight);
  const keys = FILTERS.filter((k) => state[k]);
  const by = summarised && keys.length > 0 && state.shown <= m.top && byFile((k) => state[k], only[0].shard);
  if (by) return fromFilterSummary(only[0], by, keys, state, highlight);
  const pair = !filtered && lookups.length === 0 && phrases.length === 1 && phrases[0].length === 2 && state.sort !== 'newest' && state.shown <= m.top
    && phrases[0].map((l) => l.terms[0]);
  if (pair && pair[0] && pair[1] && pair[0].phrases.includes(pair[1].id)) return fromSummaryFile(`phrase-${pair[0].id}-${pair[1].id}.json`, state, highlight);
  const facetsLoaded = filtered && index.facets(); // fetched while postings are
  if (facetsLoaded) facetsLoaded.catch(() => {}); // reported where awaited

  const n = m.docs;
  const score = new Float64Array(n);
  const hits = new Uint8Array(n);
  const best = new Float64Array(n);
  const need = lookups.length + phrases.length;
  const missing = [...lookups, ...phrases.flat()].some((l) => l.terms.length === 0);
  for (const { terms } of missing ? [] : lookups) {
    best.fill(0);
    for (const t of terms) {
      const { docs, impacts } = await index.postings(t);
      const w = idf(n, t.df);
      for (let k = 0; k < docs.length; k++) best[docs[k]] = Math.max(best[docs[k]], w * impacts[k]);
    }
    for (let d = 0; d < n; d++) if (best[d] > 0) { score[d] += best[d]; hits[d]++; }
  }
  for (const phrase of missing ? [] : phrases) {
    const terms = phrase.map((l) => l.terms[0]);
    const lists = await Promise.all(terms.map((t) => index.postings(t)));
    let common = new Set(lists[0].docs);
    for (const { docs } of lists.slice(1)) common = new Set(docs.filter((d) => common.has(d)));
    const positions = await Promise.all(terms.map((t) => index.positions(t, common)));
    const sets = positions.map((p) => new Map([...p].map(([d, list]) => [d, new Set(list)])));
    for (const d of common) {
      if (!positions[0].get(d).some((p) => sets.every((s, j) => s.get(d).has(p + j)))) continue;
      hits[d]++;
      terms.forEach((t, j) => {
        const { docs, impacts } = lists[j];
        score[d] += 2 * idf(n, t.df) * impacts[indexOf(docs, d)];
      });
    }
  }

  const f = filtered ? await facetsLoaded : null;
  const year = yearsOf(m);
  const id = (table, slug) => table.findIndex(([s]) => s === slug);
  const sid = f && state.speaker ? id(f.people, state.speaker) : -1;
  const tid = f && state.topic ? id(f.topics, state.topic) : -1;
  const has = (list, start, d, x) => { for (let k = start[d]; k < start[d + 1]; k++) if (list[k] === x) return true; return false; };
  const keep = (d, skip) =>
    (skip === 'speaker' || !state.speaker || has(f.p, f.pStart, d, sid)) &&
    (skip === 'topic' || !state.topic || has(f.t, f.tStart, d, tid)) &&
    (skip === 'year' || !state.year || year[d] === Number(state.year));
  const matched = [];
  for (let d = 0; d < n; d++) if (hits[d] === need && !missing) matched.push(d);
  const docs = filtered ? matched.filter((d) => keep(d)) : matched;
  if (state.sort !== 'newest' && need > 0) docs.sort((a, b) => score[b] - score[a] || a - b);

  return {
    total: docs.length,
    highlight,
    rows: () => index.rows(docs.slice(0, state.shown)),
    facets: async () => {
      const g = f || await index.facets();
      const count = (skip, ids, start, table, key) => {
        const c = new Map();
        for (const d of matched) {
          if (filtered && !keep(d, skip)) continue;
          for (let k = start[d]; k < start[d + 1]; k++) c.set(ids[k], (c.get(ids[k]) || 0) + 1);
        }
        const top = [...c].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
        const shown = top.slice(0, FACETS_SHOWN);
        const chosen = top.find(([x]) => table[x][0] === state[key]);
        if (chosen && !shown.includes(chosen)) shown.push(chosen);
        return shown.map(([x, k]) => [table[x][0], table[x][1], k]);
      };
      const years = new Map();
      for (const d of matched) if (!filtered || keep(d, 'year')) years.set(year[d], (years.get(year[d]) || 0) + 1);
      return {
        speaker: count('speaker', g.p, g.pStart, g.people, 'speaker'),
        topic: count('topic', g.t, g.tStart, g.topics, 'topic'),
        year: [...years].sort((a, b) => b[0] - a[0]),
      };
    },
  };
}

/** A term's summary, parsed once. */
const summaryOf = (t) => t.parsedSummary || (t.parsedSummary = JSON.parse(t.summary));

/**
 * The results a summary `s` of `total` articles answers: its rows, then
 * those `more()` fetches, and its facet lists (or `facets`).
 */
function answer(total, s, state, highlight, more = null, facets = { speaker: s.p, topic: s.t, year: s.y }) {
  return {
    total,
    highlight,
    rows: async () => (state.shown <= s.d.length || !more ? s.d : [...s.d, ...await more()]).slice(0, state.shown),
    facets: async () => facets,
  };
}

/** The results of a one-word query from its term's summary and, past the first page, its ranked rows. */
function fromSummary(t, state, highlight) {
  return answer(t.df, summaryOf(t), state, highlight, () => file(`more-${t.id}.json`, true));
}

/**
 * The first page of a one-word query with filters `keys`, from their
 * summaries (`name`). A group's counts leave out its own filter: with one
 * filter, the filtered group's come from the term's own summary; with a
 * person or topic and a year, the file has them so.
 */
async function fromFilterSummary(t, name, keys, state, highlight) {
  const [total, f] = (await file(name, true))[t.id] || [0, { d: [], p: [], t: [], y: [] }];
  if (keys.length > 1) return answer(total, f, state, highlight);
  const [key] = keys;
  const s = summaryOf(t);
  const own = { speaker: 'p', topic: 't', year: 'y' };
  const group = (k) => {
    if (k !== key) return f[own[k]];
    const list = s[own[k]];
    const chosen = (x) => String(x[0]) === state[key];
    return list.some(chosen) || !f[own[k]].some(chosen) ? list : [...list, f[own[k]].find(chosen)];
  };
  return answer(total, f, state, highlight, null, { speaker: group('speaker'), topic: group('topic'), year: group('year') });
}

/** The first page of a frequent two-word phrase, from its summary file: `[count, summary]`. */
async function fromSummaryFile(name, state, highlight) {
  const [total, s] = await file(name, true);
  return answer(total, s, state, highlight);
}

/** The excerpt of a result with the query's words highlighted, as DOM nodes. */
export function excerpt(text, highlight) {
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    if (!highlight.has(fold(m[0]))) continue;
    frag.append(text.slice(last, m.index));
    const mark = document.createElement('mark');
    mark.textContent = m[0];
    frag.append(mark);
    last = m.index + m[0].length;
  }
  frag.append(text.slice(last));
  return frag;
}

// ---- The /search/ page ----------------------------------------------------

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

function start(root) {
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

  async function render() {
    const mine = ++run;
    const current = () => mine === run;
    input.value = state.q;
    sort.value = state.sort;
    if (!state.q.trim() && !FILTERS.some((k) => state[k])) {
      list.replaceChildren();
      facetBox.replaceChildren();
      facetBox.hidden = true;
      more.hidden = true;
      status.textContent = 'Type to search the archive.';
      return;
    }
    root.setAttribute('aria-busy', 'true');
    try {
      const r = await search(index, state);
      const rows = await r.rows();
      if (!current()) return;
      list.replaceChildren(...rows.map((row) => result(row, r.highlight)));
      more.hidden = r.total <= state.shown;
      status.textContent = r.total === 0 ? 'No articles match.' : `${r.total} ${r.total === 1 ? 'article' : 'articles'} found.`;
      const facets = await r.facets();
      if (current()) showFacets(facets);
    } catch (err) {
      if (current()) status.textContent = `Search is unavailable: ${err.message}`;
    } finally {
      if (current()) root.removeAttribute('aria-busy');
    }
  }

  function result([path, title, date, people, topics, text], highlight) {
    const meta = el('p', { class: 'search-meta' }, el('time', { datetime: date }, date));
    if (people) meta.append(' · ', people);
    if (topics) meta.append(' · ', topics);
    return el('li', {}, el('h2', {}, el('a', { href: new URL(path, SITE).pathname }, title)), meta, el('p', { class: 'search-excerpt' }, excerpt(text, highlight)));
  }

  // A group shows when it has values; with none (no result), the facet
  // column is hidden and the results take the page's width.
  function showFacets(f) {
    const useful = (key, entries) => entries.length > 0 || Boolean(state[key]);
    const group = (key, label, entries) => {
      const ul = el('ul');
      for (const [value, name, count] of entries) {
        const on = state[key] === String(value);
        const b = el('button', { type: 'button', 'aria-pressed': String(on), 'data-key': key, 'data-value': String(value) }, `${name} `, el('span', { class: 'search-count' }, `(${count})`));
        ul.append(el('li', {}, b));
      }
      return el('section', { 'aria-label': label }, el('h2', {}, label), ul);
    };
    const groups = [
      ['speaker', 'People', f.speaker],
      ['topic', 'Topics', f.topic],
      ['year', 'Years', f.year.map(([y, c]) => [y, String(y), c])],
    ].filter(([key, , entries]) => useful(key, entries));
    facetBox.replaceChildren(...groups.map(([key, label, entries]) => group(key, label, entries)));
    facetBox.hidden = groups.length === 0;
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
    state = { ...state, q: input.value, shown: PAGE };
    writeUrl(state, true);
    render();
  });
  input.addEventListener('input', () => {
    // Every keystroke searches at once: files are fetched once, and a newer
    // search makes an older one drop its results.
    state = { ...state, q: input.value, shown: PAGE };
    writeUrl(state, false);
    render();
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
  render();
}

const root = typeof document !== 'undefined' && document.querySelector('[data-gazette-search]');
if (root) start(root);
