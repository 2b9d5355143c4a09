import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Scheduler } from '../src/scheduler/scheduler.ts';
import { PostgresTaskStore } from '../src/scheduler/store/postgres-store.ts';
import { SqliteTaskStore } from '../src/scheduler/store/sqlite-store.ts';
import type { TaskStore } from '../src/scheduler/store/types.ts';
import { allFinal, killHard, spawnWorker, stopGently, submitRecordTasks, until } from './support/crash-run.ts';
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres } from './support/postgres.ts';

const TASKS = 40;
const HOLD_MS = 400;

/** What every crash run must show: all tasks succeeded, each side effect once, and the crash did hit work in flight. */
async function assertExactlyOnce(store: TaskStore, ids: string[], results: { task_id: string }[], executions: { task_id: string }[]) {
  const tasks = await store.getTasks(ids);
  assert.equal(tasks.length, TASKS);
  assert.deepEqual(
    tasks.filter((t) => t.state !== 'succeeded').map((t) => [t.id, t.state, t.error]),
    [],
    'every task succeeded',
  );
  const perTask = new Map<string, number>();
  for (const row of results) perTask.set(row.task_id, (perTask.get(row.task_id) ?? 0) + 1);
  assert.equal(results.length, TASKS, 'one result row per task');
  assert.ok(
    ids.every((id) => perTask.get(id) === 1),
    'each task exactly once in the results table',
  );
  const rerun = tasks.filter((t) => t.attempts >= 2);
  assert.ok(rerun.length >= 1, 'the kill interrupted at least one running task, which ran again');
  assert.ok(executions.length > TASKS, 'an interrupted task was executed again, and the idempotent tool kept one result');
}

describe('crash recovery on SQLite: SIGKILL a worker mid-run, restart it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes every task, each side effect exactly once', async () => {
    const location = join(dir, 'tasks.db');
    const resultsFile = join(dir, 'results.db');
    const results = new Database(resultsFile);
    results.pragma('journal_mode = WAL');
    results.pragma('busy_timeout = 10000');
    results.exec('CREATE TABLE results (task_id TEXT PRIMARY KEY, value TEXT); CREATE TABLE executions (task_id TEXT, worker TEXT)');
    const store = new SqliteTaskStore(location);
    const api = new Scheduler({ store, executor: async () => assert.fail('the API process runs nothing'), workers: 0 });
    const count = () => (results.prepare('SELECT COUNT(*) AS n FROM results').get() as { n: number }).n;
    const options = { store: 'sqlite', location, results: resultsFile };
    const first = await spawnWorker({ ...options, name: 'worker-1' });
    const ids = await submitRecordTasks(api, TASKS, HOLD_MS);
    await until(async () => count() >= 6, 'the first results');
    await killHard(first);
    const killedAt = count();
    assert.ok(killedAt < TASKS, 'killed mid-run');
    const second = await spawnWorker({ ...options, name: 'worker-2' });
    try {
      await until(() => allFinal(store, ids), 'every task to finish');
    } finally {
      await stopGently(second);
    }
    await assertExactlyOnce(
      store,
      ids,
      results.prepare('SELECT task_id FROM results').all() as { task_id: string }[],
      results.prepare('SELECT task_id FROM executions').all() as { task_id: string }[],
    );
    results.close();
    await store.close();
  });
});

const unavailable = await postgresUnavailable();
describe('crash recovery on Postgres: two workers share the queue, one is SIGKILLed and restarted', () => {
  if (unavailable) return reportMissingPostgres(unavailable);
  const schema = randomSchema('sb_crash');
  let store: PostgresTaskStore;
  const pool = new pg.Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 2 });
  after(async () => {
    await store?.dropSchema();
    await store?.close();
    await pool.end();
  });

  it('finishes every task, each side effect exactly once', async () => {
    store = await PostgresTaskStore.open({ url: DATABASE_URL, schema });
    await pool.query('CREATE TABLE results (task_id TEXT PRIMARY KEY, value TEXT); CREATE TABLE executions (task_id TEXT, worker TEXT)');
    const api = new Scheduler({ store, executor: async () => assert.fail('the API process runs nothing'), workers: 0 });
    const count = async () => Number((await pool.query('SELECT COUNT(*) AS n FROM results')).rows[0].n);
    const options = { store: 'postgres', location: DATABASE_URL, schema };
    const [victim, survivor] = await Promise.all([
      spawnWorker({ ...options, name: 'worker-a' }),
      spawnWorker({ ...options, name: 'worker-b' }),
    ]);
    let restarted: Awaited<ReturnType<typeof spawnWorker>> | undefined;
    const ids = await submitRecordTasks(api, TASKS, HOLD_MS);
    try {
      await until(async () => (await count()) >= 6, 'the first results');
      await killHard(victim);
      assert.ok((await count()) < TASKS, 'killed mid-run');
      restarted = await spawnWorker({ ...options, name: 'worker-a2' });
      await until(() => allFinal(store, ids), 'every task to finish');
    } finally {
      await Promise.all([stopGently(survivor), restarted ? stopGently(restarted) : undefined, killHard(victim)]);
    }
    await assertExactlyOnce(
      store,
      ids,
      (await pool.query('SELECT task_id FROM results')).rows,
      (await pool.query('SELECT task_id FROM executions')).rows,
    );
    const owners = (await pool.query(`SELECT DISTINCT worker FROM executions`)).rows.map((r) => r.worker).sort();
    assert.ok(owners.includes('worker-a') && owners.includes('worker-b'), `both workers took tasks from the shared queue: ${owners}`);
  });
});
