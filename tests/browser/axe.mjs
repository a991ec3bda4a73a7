// Accessibility and layout checks of built pages: node axe.mjs <spec.json>
//
// The spec: { "sites": [{ "name", "dir", "base", "pages": [{ "kind", "path", "wait"? }] }],
//             "keyboard": [{ "site", "path" }], "screenshots": "<dir>"? }
// Each site is served from its output folder on loopback under its base path
// (unknown paths get 404.html with status 404). One headless Chromium opens every page at 1280 and 360
// CSS pixels wide, light and dark, runs axe-core (WCAG 2.x A and AA, best
// practices) and measures what the page loaded. Prints one JSON report on
// stdout; the Rust test (tests/web_checks.rs) judges it. Exits non-zero only
// when the driver itself fails (no Chromium, no playwright-core, a page that
// would not load).
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { launchChromium, serveSite } from './lib.mjs';

const require = createRequire(import.meta.url);
const spec = JSON.parse(await readFile(process.argv[2], 'utf8'));
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const MODES = [
  { width: 1280, height: 800, scheme: 'light' },
  { width: 1280, height: 800, scheme: 'dark' },
  { width: 360, height: 740, scheme: 'light' },
  { width: 360, height: 740, scheme: 'dark' },
];

/** What the page shows and loaded, measured in the page. */
function measure() {
  const fontFaceRules = [];
  for (const sheet of document.styleSheets) {
    let rules = [];
    try { rules = [...sheet.cssRules]; } catch { /* cross-origin sheet: reported as a request */ }
    for (const rule of rules) if (rule instanceof CSSFontFaceRule) fontFaceRules.push(rule.cssText.slice(0, 120));
  }
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > innerWidth + 0.5) {
      // Report the outermost offenders only, not each of their descendants.
      if (!wide.some((w) => w.el.contains(el))) wide.push({ el, right: Math.round(r.right) });
    }
  }
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth,
    fontFaces: [...document.fonts].map((f) => `${f.family} (${f.status})`),
    fontFaceRules,
    scripts: [...document.scripts].map((s) => s.src || 'inline'),
    tooWide: wide.slice(0, 5).map((w) => `${w.el.tagName.toLowerCase()}${w.el.className ? '.' + String(w.el.className).split(' ').join('.') : ''} right=${w.right}`),
  };
}

/** Describes the focused element. */
function focused() {
  const el = document.activeElement;
  if (!el || el === document.body) return { what: 'body' };
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ').join('.') : ''}`,
    text: (el.textContent || el.getAttribute('aria-label') || el.getAttribute('placeholder') || '').trim().slice(0, 40),
    href: el.getAttribute('href'),
    inMain: !!el.closest('main'),
    visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
    outline: style.outlineStyle === 'none' ? 'none' : `${style.outlineStyle} ${style.outlineWidth}`,
  };
}

const sites = new Map();
for (const site of spec.sites) sites.set(site.name, { ...site, ...(await serveSite(site.dir, site.base)) });

const browser = await launchChromium();
const report = { pages: [], keyboard: [] };
try {
  // A fresh context: its own empty profile, no cache, no cookies.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  let current = null;
  page.on('request', (r) => current?.requests.push({ url: r.url(), type: r.resourceType() }));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') current?.console.push(m.text()); });
  page.on('pageerror', (e) => current?.console.push(`uncaught: ${e.message}`));
  if (spec.screenshots) await mkdir(spec.screenshots, { recursive: true });

  for (const mode of MODES) {
    await page.setViewportSize({ width: mode.width, height: mode.height });
    await page.emulateMedia({ colorScheme: mode.scheme, media: 'screen' });
    for (const site of sites.values()) {
      for (const p of site.pages) {
        const url = `${site.origin}${site.base}${p.path}`;
        current = { site: site.name, kind: p.kind, path: p.path, width: mode.width, scheme: mode.scheme, requests: [], console: [] };
        const response = await page.goto(url, { waitUntil: 'load' });
        if (p.wait) {
          await page.waitForSelector(p.wait, { timeout: 5000 })
            .catch(() => current.console.push(`waited 5 s for ${p.wait} in vain`));
        }
        await page.evaluate(() => document.fonts.ready);
        current.status = response.status();
        Object.assign(current, await page.evaluate(measure));
        await page.evaluate(axeSource);
        const axe = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), TAGS);
        current.violations = axe.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
        }));
        current.external = current.requests.filter((r) => !r.url.startsWith(site.origin + '/')).map((r) => r.url);
        current.fonts = current.requests.filter((r) => r.type === 'font').map((r) => r.url);
        delete current.requests;
        if (spec.screenshots) {
          await page.screenshot({ path: join(spec.screenshots, `${site.name}-${p.kind}-${mode.width}-${mode.scheme}.png`), fullPage: true });
          if (mode.width === 1280 && mode.scheme === 'light') {
            await page.emulateMedia({ media: 'print' });
            await page.screenshot({ path: join(spec.screenshots, `${site.name}-${p.kind}-print.png`), fullPage: true });
            await page.emulateMedia({ media: 'screen' });
          }
        }
        report.pages.push(current);
        current = null;
      }
    }
  }

  // Keyboard: from the top of the page, Tab through the header, then follow the skip link.
  for (const k of spec.keyboard) {
    const site = sites.get(k.site);
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme: 'light', media: 'screen' });
      await page.goto(`${site.origin}${site.base}${k.path}`);
      const stops = [];
      for (let i = 0; i < (k.tabs || 8); i++) {
        await page.keyboard.press('Tab');
        stops.push(await page.evaluate(focused));
      }
      // Follow the skip link: Enter on the first Tab stop, when it is one (Enter
      // on anything else would leave the page).
      await page.goto(`${site.origin}${site.base}${k.path}`);
      await page.keyboard.press('Tab');
      let afterSkip = null, afterSkipTab = null, hash = null;
      if ((await page.evaluate(focused)).href === '#main') {
        await page.keyboard.press('Enter');
        afterSkip = await page.evaluate(focused);
        hash = await page.evaluate(() => location.hash);
        await page.keyboard.press('Tab');
        afterSkipTab = await page.evaluate(focused);
      }
      report.keyboard.push({ site: k.site, path: k.path, width, stops, afterSkip, afterSkipTab, hash });
    }
  }
  await context.close();
} finally {
  await browser.close();
  for (const site of sites.values()) site.server.close();
}
process.stdout.write(JSON.stringify(report));
