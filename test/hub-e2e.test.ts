import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { cli, repoRoot, runCli, type Started, startListening } from './support/processes.ts';

const testConfig = 'config/switchboard.test.yaml';
const seeded = 'Hello from Switchboard.\n';
/** The test config's test-only admin key (config/switchboard.test.yaml); HTTP callers need a token. */
const adminToken = 'sb-test-admin-key-not-a-secret';
const authed = { requestInit: { headers: { Authorization: `Bearer ${adminToken}` } } };

type TextBlock = { type: 'text'; text: string };
const firstText = (result: object) => ((result as { content: TextBlock[] }).content[0] as TextBlock).text;

/**
 * The hub serves after at most hub.startupWaitMs even if an upstream is still starting (a hung one must
 * not hold every client back), so on a loaded machine the fs tools may join a moment later: poll.
 */
async function expectCatalogue(client: { listTools(): Promise<{ tools: { name: string }[] }> }) {
  const wanted = ['fs__read_file', 'fs__write_file', 'fs__list_dir', 'fs__stat', 'fs__search', 'fs__delete', 'agent__reader'];
  const deadline = Date.now() + 90_000;
  let names: string[] = [];
  while (Date.now() < deadline) {
    names = (await client.listTools()).tools.map((tool) => tool.name);
    if (wanted.every((name) => names.includes(name))) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  for (const name of wanted) assert.ok(names.includes(name), `${name} missing from ${names.join(', ')}`);
}

describe('hub over Streamable HTTP (switchboard serve --http)', () => {
  let hub: Started;
  before(async () => {
    hub = await startListening(['serve', '--http', '--port', '0', '--config', testConfig]);
  });
  after(async () => {
    await hub?.stop();
  });

  it('serves the merged catalogue and the reader agent to the v2 SDK client', async () => {
    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(hub.url), authed));
    try {
      await expectCatalogue(client);
      const answer = await client.callTool({ name: 'agent__reader', arguments: { task: 'read hello.txt' } });
      assert.equal(answer.isError, undefined);
      assert.equal(firstText(answer), seeded);
      assert.equal((answer.structuredContent as { answer: string }).answer, seeded);
    } finally {
      await client.close();
    }
  });

  it('serves 2025-era clients (v1 SDK) on the same endpoint', async () => {
    const client = new V1Client({ name: 'e2e-v1', version: '1' });
    await client.connect(new V1HttpTransport(new URL(hub.url), authed));
    try {
      await expectCatalogue(client);
      const read = await client.callTool({ name: 'fs__read_file', arguments: { path: 'hello.txt' } });
      assert.equal(firstText(read), seeded);
    } finally {
      await client.close();
    }
  });

  it('answers an unknown tool with a protocol error and bad arguments with an error naming the field', async () => {
    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(hub.url), authed));
    try {
      await assert.rejects(client.callTool({ name: 'fs__nope', arguments: {} }), (error: Error & { code?: number }) => {
        assert.equal(error.code, -32602);
        assert.match(error.message, /unknown tool 'fs__nope'/);
        return true;
      });
      const bad = await client.callTool({ name: 'agent__reader', arguments: { task: 7 } });
      assert.equal(bad.isError, true);
      assert.match(firstText(bad), /field 'task'/);
    } finally {
      await client.close();
    }
  });

  it('keeps the reader role from writing, and the file is unchanged', async () => {
    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(hub.url), authed));
    try {
      const denied = await client.callTool({
        name: 'agent__reader',
        arguments: {
          task: 'overwrite',
          context: { steps: [{ tool: 'fs__write_file', arguments: { path: 'hello.txt', content: 'pwned' } }] },
        },
      });
      assert.equal(denied.isError, true);
      assert.match(firstText(denied), /^ACL_DENIED: role 'reader' may not call 'fs__write_file'/);
      assert.equal(firstText(await client.callTool({ name: 'fs__read_file', arguments: { path: 'hello.txt' } })), seeded);
    } finally {
      await client.close();
    }
  });

  it('answers /health and /ready', async () => {
    const origin = new URL(hub.url).origin;
    const health = await fetch(`${origin}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${origin}/ready`);
    assert.equal(ready.status, 200);
    const body = (await ready.json()) as { ready: boolean; upstreams: { name: string; state: string }[] };
    assert.equal(body.ready, true);
    assert.ok(body.upstreams.some((u) => u.name === 'fs'));
    for (const upstream of body.upstreams) assert.equal(upstream.state, 'connected', upstream.name);
  });

  it('logs each call with a correlation id', async () => {
    assert.match(hub.stderr(), /"correlationId":"[^"]+","tool":"fs__read_file"/);
  });
});

