/**
 * The workspace's stylesheet, served by the app itself (`npm run serve`, and the function behind
 * CloudFront, which caches it): the committed workspace.css, read once per process from beside
 * this module. In the Lambda bundle this module is part of the bundle's entry file, so the
 * deployment copies workspace.css next to that file. Its URL carries a hash of its content, so
 * it can be cached for a year and a new build is fetched at once. Sent compressed to a browser that
 * accepts it (about 15 KB of 160).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { compress } from 'hono/compress';

export const STYLESHEET_PATH = '/static/workspace.css';
const STYLESHEET_FILE = new URL('./workspace.css', import.meta.url);

let loaded: { css: string; version: string } | undefined;

function stylesheet(): { css: string; version: string } {
  if (!loaded) {
    const css = readFileSync(STYLESHEET_FILE, 'utf8');
    loaded = { css, version: createHash('sha256').update(css).digest('hex').slice(0, 12) };
  }
  return loaded;
}

/** The stylesheet's URL as pages link it: changes whenever its content does. */
export function stylesheetHref(): string {
  return `${STYLESHEET_PATH}?v=${stylesheet().version}`;
}

/** GET /static/workspace.css: public (it holds no data), so it is mounted before the login. */
export function workspaceAssets(): Hono {
  const app = new Hono();
  app.use(compress());
  app.get(STYLESHEET_PATH, (c) => {
    const { css, version } = stylesheet();
    const etag = `"${version}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('X-Content-Type-Options', 'nosniff');
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    return c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  return app;
}
