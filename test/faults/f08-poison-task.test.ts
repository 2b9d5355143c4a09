// F8 — a task that always crashes its worker (SIGKILL of the whole hub-like worker process, every
// time it runs): it ends `failed` after maxAttempts and shows in the dead-letter view (the failed
// tasks); the queue keeps draining — every other task succeeds, each side effect once. Postgres.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { PostgresTaskStore, Scheduler } from '../../hub/src/scheduler/index.ts';
import { allFinal, spawnWorker, stopGently } from '../../hub/test/support/crash-run.ts';
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres, until } from './support.ts';

const unavailable = await postgresUnavailable();

describe('F8: a task that always crashes its worker', () => {
  if (unavailable) return reportMissingPostgres(unavailable);
  const schema = randomSchema('sb_f8');
  let store: PostgresTaskStore;
  const pool = new pg.Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 2 });
  after(async () => {
    await store?.dropSchema();
    await store?.close();
    await pool.end();
  });

  it('fails it after maxAttempts (dead-letter view) while every other task succeeds', { timeout: 600_000 }, async () => {
    store = await PostgresTaskStore.open({ url: DATABASE_URL, schema });
    await pool.query('CREATE TABLE results (task_id TEXT PRIMARY KEY, value TEXT); CREATE TABLE executions (task_id TEXT, worker TEXT)');
    const api = new Scheduler({ store, executor: async () => assert.fail('the API process runs nothing'), workers: 0 });
    const poison = (await api.submit({ target: 'test__crash', input: {}, maxAttempts: 3, priority: 10 })).task;
    const batch = (
      await api.submit({
        batch: Array.from({ length: 30 }, (_, i) => ({ target: 'test__record', input: { n: i, ms: 100 }, maxAttempts: 10 })),
      })
    ).task;
    const ids = [poison.id, ...(batch.tasks ?? []).map((t) => t.id)];
    // A supervisor, as systemd or Kubernetes would be: a worker that dies is started again.
    let crashes = 0;
    let started = 0;
    let current: ChildProcess | undefined;
    let supervising = true;
    const supervise = async () => {
      for (let n = 0; supervising; n++) {
        const child = spawnWorker({ store: 'postgres', location: DATABASE_URL, schema, name: `worker-${n}` });
        current = await child.catch(() => undefined);
        started++;
        if (current === undefined) continue; // died before it said ready: start another
        const running = current;
        const signal =
          running.exitCode !== null || running.signalCode !== null
            ? running.signalCode
            : await new Promise<NodeJS.Signals | null>((resolve) => running.once('exit', (_code, s) => resolve(s)));
        if (signal === 'SIGKILL') crashes++;
      }
    };
    const supervisor = supervise();
    try {
      await until(() => allFinal(store, ids), 'every task to finish', 420_000).catch(async (error: Error) => {
        const states = (await store.getTasks(ids)).map((t) => `${t.target}:${t.state}:${t.attempts}`);
        throw new Error(`${error.message}; crashes ${crashes}; workers started ${started}; ${states.join(' ')}`);
      });
    } finally {
      supervising = false;
      if (current) await stopGently(current);
      await supervisor;
    }
    const view = await api.require(poison.id);
    assert.equal(view.state, 'failed');
    assert.equal(view.attempts, 3);
    assert.equal(view.error?.code, 'LEASE_EXPIRED', JSON.stringify(view.error));
    assert.equal(crashes, 3, 'the poison task killed its worker once per attempt');
    const deadLetters = (await api.list({ state: 'failed' })).tasks.map((t) => t.id);
    assert.deepEqual(deadLetters, [poison.id], 'the dead-letter view holds the poison task and nothing else');
    const members = await store.getTasks(ids.slice(1));
    assert.deepEqual(
      members.filter((t) => t.state !== 'succeeded').map((t) => [t.id, t.state]),
      [],
      'the queue kept draining: every other task succeeded',
    );
    const results = (await pool.query('SELECT task_id FROM results')).rows.map((r) => r.task_id).sort();
    assert.deepEqual(results, ids.slice(1).sort(), 'each side effect once (idempotent by task id)');
  });
});
