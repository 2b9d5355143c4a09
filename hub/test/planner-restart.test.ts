import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { probePath, repoRoot, waitFor } from './support/harness.ts';

const cli = join(repoRoot, 'bin', 'switchboard.mjs');
const hubs = new Set<ChildProcess>();
process.on('exit', () => {
  for (const hub of hubs) killGroup(hub, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // gone already
  }
}

/** `switchboard serve --http` as its own process group (the hub and its probe upstream), up and ready. */
async function startHub(config: string): Promise<{ child: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, [cli, 'serve', '--http', '--port', '0', '--config', config], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  hubs.add(child);
  child.once('exit', () => hubs.delete(child));
  let log = '';
  const origin = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/mcp"[^\n]*"msg":"listening"/.exec(log)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`hub exited (${code}) before listening:\n${log.slice(-3000)}`)));
  });
  await waitFor('the hub to be ready', async () => (await fetch(`${origin}/ready`).catch(() => undefined))?.ok === true, 300_000);
  return { child, origin };
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url);
  const text = await response.text();
  assert.equal(response.status, 200, `${url}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

const pings = async (origin: string) => ((await getJson(`${origin}/v1/audit?tool=probe__echo_meta&limit=100`)).records as unknown[]).length;

/**
 * A hub killed (SIGKILL, with its upstream) in the middle of a planned run: the run is a durable
 * scheduler task and its graph is checkpointed, so the next hub on the same data dir claims it again
 * when the lease runs out and resumes from the last checkpoint — the step that had finished does not
 * run again (the audit log, which survives too, counts its tool call once), the one that was cut off
 * runs again, and the run succeeds.
 */
describe('a hub killed mid-plan resumes the run after restart', { timeout: 900_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-planner-restart-'));
  after(() => {
    for (const hub of hubs) killGroup(hub, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes from the checkpoint; finished steps are not run again', async () => {
    mkdirSync(join(dir, 'roles'));
    writeFileSync(
      join(dir, 'roles', 'worker.yaml'),
      stringify({
        name: 'worker',
        description: 'pings and naps with the probe',
        tools: { allow: ['probe__echo_meta', 'probe__sleep'] },
        limits: { timeoutMs: 120_000 },
      }),
    );
    const config = join(dir, 'switchboard.yaml');
    writeFileSync(
      config,
      stringify({
        hub: { name: 'restart-test', dataDir: join(dir, 'data') },
        roles: './roles',
        auth: 'none',
        tasks: { leaseMs: 2000, sweepMs: 200, pollMs: 100 },
        planner: { watchRoles: false },
        upstreams: {
          probe: { command: process.execPath, args: ['--import', 'tsx', probePath], cwd: repoRoot, env: { LOG_LEVEL: 'warn' } },
        },
      }),
    );

    const first = await startHub(config);
    const started = await fetch(`${first.origin}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        task: 'ping, then nap',
        steps: [
          { id: 'ping', role: 'worker', task: 'ping', context: { steps: [{ tool: 'probe__echo_meta', arguments: {} }] } },
          {
            id: 'nap',
            role: 'worker',
            task: 'nap',
            dependsOn: ['ping'],
            context: { steps: [{ tool: 'probe__sleep', arguments: { ms: 5000 } }] },
          },
        ],
      }),
    });
    assert.equal(started.status, 201, await started.clone().text());
    const { runId } = (await started.json()) as { runId: string };
    await waitFor('the ping step to finish', async () => (await pings(first.origin)) === 1, 120_000);
    await new Promise((done) => setTimeout(done, 500)); // the nap is under way
    const before = await getJson(`${first.origin}/v1/runs/${runId}`);
    assert.equal(before.final, false, 'the run was still going when the hub died');
    killGroup(first.child, 'SIGKILL');
    await new Promise((done) => first.child.once('exit', done));

    const second = await startHub(config);
    try {
      const view = await waitFor(
        'the resumed run to finish',
        async () => {
          const v = await getJson(`${second.origin}/v1/runs/${runId}`);
          return v.final === true ? v : undefined;
        },
        300_000,
      );
      assert.equal(view.status, 'succeeded', JSON.stringify(view));
      const report = view.report as { steps: { stepId: string; state: string }[] };
      assert.deepEqual(
        report.steps.map((s) => [s.stepId, s.state]),
        [
          ['ping', 'succeeded'],
          ['nap', 'succeeded'],
        ],
      );
      assert.equal(await pings(second.origin), 1, 'the ping step ran once, before the kill, and not again');
    } finally {
      killGroup(second.child, 'SIGTERM');
      await new Promise((done) => second.child.once('exit', done));
    }
  });
});
