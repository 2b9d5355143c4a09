// Names clients accept, end to end through the CLI: an upstream with a tool name far over 64
// characters and one with characters clients refuse. `switchboard tools --json` shows each exposed
// name with its upstream original; the names are at most 64 characters of [a-zA-Z0-9_-], the same
// after a restart (tool-names.json in the data dir), with the configured separator; and
// `switchboard serve --stdio --profile NAME` serves only that profile's tools, callable by them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { stringify } from 'yaml';
import { cli, repoRoot, runCli } from './support/processes.ts';

const fixture = join(repoRoot, 'hub', 'test', 'fixtures', 'long-names-server.ts');
const LONG_TOOL = `summarise_${'quarterly_revenue_'.repeat(4)}report`;
const ODD_TOOL = 'odd.name/with spaces';
const CLIENT_SAFE = /^[a-zA-Z0-9_-]{1,64}$/;

interface Row {
  name: string;
  upstream?: string;
  original?: string;
  rewritten?: boolean;
}

describe('tool names clients accept (switchboard tools, serve --stdio --profile)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-names-'));
  const config = join(dir, 'switchboard.yaml');

  before(() => {
    writeFileSync(
      config,
      stringify({
        hub: { name: 'names-test', dataDir: join(dir, 'data') },
        auth: 'none',
        audit: { store: 'memory' },
        names: { separator: '-' },
        upstreams: { reports: { command: process.execPath, args: ['--import', 'tsx', fixture], cwd: repoRoot, era: '2025' } },
        profiles: { plain: { include: ['reports-read'] } },
      }),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function tools(): Promise<Row[]> {
    const result = await runCli(['tools', '--json', '--config', config]);
    assert.equal(result.code, 0, result.stderr);
    return (JSON.parse(result.stdout) as Row[]).filter((row) => row.upstream === 'reports');
  }

  it('shows every exposed name beside its original, each client-safe, stable across restarts', async () => {
    const first = await tools();
    assert.equal(first.length, 3, JSON.stringify(first));
    for (const row of first) assert.match(row.name, CLIENT_SAFE, `'${row.name}' is not a name clients accept`);
    const byOriginal = new Map(first.map((row) => [row.original, row]));
    const long = byOriginal.get(LONG_TOOL);
    const odd = byOriginal.get(ODD_TOOL);
    assert.ok(long && odd, JSON.stringify(first));
    assert.equal(long.rewritten, true);
    assert.equal(odd.rewritten, true);
    assert.ok(long.name.startsWith('reports-summarise_quarterly'), `a readable prefix: ${long.name}`);
    assert.equal(long.name.length <= 64, true);
    assert.deepEqual(byOriginal.get('read')?.name, 'reports-read', 'a plain name keeps the configured separator and stays as it is');
    // A second process (a restart) exposes the very same names.
    const second = await tools();
    assert.deepEqual(second.map((row) => [row.original, row.name]).sort(), first.map((row) => [row.original, row.name]).sort());
  });

  it('the stdio face with --profile lists only that profile, and a rewritten name still calls its tool', async () => {
    const client = new Client({ name: 'names-test', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli, 'serve', '--stdio', '--profile', 'plain', '--config', config],
        cwd: repoRoot,
        env: { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' },
        stderr: 'ignore',
      }),
    );
    try {
      const listed = (await client.listTools()).tools.map((t) => t.name);
      assert.deepEqual(listed, ['reports-read']);
      const result = (await client.callTool({ name: 'reports-read', arguments: {} })) as { content: { text: string }[] };
      assert.equal(result.content[0]?.text, 'read');
    } finally {
      await client.close();
    }
    // Without a profile, the long tool is called by its short name and answers as itself.
    const full = new Client({ name: 'names-test-full', version: '1' });
    await full.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli, 'serve', '--stdio', '--config', config],
        cwd: repoRoot,
        env: { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' },
        stderr: 'ignore',
      }),
    );
    try {
      const long = (await full.listTools()).tools.find((t) => t.name.startsWith('reports-summarise_'));
      assert.ok(long && CLIENT_SAFE.test(long.name), JSON.stringify(long));
      const result = (await full.callTool({ name: long.name, arguments: {} })) as { content: { text: string }[] };
      assert.equal(result.content[0]?.text, LONG_TOOL);
    } finally {
      await full.close();
    }
  });
});
