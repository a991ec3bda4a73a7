// Measures the search page of a built site in headless Chromium:
//   node bench/search/measure.mjs <output-dir> <query> [speaker-slug] [base-path]
// The site is served under its base path (default /), as gazette.toml's
// base_url has it.
// Prints one JSON line: bytes and requests of a cold first query and a cold
// filtered query, time to results for each under DevTools' "Slow 4G", and the
// time from a keystroke to results once the shards are loaded, and the
// files each cold query fetched (name and bytes on the wire).
import { launchChromium, serveSite } from '../../tests/browser/lib.mjs';

const [dir, query, speaker, base = '/'] = process.argv.slice(2);
// DevTools' "Slow 4G" preset: 562.5 ms latency, 1.6 Mbps down, 750 kbps up, 90% efficiency.
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 };

const { server, origin } = await serveSite(dir, base);
const browser = await launchChromium();

const done = () => /found|No articles/.test(document.querySelector('.search-status')?.textContent || '');

/** Cold load of a search URL: requests, bytes, milliseconds to results. */
async function cold(search, throttle) {
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
    files.push(`${url.replace(/^.*\//, '')} ${e.encodedDataLength}`);
    if (/\/search\/[^/?]+\.(bin|json)$/.test(url)) { dataRequests++; dataBytes += e.encodedDataLength; }
  });
  const t0 = Date.now();
  await page.goto(`${origin}${base}search/${search}`);
  await page.waitForFunction(done, null, { timeout: 60000, polling: 20 });
  const ms = Date.now() - t0;
  await page.waitForTimeout(200);
  const result = { requests, bytes, dataRequests, dataBytes, ms, files: [...files] };
  return { result, page, context };
}

const q = encodeURIComponent(query);
const first = await cold(`?q=${q}`, false);
const firstSlow = await cold(`?q=${q}`, true);
const filtered = speaker ? await cold(`?q=${q}&speaker=${encodeURIComponent(speaker)}`, false) : null;
const filteredSlow = speaker ? await cold(`?q=${q}&speaker=${encodeURIComponent(speaker)}`, true) : null;

// Keystroke to results once the shards are loaded: each query is typed once
// to load its files, then again, timed. Half of them take a second word, so
// they rank postings rather than read a summary.
const page = first.page;
const texts = [`${query} `, query, `${query} data`, `${query} dat`, `data ${query}`];
const warm = [];
for (const pass of [0, 1]) {
  for (const text of texts) {
    await page.evaluate(() => { document.querySelector('.search-status').textContent = ''; });
    const t0 = Date.now();
    await page.fill('#search-q', text);
    await page.waitForFunction(done, null, { timeout: 30000, polling: 5 });
    if (pass) warm.push(Date.now() - t0);
  }
}
console.log(JSON.stringify({
  query,
  first: { ...first.result, slow4gMs: firstSlow.result.ms },
  filtered: filtered && { ...filtered.result, slow4gMs: filteredSlow.result.ms },
  keystrokeMs: Math.max(...warm),
}));
await browser.close();
server.close();
