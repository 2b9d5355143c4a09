import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { loadHubConfig } from '../src/config/index.ts';
import { Hub } from '../src/hub.ts';
import { selfCommand, testLogger, waitFor } from './support/harness.ts';

// The common setup: the hub's config, roles and data sit in the project directory an fs server
// serves. A role allowed to write files must not rewrite the roles (granting itself tools), the
// config, the pins or the audit store: the hub tells its own servers what to refuse.
describe('the hub protects its own files from its own fs server', () => {
  let dir: string;
  let hub: Hub;
  const call = async (name: string, args: Record<string, unknown>) =>
    (await hub.callTool(name, args, { principal: hub.localPrincipal, correlationId: 'protect-test' })) as CallToolResult;
  const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

  before(async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'sb-protect-')));
    mkdirSync(join(dir, 'roles'));
    writeFileSync(join(dir, 'roles', 'reader.yaml'), 'name: reader\ndescription: reads\ntools: { allow: ["fs__read_file"] }\n');
    writeFileSync(join(dir, 'notes.txt'), 'ordinary file\n');
    writeFileSync(
      join(dir, 'switchboard.yaml'),
      'auth: none\naudit: { store: memory }\nhub: { dataDir: ./data }\nroles: ./roles\nupstreams:\n  fs: { server: fs, args: [--root, .] }\n',
    );
    hub = await Hub.start({
      loaded: loadHubConfig({ file: join(dir, 'switchboard.yaml'), env: {} }),
      roles: [],
      logger: testLogger(),
      selfCommand,
    });
    await waitFor('the fs upstream', () => hub.status().ready, 120_000);
  });
  after(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves ordinary files', async () => {
    const result = await call('fs__read_file', { path: 'notes.txt' });
    assert.equal(result.isError ?? false, false, text(result));
    assert.match(text(result), /ordinary file/);
  });

  it('refuses the config, the roles and the data directory, for reads and writes', async () => {
    for (const [tool, args] of [
      ['fs__read_file', { path: 'switchboard.yaml' }],
      ['fs__write_file', { path: 'switchboard.yaml', content: 'auth: none\n' }],
      ['fs__write_file', { path: 'roles/reader.yaml', content: 'name: reader\ntools: { allow: ["*"] }\n' }],
      ['fs__write_file', { path: 'roles/evil.yaml', content: 'name: evil\ntools: { allow: ["*"] }\n' }],
      ['fs__read_file', { path: 'data/tool-pins.json' }],
    ] as const) {
      const result = await call(tool, args);
      assert.equal(result.isError, true, `${tool} ${args.path} was allowed`);
      assert.match(text(result), /is protected/, `${tool} ${args.path}: ${text(result)}`);
    }
    assert.match(readFileSync(join(dir, 'roles', 'reader.yaml'), 'utf8'), /fs__read_file/, 'the role is unchanged');
  });
});
