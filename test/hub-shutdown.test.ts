// Graceful shutdown of a real hub process: SIGTERM mid-call. The hub stops being ready, refuses new
// calls, lets the call in flight finish, cancels a task call that outlives the drain period and hands
// that task straight back to the queue (not after its 60 s lease), then exits 0. A second hub on the
// same store picks the task up at once.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { hashApiKey, SqliteTaskStore } from '@switchboard/hub';
import { cli, repoRoot } from './support/processes.ts';

const KEY = 'sb_shutdown_test_admin_key_012345678';

interface RunningHub {
  child: ChildProcess;
  base: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function startHub(config: string, extra: string[] = []): Promise<RunningHub> {
  // its own process group, so cleanup reaches the upstream it spawns as well
  const child = spawn(process.execPath, [cli, 'serve', '--http', '--port', '0', '--config', config, ...extra], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  let err = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not listen:\n${err}`)), 60_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      err += chunk;
      const match = /"url":"(http:[^"]+)\/mcp"/.exec(err);
      if (match?.[1] && /"msg":"listening"/.test(err)) {
        clearTimeout(timer);
        resolve({ child, base: match[1], stderr: () => err, exit });
      }
    });
    void exit.then((code) => reject(new Error(`hub exited with ${code}:\n${err}`)));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('hub shutdown on SIGTERM', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-shutdown-'));
  const config = join(dir, 'sw.yaml');
  writeFileSync(
    config,
    `hub: { name: shutdown-test }
upstreams:
  count: { command: ${JSON.stringify(process.execPath)}, args: [--import, tsx, ${JSON.stringify(join(repoRoot, 'test/fixtures/counting-server.ts'))}], cwd: ${JSON.stringify(repoRoot)} }
auth: { apiKeys: [{ id: admin, role: admin, sha256: ${hashApiKey(KEY)} }] }
tasks: { store: sqlite, leaseMs: 60000, pollMs: 50 }
`,
  );
  const hubs: RunningHub[] = [];
  after(() => {
    for (const hub of hubs) if (hub.child.exitCode === null && hub.child.pid) process.kill(-hub.child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const headers = { Authorization: `Bearer ${KEY}` };

  it('drains the call in flight, refuses new ones, hands the running task back, exits 0', async () => {
    const hub = await startHub(config, ['--drain-ms', '3000']);
    hubs.push(hub);
    const client = new Client({ name: 'shutdown-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${hub.base}/mcp`), { requestInit: { headers } }));

    // a task whose call outlives the drain period
    const submitted = await fetch(`${hub.base}/v1/tasks`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'count__sleep', input: { ms: 120_000 }, maxAttempts: 3 }),
    });
    assert.equal(submitted.status, 201, await submitted.clone().text());
    const taskId = ((await submitted.json()) as { id: string }).id;
    const state = async () => ((await (await fetch(`${hub.base}/v1/tasks/${taskId}`, { headers })).json()) as { state: string }).state;
    await waitFor(async () => (await state()) === 'running', 'the task to run');

    // a direct call that finishes within the drain period
    const inFlight = client.callTool({ name: 'count__sleep', arguments: { ms: 1500 } });
    // the call has reached the upstream once it shows as in flight there
    await waitFor(async () => {
      const ready = (await (await fetch(`${hub.base}/ready`)).json()) as { upstreams: { inFlight: number }[] };
      return (ready.upstreams[0]?.inFlight ?? 0) >= 2;
    }, 'both calls to reach the upstream');
    const signalledAt = Date.now();
    process.kill(hub.child.pid as number, 'SIGTERM');
    await waitFor(async () => /draining calls in flight/.test(hub.stderr()), 'the drain to begin');

    const ready = await fetch(`${hub.base}/ready`);
    assert.equal(ready.status, 503, 'a draining hub is not ready');
    const refused = await client.callTool({ name: 'count__hits', arguments: {} });
    assert.equal(refused.isError, true);
    assert.match(JSON.stringify(refused.content), /shutting down/);

    const result = await inFlight;
    assert.equal(result.isError, undefined, JSON.stringify(result));
    assert.match(JSON.stringify(result.content), /slept 1500/);
    await client.close().catch(() => {});

    assert.equal(await hub.exit, 0, hub.stderr());
    const stopped = Date.now() - signalledAt;
    assert.ok(stopped < 30_000, `shutdown took ${stopped} ms`);
    assert.match(hub.stderr(), /drain period over/);

    const store = new SqliteTaskStore(join(dir, 'data', 'tasks.db'));
    try {
      const task = await store.getTask(taskId);
      assert.equal(task?.state, 'queued', 'the interrupted task is back in the queue');
      assert.equal(task?.leaseOwner, null);
      assert.equal(task?.error?.code, 'LEASE_RELEASED');
      assert.equal(task?.attempts, 1);
    } finally {
      await store.close();
    }

    // another replica takes it at once: no waiting out the 60 s lease
    const next = await startHub(config, ['--drain-ms', '0']);
    hubs.push(next);
    const view = async () =>
      (await (await fetch(`${next.base}/v1/tasks/${taskId}`, { headers })).json()) as { state: string; attempts: number };
    await waitFor(async () => (await view()).state === 'running', 'the second hub to claim the task', 20_000);
    assert.equal((await view()).attempts, 2);
    process.kill(next.child.pid as number, 'SIGTERM');
    assert.equal(await next.exit, 0, next.stderr());
  });
});
