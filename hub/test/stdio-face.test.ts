import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { stringify } from 'yaml';
import { firstText, probeUpstream, repoRoot, waitFor } from './support/harness.ts';

/** The hub as Claude Desktop runs it: `switchboard serve --stdio`, one long-lived session. */
describe('the stdio face pushes notifications to its client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-stdio-'));
  let client: Client;
  let listChanged = 0;
  const logs: { data: unknown; logger?: string }[] = [];

  before(async () => {
    const config = join(dir, 'switchboard.yaml');
    writeFileSync(
      config,
      stringify({
        hub: { name: 'stdio-test', dataDir: dir },
        auth: 'none',
        audit: { store: 'memory' },
        upstreams: { probe: probeUpstream({ restart: { initialDelayMs: 300, maxDelayMs: 1000 }, healthIntervalMs: 0 }) },
      }),
    );
    client = new Client({ name: 'stdio-test', version: '1' });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      listChanged++;
    });
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [join(repoRoot, 'bin', 'switchboard.mjs'), 'serve', '--stdio', '--config', config],
        cwd: repoRoot,
        env: { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' },
        stderr: 'ignore',
      }),
    );
  });
  after(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards upstream log lines at the level set with logging/setLevel', async () => {
    await client.setLoggingLevel('info');
    await client.callTool({ name: 'probe__log', arguments: { level: 'info', message: 'over stdio' } });
    const line = await waitFor('the log line', () => logs.find((l) => l.data === 'over stdio'));
    assert.equal(line.logger, 'probe/probe-logger');
  });

  it('sends tools/list_changed when a crashed upstream leaves and again when it is back', async () => {
    await client.callTool({ name: 'probe__crash', arguments: {} });
    await waitFor('two list_changed notifications', () => listChanged >= 2, 90_000);
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'probe__target'));
    assert.equal(firstText(await client.callTool({ name: 'probe__target', arguments: {} })), 'target called');
  });
});
