// What the browser scripts share: Debian's Chromium started the way this
// closed network needs, and a static server for a built site.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, extname } from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml',
  '.txt': 'text/plain', '.bin': 'application/octet-stream',
};

/** Headless Chromium ($CHROMIUM, else /usr/bin/chromium). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * Serves the built site `dir` under the path `base` on a free loopback port,
 * with `headers` on every response and the site's 404.html for what is
 * missing or outside; resolves to `{ server, origin }`.
 */
export async function serveSite(dir, base = '/', headers = {}) {
  const root = normalize(dir);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.startsWith(base) ? normalize(join(root, path.slice(base.length))) : null;
    if (file && !file.startsWith(root)) file = null;
    try {
      if (!file) throw new Error('outside');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', ...headers });
      res.end(body);
    } catch {
      try {
        const body = await readFile(join(root, '404.html'));
        res.writeHead(404, { 'Content-Type': TYPES['.html'], ...headers });
        res.end(body);
      } catch {
        res.writeHead(404, headers).end();
      }
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}
