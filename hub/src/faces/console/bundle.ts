import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Context, Hono } from 'hono';

export const CONSOLE_PATH = '/ui';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.map', '.txt']);

/**
 * Everything comes from the bundle (no CDN, no inline script or style); data only from this origin;
 * the console may not be framed (clickjacking of the "try it" buttons).
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface Asset {
  body: Uint8Array;
  gzip: Uint8Array | undefined;
  type: string;
  immutable: boolean;
}

/** Where the built console is: SWITCHBOARD_CONSOLE_DIR, else the `dist/` of the @switchboard/console package. */
export function consoleBundleDir(env = process.env): string | undefined {
  if (env.SWITCHBOARD_CONSOLE_DIR) return env.SWITCHBOARD_CONSOLE_DIR;
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@switchboard/console/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

/** Every file of the bundle, read once: only these paths are ever served, so no request can reach another file. */
function loadBundle(dir: string): Map<string, Asset> | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const assets = new Map<string, Asset>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const ext = extname(name);
        const body = readFileSync(path);
        const key = relative(dir, path).split(sep).join('/');
        assets.set(key, {
          body,
          gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined,
          type: TYPES[ext] ?? 'application/octet-stream',
          // Vite names built assets by content hash: they never change under the same name.
          immutable: key.startsWith('assets/'),
        });
      }
    }
  };
  walk(dir);
  return assets;
}

const notBuilt = (dir: string | undefined) => `<!doctype html><meta charset="utf-8"><title>Switchboard console</title>
<h1>The console is not built</h1>
<p>This hub serves the web console from ${dir ? `<code>${dir.replace(/[<>&]/g, '')}</code>` : 'the @switchboard/console package'}, which has no build yet.
Run <code>make build-console</code> (or <code>make install</code>) in the repository, then reload.</p>`;

/**
 * Serves the console's static files at /ui (client-side routes such as /ui/tasks/ID get index.html).
 * Public, like a login page: the bundle holds no data, and every /v1 request it makes carries the
 * user's bearer token, checked as on every other route. Loaded on first request, so a bundle built
 * after the hub started is found.
 */
export function mountConsoleBundle(app: Hono, options: { dir?: string } = {}): void {
  const dir = options.dir ?? consoleBundleDir();
  let assets: Map<string, Asset> | undefined;
  const serve = (c: Context) => {
    assets ??= dir === undefined ? undefined : loadBundle(dir);
    const headers: Record<string, string> = {
      'content-security-policy': CONSOLE_CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    };
    if (assets === undefined) return c.html(notBuilt(dir), 503, { ...headers, 'cache-control': 'no-store' });
    const path = c.req.path.slice(CONSOLE_PATH.length).replace(/^\/+/, '');
    let asset = assets.get(path);
    // A path without an extension is a client-side route; a missing file with one is a 404.
    if (asset === undefined && extname(path) === '') asset = assets.get('index.html');
    if (asset === undefined) return c.text('not found', 404, headers);
    headers['content-type'] = asset.type;
    headers['cache-control'] = asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
    headers.vary = 'accept-encoding';
    const gzip = asset.gzip !== undefined && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    if (gzip) headers['content-encoding'] = 'gzip';
    return c.body((gzip ? asset.gzip : asset.body) as Uint8Array<ArrayBuffer>, 200, headers);
  };
  app.get(CONSOLE_PATH, (c) => c.redirect(`${CONSOLE_PATH}/`, 302));
  app.get(`${CONSOLE_PATH}/*`, serve);
}
