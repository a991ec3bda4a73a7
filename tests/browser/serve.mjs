// Browser test of `gazette serve`'s live reload:
//   node serve.mjs <server-url> <page-path> <article-file> <broken-text> <fixed-text> <fixed-marker>
// Opens the page in headless Chromium with a strict Content-Security-Policy
// added to every document, breaks the article, expects the problems in the
// overlay (as text: markup in them is not read as HTML), fixes it, expects
// the overlay gone and the page reloaded with the fix. Fails on any page
// error or CSP violation, and when Chromium or playwright-core is missing.
import { writeFileSync } from 'node:fs';
import { launchChromium } from './lib.mjs';

const [url, pagePath, file, broken, fixed, marker] = process.argv.slice(2);
const CSP = "default-src 'self'";
const browser = await launchChromium();
const failures = [];
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
  });
  await page.goto(new URL(pagePath, url).href);
  await page.waitForFunction(() => window.gazetteLiveReload?.connected === true, null, { timeout: 30000 });

  writeFileSync(file, broken);
  const overlay = await page.waitForSelector('#gazette-problems', { timeout: 30000 });
  const shown = await overlay.evaluate((o) => ({ text: o.textContent, elements: o.querySelectorAll('b, script, img').length }));
  if (!shown.text.includes('<b>')) failures.push(`the overlay does not show the problem's text as text: ${shown.text}`);
  if (shown.elements) failures.push('markup in the problems became elements of the overlay');
  if (!/\.md:\d+:\d+: /.test(shown.text)) failures.push(`the overlay does not show path:line:column: ${shown.text}`);

  writeFileSync(file, fixed);
  await page.waitForFunction((m) => document.body.textContent.includes(m), marker, { timeout: 30000 });
  if (await page.$('#gazette-problems')) failures.push('the overlay stayed after the fix');
  if (errors.length) failures.push(`page errors: ${errors.join('; ')}`);
} catch (e) {
  failures.push(String(e));
} finally {
  await browser.close();
}
if (failures.length) { console.error(failures.join('\n')); process.exit(1); }
console.log('live reload passed');
