// `switchboard backup` while tasks are being submitted and run, then `switchboard restore` after the
// data dir is lost: every task accepted before the backup began is in the restored store, and a hub
// started on it finishes them all. Also: restore refuses while a hub has the store open, and refuses a
// backup file that does not match its manifest.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashApiKey, SqliteTaskStore } from '@switchboard/hub';
import { repoRoot, runCli } from './support/processes.ts';
import { startUp, type UpProcess, waitUntil } from './support/up-process.ts';

const KEY = 'sb_backup_test_admin_key_0123456789';

describe('backup and restore of the embedded stores', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-backup-'));
  const running: UpProcess[] = [];
  after(() => {
    for (const up of running) up.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const config = join(dir, 'switchboard.yaml');
  writeFileSync(
    config,
    `hub: { name: backup-test, http: { host: 127.0.0.1, port: 0 }, dataDir: ./data }
upstreams:
  count: { command: ${JSON.stringify(process.execPath)}, args: [--import, tsx, ${JSON.stringify(join(repoRoot, 'test/fixtures/counting-server.ts'))}], cwd: ${JSON.stringify(repoRoot)} }
auth: { apiKeys: [{ id: admin, role: admin, sha256: ${hashApiKey(KEY)} }] }
tasks: { store: sqlite, leaseMs: 2000, pollMs: 50, concurrency: 4 }
`,
  );
  const headers = { Authorization: `Bearer ${KEY}` };

  it('a backup taken while tasks run restores every accepted task', async () => {
    const up = await startUp(['--config', config, '--drain-ms', '0'], dir);
    running.push(up);
    const base = up.hubUrl.replace(/\/mcp$/, '');
    const submit = async (ms: number) => {
      const response = await fetch(`${base}/v1/tasks`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ target: 'count__sleep', input: { ms }, maxAttempts: 5 }),
      });
      assert.equal(response.status, 201, await response.clone().text());
      return ((await response.json()) as { id: string }).id;
    };
    const accepted: string[] = [];
    // ~20 s of work at concurrency 4: most of it is still queued or running when the backup is taken
    for (let i = 0; i < 40; i++) accepted.push(await submit(1500 + (i % 4) * 500));
    await waitUntil(async () => {
      const list = (await (await fetch(`${base}/v1/tasks?state=running`, { headers })).json()) as { tasks: unknown[] };
      return list.tasks.length > 0;
    }, 'tasks to be running');

    // keep submitting while the backup runs
    let submitting = true;
    const during = (async () => {
      const ids: string[] = [];
      while (submitting) ids.push(await submit(50));
      return ids;
    })();
    const backupDir = join(dir, 'backup-1');
    const backedUp = await runCli(['backup', '--config', config, '--out', backupDir], { LOG_LEVEL: 'silent' });
    submitting = false;
    await during;
    assert.equal(backedUp.code, 0, `${backedUp.stdout}\n${backedUp.stderr}`);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')) as {
      stores: { name: string; rows: Record<string, number> }[];
    };
    assert.deepEqual(manifest.stores.map((s) => s.name).sort(), ['audit', 'tasks']);
    assert.ok((manifest.stores.find((s) => s.name === 'tasks')?.rows.tasks ?? 0) >= accepted.length);

    // restoring under a running hub is refused, and changes nothing
    const refused = await runCli(['restore', backupDir, '--config', config]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /open in a running process.*stop it first/);

    process.kill(up.child.pid as number, 'SIGTERM');
    assert.equal(await up.exit, 0, up.stderr());
    rmSync(join(dir, 'data'), { recursive: true, force: true }); // the disaster

    const restored = await runCli(['restore', backupDir, '--config', config]);
    assert.equal(restored.code, 0, `${restored.stdout}\n${restored.stderr}`);
    assert.match(restored.stdout, /restored tasks: .*tasks\.db/);
    const store = new SqliteTaskStore(join(dir, 'data', 'tasks.db'));
    try {
      const found = await store.getTasks(accepted);
      assert.equal(found.length, accepted.length, 'every task accepted before the backup is in the restored store');
      const unfinished = found.filter((task) => task.state === 'queued' || task.state === 'running');
      assert.ok(unfinished.length > 0, 'the backup was taken while tasks were still waiting and running');
    } finally {
      await store.close();
    }

    // a hub on the restored store finishes them all (the running ones come back when their leases run out)
    const again = await startUp(['--config', config, '--drain-ms', '0'], dir);
    running.push(again);
    const againBase = again.hubUrl.replace(/\/mcp$/, '');
    await waitUntil(
      async () => {
        const states = await Promise.all(
          accepted.map(async (id) => ((await (await fetch(`${againBase}/v1/tasks/${id}`, { headers })).json()) as { state: string }).state),
        );
        return states.every((state) => state === 'succeeded');
      },
      'every restored task to succeed',
      90_000,
    );
    // the hub counts what its tasks did (deploy/prometheus alerts on these)
    const metrics = await (await fetch(`${againBase}/metrics`)).text();
    const succeeded = Number(/^switchboard_task_events_total\{state="succeeded"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    assert.ok(
      succeeded >= 1,
      `no succeeded task events in /metrics:\n${metrics
        .split('\n')
        .filter((l) => l.includes('task'))
        .join('\n')}`,
    );
    process.kill(again.child.pid as number, 'SIGTERM');
    assert.equal(await again.exit, 0);
  });

  it('refuses a backup whose file does not match the manifest', async () => {
    const backupDir = join(dir, 'backup-1');
    writeFileSync(join(backupDir, 'tasks.sqlite'), 'tampered');
    const refused = await runCli(['restore', backupDir, '--config', config]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /SHA-256 differs\); nothing was restored/);
  });
});
