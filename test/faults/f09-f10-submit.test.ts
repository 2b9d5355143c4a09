// F9 — 100 concurrent submits with one idempotency key make exactly one task (two hubs sharing the
// Postgres queue). F10 — a deadline already past at submit is rejected and never executed.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { PostgresTaskStore, Scheduler, type TaskApiError } from '../../hub/src/scheduler/index.ts';
import { fakeExecutor } from '../../hub/src/scheduler/testing/fake-executor.ts';
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres, until } from './support.ts';

const unavailable = await postgresUnavailable();

describe('F9/F10: submits on the Postgres queue', () => {
  if (unavailable) return reportMissingPostgres(unavailable);
  const schema = randomSchema('sb_f9');
  let stores: PostgresTaskStore[] = [];
  const pool = new pg.Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 2 });
  after(async () => {
    await stores[0]?.dropSchema();
    for (const store of stores) await store.close();
    await pool.end();
  });

  it('F9: 100 concurrent submits with one idempotency key, over two hubs, make exactly one task, run once', async () => {
    stores = [await PostgresTaskStore.open({ url: DATABASE_URL, schema }), await PostgresTaskStore.open({ url: DATABASE_URL, schema })];
    const fake = fakeExecutor();
    const hubs = stores.map((store) => new Scheduler({ store, executor: fake.executor, pollMs: 20 }).start());
    try {
      const body = { target: 'pay__charge', input: { order: 42, cents: 1999 }, idempotencyKey: 'order-42' };
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => (hubs[i % 2] as Scheduler).submit(body)));
      const ids = new Set(answers.map((a) => a.task.id));
      assert.equal(ids.size, 1, `one task id for all 100 submits, got ${ids.size}`);
      assert.equal(answers.filter((a) => a.created).length, 1, 'exactly one submit created it');
      const [id] = ids;
      // Either hub may run it: read the shared store rather than one hub's local events.
      await until(async () => (await (hubs[0] as Scheduler).require(id as string)).state === 'succeeded', 'the task to succeed');
      await Promise.all(hubs.map((h) => h.drained()));
      const rows = await pool.query(`SELECT count(*)::int AS n FROM tasks WHERE kind = 'task'`);
      assert.equal(rows.rows[0].n, 1, 'one row in the store');
      assert.equal(fake.calls.length, 1, 'the side effect ran once');
    } finally {
      await Promise.all(hubs.map((h) => h.close()));
    }
  });

  it('F10: a deadline already past at submit is rejected naming the field, stored nowhere, never executed', async () => {
    const fake = fakeExecutor();
    const hub = new Scheduler({ store: stores[0] as PostgresTaskStore, executor: fake.executor, pollMs: 20 }).start();
    try {
      const before = (await pool.query('SELECT count(*)::int AS n FROM tasks')).rows[0].n;
      const past = new Date(Date.now() - 1000).toISOString();
      await assert.rejects(
        hub.submit({ target: 'late__job', input: {}, deadline: past }),
        (e: TaskApiError) => e.code === 'INVALID_ARGUMENT' && e.field === 'deadline' && /already passed/.test(e.message),
      );
      await assert.rejects(
        hub.submit({
          batch: [
            { target: 'late__job', input: {} },
            { target: 'late__job', input: {}, deadline: past },
          ],
        }),
        (e: TaskApiError) => e.code === 'INVALID_ARGUMENT' && e.field === 'batch[1].deadline',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await pool.query('SELECT count(*)::int AS n FROM tasks')).rows[0].n, before, 'nothing stored');
      assert.equal(fake.calls.length, 0, 'nothing executed');
    } finally {
      await hub.close();
    }
  });
});
