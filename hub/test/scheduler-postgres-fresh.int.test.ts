import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/scheduler/clock.ts';
import { Scheduler } from '../src/scheduler/scheduler.ts';
import { PostgresTaskStore } from '../src/scheduler/store/postgres-store.ts';
import type { TaskEvent } from '../src/scheduler/task-model.ts';
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres } from './support/postgres.ts';

// INSERT_FRESH takes what a submission's rows share as single values and the rest as arrays and joined
// JSON texts: every row must still get the shared values, and texts that need quoting arrive intact.

const unavailable = await postgresUnavailable();
describe('fresh submissions on Postgres', () => {
  if (unavailable) return reportMissingPostgres(unavailable);
  let store: PostgresTaskStore;
  let scheduler: Scheduler;
  const clock = new ManualClock(Date.UTC(2030, 0, 1));
  const published: TaskEvent[] = [];
  before(async () => {
    store = await PostgresTaskStore.open({ url: DATABASE_URL, schema: randomSchema('sb_fresh'), poolSize: 2 });
    scheduler = new Scheduler({ store, clock, workers: 0, executor: async () => ({ content: [] }) });
    scheduler.watchAll((event) => published.push(event));
  });
  after(async () => {
    await scheduler.close();
    await store.dropSchema();
    await store.close();
  });

  it('stores the shared columns on every row, and texts that need quoting as given', async () => {
    const principal = { id: 'bob', role: 'odd "role", {with} \\ NULL' };
    const backoff = { baseMs: 10, factor: 3, maxMs: 100, jitter: 0 };
    const odd = { 'k"\\': 'v\u001e,{}" NULL', nested: [null, 'é', { '': '' }] };
    const { task } = await scheduler.submit(
      {
        batch: [
          { target: 'noop', input: odd, backoff, priority: 7, maxAttempts: 5, timeoutMs: 60_000 },
          { target: 'noop', input: {} },
          { target: 'agent__coder', input: { i: 2 } },
        ],
      },
      { principal, correlationId: 'corr "1"' },
    );
    const now = clock.now();
    const [group] = await store.getTasks([task.id]);
    assert.ok(group);
    const members = await store.getTasks(group.members);
    const byId = new Map(members.map((m) => [m.id, m]));
    const rows = [group, ...group.members.map((id) => byId.get(id))];
    for (const row of rows) {
      assert.ok(row);
      assert.deepEqual(row.principal, principal);
      assert.equal(row.correlationId, 'corr "1"');
      assert.deepEqual([row.createdAt, row.updatedAt, row.runAt, row.attempts], [now, now, now, 0]);
      assert.equal(row.parentId, row.kind === 'task' ? group.id : null);
      assert.deepEqual([row.result, row.error, row.leaseOwner, row.startedAt, row.idempotencyKey], [null, null, null, null, null]);
    }
    const [first, second, third] = rows.slice(1);
    assert.deepEqual(first?.input, odd);
    assert.deepEqual(first?.backoff, backoff);
    assert.deepEqual([first?.priority, first?.maxAttempts, first?.deadline], [7, 5, now + 60_000]);
    assert.deepEqual(second?.input, {});
    // Fair positions per role, consecutive in submission order.
    assert.equal(first?.role, principal.role);
    assert.equal((second?.fairSeq ?? 0) - (first?.fairSeq ?? 0), 1);
    assert.equal(third?.role, 'coder');
    const stored = await store.readEvents([group.id, ...group.members], 0, 100);
    assert.deepEqual(
      stored.map((e) => [e.id, e.taskId, e.parentId, e.state]),
      published.map((e) => [e.id, e.taskId, e.parentId, e.state]),
    );
  });

  it("blocks a DAG's dependants (each dependency once)", async () => {
    const { task } = await scheduler.submit({
      steps: [
        { id: 'a', target: 'noop', input: {} },
        { id: 'b', target: 'noop', input: {}, dependsOn: ['a', 'a'] },
      ],
    });
    assert.deepEqual(
      task.steps?.map((s) => [s.id, s.state, s.dependsOn]),
      [
        ['a', 'queued', []],
        ['b', 'blocked', ['a']],
      ],
    );
    const steps = await store.getTasks(task.steps?.map((s) => s.taskId) ?? []);
    assert.deepEqual(steps.map((s) => s.stepId).sort(), ['a', 'b']);
  });

  it('refuses rows that are not of one fresh submission, storing nothing', async () => {
    const { task } = await scheduler.submit({ target: 'noop', input: {} });
    const [row] = await store.getTasks([task.id]);
    assert.ok(row);
    const other = { ...row, id: `${row.id}-x`, correlationId: 'other' };
    const mixed = [
      { ...row, id: `${row.id}-y` },
      { ...other, state: 'queued' as const },
    ];
    await assert.rejects(store.insertFresh(mixed, clock.now()), /not part of one fresh submission/);
    assert.deepEqual(await store.getTasks([`${row.id}-y`, `${row.id}-x`]), []);
  });
});
