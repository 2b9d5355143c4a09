import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from './support/processes.ts';

describe('switchboard serve and auth: none', () => {
  it('exits 2 naming the key when --host binds beyond loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-authnone-'));
    const config = join(dir, 'sw.yaml');
    writeFileSync(config, 'auth: none\nupstreams: {}\naudit: { store: memory }\n');
    const result = await runCli(['serve', '--http', '--host', '0.0.0.0', '--port', '0', '--config', config]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /sw\.yaml: auth: none is allowed only on a loopback bind \(127\.0\.0\.1, ::1, localhost\), not on '0\.0\.0\.0'/,
    );
  });

  it('exits 2 when the config itself binds beyond loopback with auth: none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-authnone-'));
    const config = join(dir, 'sw.yaml');
    writeFileSync(config, 'auth: none\nhub: { http: { host: 0.0.0.0 } }\nupstreams: {}\n');
    const result = await runCli(['serve', '--http', '--config', config]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /sw\.yaml: auth: none is allowed only on a loopback bind/);
  });
});
