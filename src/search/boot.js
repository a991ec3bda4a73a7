// The code half of search/meta.js, written by `gazette build` after
// `export const meta = {…};`. The search page runs this small module as soon as
// it arrives (async), so the words shards of the query in the URL are on their
// way before the larger static/search.js has loaded; search.js imports it and
// fetches every file through `file`, so each is fetched once.

const BASE = new URL('./', import.meta.url);
const files = new Map();

/** A word: letters, digits and marks, inner apostrophes kept (as src/search/text.rs). */
export const WORD = /[\p{Alphabetic}\p{N}\p{M}]+(?:['’][\p{Alphabetic}\p{N}\p{M}]+)*/gu;

/** Folds a word as the indexer does: NFKD, marks dropped, ’ as ', lowercase. */
export function fold(word) {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').replace(/’/g, "'").toLowerCase();
}

/** The words of a text. */
export function words(text) {
  return text.match(WORD) || [];
}

/** Index of the last shard whose first key is <= key. */
export function shardOf(starts, key) {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= key) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** The name of a numbered file of the bundle. */
export const numbered = (kind, n, ext = 'bin') => `${kind}-${String(n).padStart(3, '0')}.${ext}`;

/** A file of the bundle, fetched once: bytes, or parsed JSON when `json`. */
export function file(name, json = false) {
  if (!files.has(name)) {
    const p = fetch(new URL(name, BASE)).then((r) => {
      if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
      return json ? r.json() : r.arrayBuffer().then((b) => new Uint8Array(b));
    });
    p.catch(() => files.delete(name)); // a later search tries again
    files.set(name, p);
  }
  return files.get(name);
}

/** The filters a search can have, in the order of their folders under by/. */
export const FILTERS = ['speaker', 'topic', 'year'];

/**
 * The file of the summaries of the filters `get(key)` gives (their
 * `key/value` folder) for the terms of words shard `n`, when they have them.
 */
export function byFile(get, n) {
  const set = FILTERS.filter((k) => get(k));
  const folder = set.map((k) => `${k}/${get(k)}`).join('/');
  if (!set.length || !meta.by.includes(folder)) return null;
  return `by/${set.map((k) => `${k}/${encodeURIComponent(get(k))}`).join('/')}/${String(n).padStart(3, '0')}.json`;
}

if (typeof location !== 'undefined') {
  const params = new URLSearchParams(location.search);
  const get = (k) => params.get(k);
  const ws = words(get('q') || '');
  for (const w of ws) file(numbered('words', shardOf(meta.words, fold(w)))).catch(() => {});
  // One word and filters: their summaries, else the facets.
  const by = ws.length === 1 && byFile(get, shardOf(meta.words, fold(ws[0])));
  if (by) file(by, true).catch(() => {});
  else if (FILTERS.some(get)) file('facets.bin').catch(() => {});
}
