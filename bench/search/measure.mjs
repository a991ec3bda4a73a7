// Measures the search page of a built site in headless Chromium:
//   node bench/search/measure.mjs <output-dir> <query> <phrase> [base-path]
// The site is served under its base path (default /), as gazette.toml's
// base_url has it.
//
// Five kinds of query, each from a cold cache, locally and under DevTools'
// "Slow 4G": the query alone; with the first person its facets list as a
// speaker filter; with its first topic and its busiest year; the phrase
// (quoted); and page 3 of the query's results (two "Load more" clicks, timed
// from the second). The filters are the ones a reader sees first after the
// query, read from the page. Then the time from a keystroke to results once
// the files are loaded.
//
// Prints one JSON line: per query its URL, every request and every byte
// (page, styles and scripts included; the theme's icon left out), the data
// requests and bytes (files under search/ other than the meta.js script),
// milliseconds to results, and the files fetched.
import { launchChromium, serveSite } from '../../tests/browser/lib.mjs';

const [dir, query, phrase, base = '/'] = process.argv.slice(2);
// DevTools' "Slow 4G" preset: 562.5 ms latency, 1.6 Mbps down, 750 kbps up, 90% efficiency.
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 };

const { server, origin } = await serveSite(dir, base);
const browser = await launchChromium();

/** Whether the page shows at least `rows` results (or says there are none). */
const shown = (rows) => {
  const status = document.querySelector('.search-status')?.textContent || '';
  return /No articles/.test(status) || (/found/.test(status) && document.querySelectorAll('.search-results li').length >= rows);
};

/**
 * Cold load of a search URL, then `more` clicks on "Load more": requests,
 * bytes, and milliseconds to results (for `more`, from the last click).
 */
async function cold(search, throttle, more = 0) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttle) await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  let requests = 0, bytes = 0, dataRequests = 0, dataBytes = 0;
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  const files = [];
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId) || '';
    if (/\/favicon\.[a-z]+$/.test(url)) return; // the theme's icon, not the query's
    requests++; bytes += e.encodedDataLength;
    const path = new URL(url).pathname;
    const name = path.includes('/search/') ? path.replace(/^.*\/search\//, 'search/') : path;
    files.push(`${name} ${e.encodedDataLength}`);
    if (/\/search\/.+\.(bin|json)$/.test(url)) { dataRequests++; dataBytes += e.encodedDataLength; }
  });
  let t0 = Date.now();
  await page.goto(`${origin}${base}search/${search}`);
  await page.waitForFunction(shown, 1, { timeout: 60000, polling: 20 });
  for (let k = 1; k <= more; k++) {
    t0 = Date.now();
    await page.click('.search-more');
    await page.waitForFunction(shown, 10 * (k + 1), { timeout: 60000, polling: 20 });
  }
  const ms = Date.now() - t0;
  await page.waitForTimeout(200);
  const result = { url: search, requests, bytes, dataRequests, dataBytes, ms, files: [...files] };
  return { result, page, context };
}

/** Local and Slow 4G figures of one query. */
async function measure(search, more = 0) {
  const local = await cold(search, false, more);
  const slow = await cold(search, true, more);
  await slow.context.close();
  return { local, figures: { ...local.result, slow4gMs: slow.result.ms } };
}

const q = `?q=${encodeURIComponent(query)}`;
const first = await measure(q);
// The filters a reader sees first: the first person and topic listed, the year with most results.
const facets = await first.local.page.evaluate(() => {
  const values = (key) => [...document.querySelectorAll(`.search-facets button[data-key="${key}"]`)]
    .map((b) => [b.dataset.value, Number(b.querySelector('.search-count').textContent.replace(/\D/g, ''))]);
  const years = values('year').sort((a, b) => b[1] - a[1]);
  return { speaker: values('speaker')[0]?.[0], topic: values('topic')[0]?.[0], year: years[0]?.[0] };
});
const shapes = { first: first.figures };
if (facets.speaker) shapes.speaker = (await measure(`${q}&speaker=${encodeURIComponent(facets.speaker)}`)).figures;
if (facets.topic && facets.year) shapes.topicYear = (await measure(`${q}&topic=${encodeURIComponent(facets.topic)}&year=${facets.year}`)).figures;
shapes.phrase = (await measure(`?q=${encodeURIComponent(`"${phrase}"`)}`)).figures;
shapes.page3 = (await measure(q, 2)).figures;

// Keystroke to results once the files are loaded: each query is typed once
// to load its files, then again, timed. Half of them take a second word, so
// they rank postings rather than read a summary.
const page = first.local.page;
const texts = [`${query} `, query, `${query} data`, `${query} dat`, `data ${query}`];
const warm = [];
for (const pass of [0, 1]) {
  for (const text of texts) {
    await page.evaluate(() => { document.querySelector('.search-status').textContent = ''; });
    const t0 = Date.now();
    await page.fill('#search-q', text);
    await page.waitForFunction(shown, 1, { timeout: 30000, polling: 5 });
    if (pass) warm.push(Date.now() - t0);
  }
}
console.log(JSON.stringify({ query, phrase, shapes, keystrokeMs: Math.max(...warm) }));
await browser.close();
server.close();
