// Browser test of the search page: node search.mjs <output-dir> <base-path> <cases.json>
// Serves <output-dir> on loopback under <base-path> with a strict CSP, drives
// headless Chromium, and checks each case. Exits non-zero on any failure,
// including a missing Chromium or playwright-core.
//
// A case opens `search/` plus `url`, types `type`, clicks the facet `click`
// ([key, value]) and, with `more`, "Load more"; then checks the titles shown
// (`first`, `only` in any order, `order`, `count`), `status`, facet counts
// (`facets`), the URL's query (`search`), a highlighted word (`mark`), the
// start of every result link (`links`), whether the facet column shows and
// the results take one column or two (`facetColumn`), that the controls and
// meta lines are in the navigation's face (`sans`), the titles of an earlier
// case (`sameAs`, by name), the files under search/ the case fetched from a
// fresh page (`fetched`: a file starting with each name was, `notFetched`:
// none was) and,
// with `more`, that the longer list starts with the first page and keeps its
// facets.
import { readFile } from 'node:fs/promises';
import { launchChromium, serveSite } from './lib.mjs';

const [dir, base = '/', casesFile] = process.argv.slice(2);
const cases = JSON.parse(await readFile(casesFile, 'utf8'));
const { server, origin } = await serveSite(dir, base, { 'Content-Security-Policy': "default-src 'self'" });

const browser = await launchChromium();
const failures = [];
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  let fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname.replace(/^.*\/search\//, '')));
  const titlesOf = new Map();
  for (const c of cases) {
    const url = `${origin}${base}search/${c.url || ''}`;
    // A fresh page per case, so that what a case fetches is its own.
    await page.goto('about:blank');
    fetched = [];
    await page.goto(url);
    if (c.type !== undefined) {
      await page.fill('#search-q', '');
      await page.type('#search-q', c.type);
    }
    if (c.click) await page.click(`.search-facets button[data-key="${c.click[0]}"][data-value="${c.click[1]}"]`);
    const settle = async () => {
      await page.waitForFunction(() => /found|No articles/.test(document.querySelector('.search-status')?.textContent || ''), null, { timeout: 10000 }).catch(() => {});
      await page.waitForTimeout(150);
    };
    await settle();
    const before = c.more ? await read() : null;
    if (c.more) {
      await page.click('.search-more');
      await page.waitForFunction((n) => document.querySelectorAll('.search-results li').length > n, before.titles.length, { timeout: 10000 }).catch(() => {});
      await settle();
    }
    const got = await read();
    const fail = (why) => failures.push(`${c.name}: ${why}\n  got ${JSON.stringify(got)}`);
    if (c.first && got.titles[0] !== c.first) fail(`expected first result ${JSON.stringify(c.first)}`);
    if (c.only && JSON.stringify([...got.titles].sort()) !== JSON.stringify([...c.only].sort())) fail(`expected exactly ${JSON.stringify(c.only)}`);
    if (c.order && JSON.stringify(got.titles) !== JSON.stringify(c.order)) fail(`expected in order ${JSON.stringify(c.order)}`);
    if (c.count !== undefined && got.titles.length !== c.count) fail(`expected ${c.count} results shown`);
    if (c.status && !got.status.includes(c.status)) fail(`expected status ${JSON.stringify(c.status)}`);
    if (c.facets) for (const [k, v] of Object.entries(c.facets)) if (got.facets[k] !== v) fail(`facet ${k} expected ${v}`);
    if (c.search && got.search !== c.search) fail(`expected URL query ${c.search}`);
    if (c.mark && !got.marks.some((m) => m.includes(c.mark))) fail(`expected highlighted ${c.mark}`);
    if (c.links && !got.links.every((l) => l.startsWith(c.links))) fail(`expected links below ${c.links}`);
    if (c.facetColumn !== undefined) {
      if (got.facetsHidden === c.facetColumn) fail(`expected the facet column ${c.facetColumn ? 'shown' : 'hidden'}`);
      if (got.columns !== (c.facetColumn ? 2 : 1)) fail(`expected ${c.facetColumn ? 2 : 1} columns, got ${got.columns}`);
    }
    const was = (name) => fetched.some((f) => f.startsWith(name));
    for (const name of c.fetched || []) if (!was(name)) fail(`expected ${name}… fetched, got ${fetched.join(' ')}`);
    for (const name of c.notFetched || []) if (was(name)) fail(`expected no ${name}… fetched`);
    if (c.sameAs && JSON.stringify(got.titles) !== JSON.stringify(titlesOf.get(c.sameAs))) fail(`expected the titles of ${c.sameAs}: ${JSON.stringify(titlesOf.get(c.sameAs))}`);
    titlesOf.set(c.name, got.titles);
    if (c.sans) for (const [what, face] of Object.entries(got.faces)) if (face !== got.sansFace) fail(`${what} is in ${face}, not the navigation's ${got.sansFace}`);
    if (c.more) {
      // The first page came from a summary, the longer list from postings: they must agree.
      if (JSON.stringify(got.titles.slice(0, before.titles.length)) !== JSON.stringify(before.titles)) fail(`load more reordered the first page ${JSON.stringify(before.titles)}`);
      if (JSON.stringify(got.facets) !== JSON.stringify(before.facets)) fail(`load more changed the facets ${JSON.stringify(before.facets)}`);
    }
  }
  if (errors.length) failures.push(`page errors: ${errors.join('; ')}`);

  async function read() {
    return page.evaluate(() => ({
      titles: [...document.querySelectorAll('.search-results h2 a')].map((a) => a.textContent),
      status: document.querySelector('.search-status')?.textContent,
      marks: [...document.querySelectorAll('.search-excerpt mark')].map((m) => m.textContent),
      facets: Object.fromEntries([...document.querySelectorAll('.search-facets button')].map((b) => [`${b.dataset.key}=${b.dataset.value}`, b.querySelector('.search-count').textContent])),
      search: location.search,
      links: [...document.querySelectorAll('.search-results h2 a')].map((a) => a.getAttribute('href')),
      facetsHidden: document.querySelector('.search-facets').hidden,
      columns: getComputedStyle(document.querySelector('.search-body')).gridTemplateColumns.split(' ').length,
      sansFace: getComputedStyle(document.querySelector('.site-nav') || document.body).fontFamily,
      faces: Object.fromEntries(['label[for="search-q"]', '#search-sort', '.search-status', '.search-meta']
        .map((q) => [q, document.querySelector(q)]).filter(([, e]) => e).map(([q, e]) => [q, getComputedStyle(e).fontFamily])),
    }));
  }
} finally {
  await browser.close();
  server.close();
}
if (failures.length) { console.error(failures.join('\n')); process.exit(1); }
console.log(`${cases.length} search cases passed`);
