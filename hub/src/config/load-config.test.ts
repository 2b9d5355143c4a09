import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './errors.ts';
import { loadHubConfig, parseHubConfig } from './load-config.ts';

const valid = `
hub: { name: t, http: { host: 127.0.0.1, port: 7700 } }
upstreams:
  fs: { server: fs, args: [--root, "\${WORK:-/srv/work}"] }
  remote: { url: "http://127.0.0.1:9/mcp" }
  other: { command: node, args: [x.js] }
`;

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('hub config', () => {
  it('parses the three upstream kinds with defaults filled in', () => {
    const config = parseHubConfig(valid, 'sw.yaml', {});
    assert.deepEqual(config.upstreams.fs, { server: 'fs', args: ['--root', '/srv/work'], timeoutMs: 30000, env: {}, tags: [] });
    assert.equal((config.upstreams.remote as { url: string }).url, 'http://127.0.0.1:9/mcp');
    assert.equal((config.upstreams.other as { command: string }).command, 'node');
  });

  it('interpolates ${ENV} and ${ENV:-default} in values', () => {
    const config = parseHubConfig(valid, 'sw.yaml', { WORK: '/data/w' });
    assert.deepEqual((config.upstreams.fs as { args: string[] }).args, ['--root', '/data/w']);
  });

  it('names the key of an unset variable without a default', () => {
    const error = thrown(() => parseHubConfig('hub: { name: "${NOPE}" }', 'sw.yaml', {}));
    assert.equal(error.key, 'hub.name');
    assert.match(error.message, /sw\.yaml: hub\.name: environment variable NOPE is not set/);
  });

  it('names an unknown key', () => {
    const error = thrown(() => parseHubConfig('hub: { nmae: x }', 'sw.yaml', {}));
    assert.equal(error.key, 'hub.nmae');
    assert.match(error.message, /^sw\.yaml: hub\.nmae: unknown key/);
  });

  it('names a key of the wrong type', () => {
    const error = thrown(() => parseHubConfig('hub: { http: { port: "seven" } }', 'sw.yaml', {}));
    assert.equal(error.key, 'hub.http.port');
  });

  it('names a bad upstream name and an upstream of no known kind', () => {
    assert.match(thrown(() => parseHubConfig('upstreams: { "Bad__Name": { server: fs } }', 'sw.yaml', {})).message, /upstreams\.Bad__Name/);
    const error = thrown(() => parseHubConfig('upstreams: { fs: { args: [] } }', 'sw.yaml', {}));
    assert.equal(error.key, 'upstreams.fs');
    assert.match(error.message, /exactly one of `server`/);
  });

  it('reports YAML syntax errors with the file name', () => {
    assert.match(thrown(() => parseHubConfig('hub: [unclosed', 'sw.yaml', {})).message, /^sw\.yaml: not valid YAML/);
  });

  it('uses ./switchboard.yaml when present, else the embedded defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
    const defaults = loadHubConfig({ cwd: dir, defaultRolesDir: '/roles' });
    assert.equal(defaults.source, '<embedded defaults>');
    assert.equal(defaults.rolesDir, '/roles');
    assert.ok('fs' in defaults.config.upstreams);
    writeFileSync(join(dir, 'switchboard.yaml'), 'roles: ./my-roles\nupstreams: {}\n');
    const found = loadHubConfig({ cwd: dir, defaultRolesDir: '/roles' });
    assert.equal(found.source, 'switchboard.yaml');
    assert.equal(found.rolesDir, join(dir, 'my-roles'));
  });

  it('names a config file that cannot be read', () => {
    assert.match(
      thrown(() => loadHubConfig({ file: '/nonexistent/sw.yaml' })).message,
      /\/nonexistent\/sw\.yaml: cannot read the file \(ENOENT\)/,
    );
  });
});