describe('hub over stdio (switchboard serve --stdio)', () => {
  it('lists the catalogue and the reader agent answers with the seeded file', async () => {
    const client = new Client({ name: 'e2e-stdio', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli, 'serve', '--stdio', '--config', testConfig],
        cwd: repoRoot,
        env: { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' },
        stderr: 'ignore',
      }),
    );
    try {
      await expectCatalogue(client);
      const answer = await client.callTool({ name: 'agent__reader', arguments: { task: 'read hello.txt' } });
      assert.equal(firstText(answer), seeded);
    } finally {
      await client.close();
    }
  });
});

describe('hub is unready when an upstream is down', () => {
  it('keeps serving the others and /ready says which one failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-unready-'));
    const config = join(dir, 'sw.yaml');
    writeFileSync(
      config,
      `roles: ${join(repoRoot, 'roles')}\nauth: none\nupstreams:\n  fs: { server: fs, args: [--mock, --root, /srv/work, --seed, ${join(repoRoot, 'cases/fixtures/work')}] }\n  broken: { command: ${process.execPath}, args: [-e, "process.exit(3)"] }\n`,
    );
    const hub = await startListening(['serve', '--http', '--port', '0', '--config', config]);
    try {
      const ready = await fetch(`${new URL(hub.url).origin}/ready`);
      assert.equal(ready.status, 503);
      const body = (await ready.json()) as { upstreams: { name: string; state: string }[] };
      assert.deepEqual(body.upstreams.find((u) => u.name === 'broken')?.state, 'failed');
      const client = new Client({ name: 'e2e', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(hub.url), authed));
      assert.equal(firstText(await client.callTool({ name: 'fs__read_file', arguments: { path: 'hello.txt' } })), seeded);
      await client.close();
    } finally {
      await hub.stop();
    }
  });
});

describe('CLI', () => {
  it('exits 2 naming file and key for a malformed switchboard.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-bad-'));
    writeFileSync(join(dir, 'sw.yaml'), 'hub:\n  http:\n    port: lots\n');
    const result = await runCli(['serve', '--http', '--config', join(dir, 'sw.yaml')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /sw\.yaml: hub\.http\.port:/);
  });

  it('exits 2 naming file and key for a malformed role file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-badrole-'));
    const roles = join(dir, 'roles');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(roles);
    writeFileSync(join(roles, 'reader.yaml'), 'name: reader\ndescription: r\ntools:\n  allow: fs__read_file\n');
    writeFileSync(join(dir, 'sw.yaml'), 'roles: ./roles\nupstreams: {}\n');
    const result = await runCli(['tools', '--config', join(dir, 'sw.yaml')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /roles\/reader\.yaml: tools\.allow:/);
  });

  it('exits 2 for an unknown command or flag', async () => {
    assert.equal((await runCli(['frobnicate'])).code, 2);
    const flag = await runCli(['serve', '--prot', '1']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--prot/);
  });

  it('lists tools and roles with their effective tools, and runs a task', async () => {
    const tools = await runCli(['tools', '--config', testConfig]);
    assert.equal(tools.code, 0, tools.stderr);
    assert.match(tools.stdout, /^fs__read_file\s/m);
    assert.match(tools.stdout, /^agent__reader\s/m);
    const roles = await runCli(['roles', '--config', testConfig, '--json']);
    assert.equal(roles.code, 0, roles.stderr);
    const reader = (JSON.parse(roles.stdout) as { name: string; effective: string[] }[]).find((r) => r.name === 'reader');
    assert.deepEqual([...(reader?.effective ?? [])].sort(), ['fs__list_dir', 'fs__read_file', 'fs__search']);
    // Planned: the reader's playbook matches; the report ends with the single step's answer.
    const run = await runCli(['run', 'read hello.txt', '--config', testConfig]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^run \S+: succeeded in 1 round: 1 step done \(plan: reader\/read\)\n/);
    assert.ok(run.stdout.endsWith(`\n${seeded}\n`), run.stdout);
    // One agent call, no planner: exactly the answer.
    const direct = await runCli(['run', 'read hello.txt', '--role', 'reader', '--config', testConfig]);
    assert.equal(direct.code, 0, direct.stderr);
    assert.equal(direct.stdout, `${seeded}\n`);
  });
});
