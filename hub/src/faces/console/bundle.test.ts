import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { CONSOLE_CSP, mountConsoleBundle } from './bundle.ts';

describe('console bundle at /ui', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-console-bundle-'));
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;
  mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'dist', 'index.html'),
    '<!doctype html><div id="app"></div><script type="module" src="/ui/assets/main-abc123.js"></script>',
  );
  writeFileSync(join(dir, 'dist', 'assets', 'main-abc123.js'), script);
  writeFileSync(join(dir, 'secret.txt'), 'outside the bundle');
  const app = new Hono();
  mountConsoleBundle(app, { dir: join(dir, 'dist') });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves index.html for the root and for client-side routes, with a strict CSP and no caching', async () => {
    assert.equal((await app.request('/ui')).headers.get('location'), '/ui/');
    for (const path of ['/ui/', '/ui/tasks/abc', '/ui/audit']) {
      const response = await app.request(path);
      assert.equal(response.status, 200, path);
      assert.match(await response.text(), /<div id="app">/);
      assert.equal(response.headers.get('content-security-policy'), CONSOLE_CSP);
      assert.match(CONSOLE_CSP, /script-src 'self';/);
      assert.doesNotMatch(CONSOLE_CSP, /unsafe-inline|unsafe-eval|https?:/);
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.equal(response.headers.get('cache-control'), 'no-cache');
    }
  });

  it('serves hashed assets as immutable, gzipped when the client accepts it', async () => {
    const plain = await app.request('/ui/assets/main-abc123.js');
    assert.equal(plain.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(plain.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(await plain.text(), script);
    const zipped = await app.request('/ui/assets/main-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(zipped.headers.get('content-encoding'), 'gzip');
    const bytes = Buffer.from(await zipped.arrayBuffer());
    assert.ok(bytes.length < script.length / 4);
    assert.equal(gunzipSync(bytes).toString(), script);
  });

  it('serves nothing but the bundle’s own files', async () => {
    for (const path of [
      '/ui/assets/missing.js',
      '/ui/../secret.txt',
      '/ui/%2e%2e/secret.txt',
      '/ui/assets/..%2f..%2fsecret.txt',
      '/ui/secret.txt',
    ]) {
      const response = await app.request(path);
      assert.ok(response.status === 404 || !(await response.text()).includes('outside the bundle'), path);
    }
  });

  it('without a build, answers 503 with how to build it', async () => {
    const empty = new Hono();
    mountConsoleBundle(empty, { dir: join(dir, 'nothing-here') });
    const response = await empty.request('/ui/');
    assert.equal(response.status, 503);
    assert.match(await response.text(), /make build-console/);
  });
});
