// A hub killed mid-call (SIGKILL: no cleanup runs) leaves that call's audit record, marked
// unfinished, beside the records of every call before it; `switchboard audit` shows them all.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type AuditRecord, hashApiKey, SqliteAuditStore } from '@switchboard/hub';
import { cli, repoRoot, runCli } from './support/processes.ts';

const ADMIN = 'sb_crash_test_admin_key_0123456789';
const VIEWER = 'sb_crash_test_viewer_key_012345678';

describe('audit log when the hub is killed mid-call', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-crash-'));
  const config = join(dir, 'sw.yaml');
  writeFileSync(
    config,
    `hub: { name: crash-test }
upstreams:
  count: { command: ${JSON.stringify(process.execPath)}, args: [--import, tsx, ${JSON.stringify(join(repoRoot, 'test/fixtures/counting-server.ts'))}], cwd: ${JSON.stringify(repoRoot)} }
auth:
  apiKeys:
    - { id: admin, role: admin, sha256: ${hashApiKey(ADMIN)} }
    - { id: viewer, role: viewer, sha256: ${hashApiKey(VIEWER)} }
policy: { roles: { viewer: { tools: { allow: [count__hits] } } } }
`,
  );
  let hub: ChildProcess | undefined;
  after(() => {
    if (hub?.pid !== undefined && hub.exitCode === null && hub.signalCode === null) process.kill(-hub.pid, 'SIGKILL');
  });

  it('keeps N records for N calls, the interrupted one marked unfinished', async () => {
    // Its own process group, so SIGKILL takes the hub and the upstream it spawned, as a crash would.
    hub = spawn(process.execPath, [cli, 'serve', '--http', '--port', '0', '--config', config], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    const url = await listeningUrl(hub);
    const connect = async (token: string) => {
      const client = new Client({ name: 'crash-test', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
      );
      return client;
    };
    const admin = await connect(ADMIN);
    const viewer = await connect(VIEWER);
    await admin.callTool({ name: 'count__hits', arguments: {} });
    await viewer.callTool({ name: 'count__hits', arguments: {} });
    const denied = await viewer.callTool({ name: 'count__echo', arguments: { path: 'x' } });
    assert.equal(denied.isError, true);
    // The client would wait out its request timeout for an answer that cannot come; the test stops waiting once the hub is dead.
    const giveUp = new AbortController();
    const pending = admin.callTool({ name: 'count__sleep', arguments: { ms: 60_000 } }, { signal: giveUp.signal }).catch(() => 'no answer');

    const store = new SqliteAuditStore(join(dir, 'data', 'audit.db'));
    try {
      await waitFor(async () => (await store.query({ outcome: 'unfinished' })).length === 1);
    } finally {
      await store.close();
    }
    const pid = hub.pid as number;
    const exited = new Promise((resolve) => hub?.once('exit', (_code, signal) => resolve(signal)));
    process.kill(-pid, 'SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    giveUp.abort();
    assert.equal(await pending, 'no answer');
    await Promise.allSettled([admin.close(), viewer.close()]);

    const listed = await runCli(['audit', '--config', config, '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const records = (JSON.parse(listed.stdout) as AuditRecord[]).reverse();
    assert.deepEqual(
      records.map((r) => [r.principal, r.tool, r.outcome]),
      [
        ['key:admin', 'count__hits', 'ok'],
        ['key:viewer', 'count__hits', 'ok'],
        ['key:viewer', 'count__echo', 'denied'],
        ['key:admin', 'count__sleep', 'unfinished'],
      ],
    );
    const unfinished = records[3] as AuditRecord;
    assert.equal(unfinished.finishedAt, undefined);
    assert.equal(unfinished.durationMs, undefined);
    const text = await runCli(['audit', '--config', config, '--outcome', 'unfinished']);
    assert.match(text.stdout, /^\S+Z +unfinished +key:admin \(admin\) +count__sleep +corr=\S+\n$/);
  });
});

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`hub did not listen:\n${seen}`)), 60_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      seen += chunk;
      const match = /"msg":"listening".*?"url":"([^"]+)"|"url":"([^"]+)".*?"msg":"listening"/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve((match[1] ?? match[2]) as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}:\n${seen}`)));
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
