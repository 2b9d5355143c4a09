// F6 — an upstream answers errors for a long stretch: retries stay within the hub's retry budget, and
// no attempt starts after its task's deadline. On the Postgres task store.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PostgresTaskStore, Scheduler, type TaskView } from '../../hub/src/scheduler/index.ts';
import { fail, fakeExecutor, ok } from '../../hub/src/scheduler/testing/fake-executor.ts';
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres, sleep, until } from './support.ts';

const unavailable = await postgresUnavailable();

describe('F6: an upstream that only answers errors', () => {
  if (unavailable) return reportMissingPostgres(unavailable);
  const stores: PostgresTaskStore[] = [];
  const open = async () => {
    const store = await PostgresTaskStore.open({ url: DATABASE_URL, schema: randomSchema('sb_f6') });
    stores.push(store);
    return store;
  };
  after(async () => {
    for (const store of stores) {
      await store.dropSchema();
      await store.close();
    }
  });

  /** 40 tasks against an upstream that is down the whole time; returns how often it was called, and the tasks. */
  async function outage(retryBudget: ConstructorParameters<typeof Scheduler>[0]['retryBudget']) {
    const fake = fakeExecutor({ down__call: () => fail('UPSTREAM_UNAVAILABLE', 'upstream down (HTTP 503)') });
    const scheduler = new Scheduler({ store: await open(), executor: fake.executor, pollMs: 20, sweepMs: 100, retryBudget }).start();
    try {
      const { task } = await scheduler.submit({
        batch: Array.from({ length: 40 }, (_, i) => ({
          target: 'down__call',
          input: { i },
          maxAttempts: 5,
          backoff: { baseMs: 20, factor: 1, maxMs: 20, jitter: 0 },
        })),
      });
      const done = await scheduler.waitFor(task.id, 60_000);
      const members = await Promise.all((done.tasks ?? []).map((m) => scheduler.require(m.id)));
      return { calls: fake.calls.length, members };
    } finally {
      await scheduler.close();
    }
  }

  it('without a budget every task retries up to maxAttempts (the baseline the budget cuts)', { timeout: 600_000 }, async () => {
    const { calls, members } = await outage(false);
    assert.equal(calls, 40 * 5);
    assert.equal(members.length, 40);
    assert.ok(members.every((m) => m.state === 'failed' && m.error?.code === 'UPSTREAM_UNAVAILABLE'));
  });

  it('with a budget of 20 % of first attempts, retries stay within it; every task ends failed, none lost', async () => {
    const { calls, members } = await outage({ ratio: 0.2, minPerSecond: 0, windowMs: 60_000 });
    const retries = calls - 40;
    assert.ok(retries >= 1, 'the budget allowed some retries');
    assert.ok(retries <= 0.2 * 40, `retries ${retries} within 20 % of 40 first attempts`);
    assert.equal(members.length, 40, 'submitted = finished');
    assert.ok(members.every((m: TaskView) => m.state === 'failed'));
    const refused = members.filter((m) => m.error?.code === 'RETRY_BUDGET_EXHAUSTED');
    assert.ok(refused.length >= 40 - retries, `${refused.length} tasks name the spent budget`);
    assert.match(refused[0]?.error?.message ?? '', /retry budget is spent.*UPSTREAM_UNAVAILABLE: upstream down/);
  });

  it('does not start a retry after the deadline, even when the retry fell due before it while the worker was busy', async () => {
    const attempts: { target: string; at: number; deadline: number | null }[] = [];
    const deadlines = new Map<string, number>();
    const fake = fakeExecutor({
      // Fails fast with a retryable error; its retry falls due 400 ms later, well before its deadline.
      flaky__call: (_input, ctx) => {
        attempts.push({ target: 'flaky', at: Date.now(), deadline: deadlines.get(ctx.taskId) ?? null });
        return fail('UPSTREAM_UNAVAILABLE', 'down');
      },
      // Holds the only worker slot until the flaky task's deadline has passed.
      slow__call: async () => {
        await sleep(2500);
        return ok('slow');
      },
    });
    // The sweeper is slow on purpose: the claim itself must refuse the late retry.
    const scheduler = new Scheduler({ store: await open(), executor: fake.executor, concurrency: 1, pollMs: 20, sweepMs: 60_000 }).start();
    try {
      const flaky = (
        await scheduler.submit({
          target: 'flaky__call',
          input: {},
          priority: 5,
          timeoutMs: 1500,
          maxAttempts: 5,
          backoff: { baseMs: 400, factor: 1, maxMs: 400, jitter: 0 },
        })
      ).task;
      deadlines.set(flaky.id, Date.parse(flaky.deadline as string));
      await until(() => attempts.length === 1, 'the first attempt');
      const slow = (await scheduler.submit({ target: 'slow__call', input: {} })).task;
      await scheduler.waitFor(slow.id, 30_000);
      await sleep(200);
      assert.equal(attempts.length, 1, `the flaky task was attempted ${attempts.length} times; only the first was before the deadline`);
      for (const attempt of attempts) assert.ok(attempt.at < (attempt.deadline as number), 'no attempt started after the deadline');
      await scheduler.sweep();
      const view = await scheduler.require(flaky.id);
      assert.equal(view.state, 'timed_out');
      assert.equal(view.attempts, 1);
    } finally {
      await scheduler.close();
    }
  });
});
