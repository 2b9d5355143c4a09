import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Scheduler } from '../src/scheduler/scheduler.ts';
import { PostgresTaskStore } from '../src/scheduler/store/postgres-store.ts';
import type { ClaimedTask, FinalOutcome } from '../src/scheduler/store/types.ts';
import { schedulerSuite } from '../src/scheduler/testing/suite.ts';
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres } from './support/postgres.ts';

const unavailable = await postgresUnavailable();
if (unavailable) {
  describe('scheduler on Postgres', () => reportMissingPostgres(unavailable));
} else {
  schedulerSuite('the Postgres store', {
    open: () => PostgresTaskStore.open({ url: DATABASE_URL, schema: randomSchema('sb_tasks'), poolSize: 4 }),
    dispose: (store) => (store as PostgresTaskStore).dropSchema(),
  });

  describe('the Postgres store settling groups in claimAndComplete', () => {
    it('ignores a stale report and settles a batch finished by two owners at once exactly once', async () => {
      const store = await PostgresTaskStore.open({ url: DATABASE_URL, schema: randomSchema('sb_groups'), poolSize: 4 });
      const scheduler = new Scheduler({ store, workers: 0, executor: async () => ({ content: [] }) });
      const outcomes = (owner: string, tasks: ClaimedTask[], failed: boolean): FinalOutcome[] =>
        tasks.map((t, i) => ({
          taskId: t.id,
          owner,
          attempt: t.attempts,
          state: failed ? 'failed' : 'succeeded',
          result: failed ? null : { content: [{ type: 'text', text: String(i) }] },
          error: failed ? { code: 'UPSTREAM_ERROR', message: `m${i}` } : null,
        }));
      try {
        // Trials alternate which owner reports first and whether one half fails: each run either
        // settles inline (one call sees the other's commit) or both miss and the recheck settles it.
        for (let trial = 0; trial < 6; trial++) {
          const failed = trial % 2 === 1;
          const { task } = await scheduler.submit({ batch: [0, 1, 2, 3].map((i) => ({ target: 'noop', input: { i } })) });
          const now = Date.now();
          const a = await store.claim({ owner: 'A', now, leaseMs: 60_000, limit: 2, excludeRoles: [] });
          const b = await store.claim({ owner: 'B', now, leaseMs: 60_000, limit: 2, excludeRoles: [] });
          const [late] = outcomes('A', a.tasks, false);
          assert.ok(late);
          const stale = await store.completeFinal([{ ...late, attempt: 99 }], now + 1);
          assert.deepEqual(stale.events, []);
          const [first, second] = await Promise.all([
            store.completeFinal(outcomes('A', a.tasks, false), now + 2),
            store.completeFinal(outcomes('B', b.tasks, failed), now + 2),
          ]);
          const recheck = [...new Set([...(first.recheck ?? []), ...(second.recheck ?? [])])];
          const later = recheck.length > 0 ? await store.recheckGroups(recheck, now + 3) : [];
          const settled = [...first.events, ...second.events, ...later].filter((e) => e.taskId === task.id);
          assert.equal(settled.length, 1);
          const group = await store.getTask(task.id);
          assert.equal(group?.state, failed ? 'failed' : 'succeeded');
          assert.deepEqual(group?.error, failed ? { code: 'UPSTREAM_ERROR', message: 'm0' } : null);
          const states = (await store.readEvents([task.id], 0, 10)).map((e) => e.state);
          assert.deepEqual(states, ['queued', 'running', failed ? 'failed' : 'succeeded']);
        }
      } finally {
        await scheduler.close();
        await store.dropSchema();
        await store.close();
      }
    });
  });
  describe('the Postgres store under 4 workers (claims merged: claimsInFlight 2)', () => {
    it('runs each of 600 tasks of several batches and roles exactly once, every batch settled', async () => {
      const store = await PostgresTaskStore.open({ url: DATABASE_URL, schema: randomSchema('sb_merge'), poolSize: 10 });
      const runs = new Map<string, number>();
      // Watch the store: never more than 2 claim statements at once, and some carry several loops' limits.
      let inFlight = 0;
      let most = 0;
      const limits: number[] = [];
      const watch =
        <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
        async (...args: A): Promise<R> => {
          const { limit } = args[0] as { limit: number };
          // completeFinal goes through claimAndComplete with limit 0: a completion, not a claim.
          if (limit === 0) return fn(...args);
          limits.push(limit);
          most = Math.max(most, ++inFlight);
          try {
            return await fn(...args);
          } finally {
            inFlight--;
          }
        };
      // (This store's claim() is claimAndComplete without outcomes: watching that one sees every claim.)
      store.claimAndComplete = watch(store.claimAndComplete.bind(store));
      const scheduler = new Scheduler({
        store,
        workers: 4,
        claimBatch: 8,
        claimsInFlight: 2,
        concurrency: 32,
        pollMs: 20,
        executor: async (_target, _input, context) => {
          runs.set(context.taskId, (runs.get(context.taskId) ?? 0) + 1);
          await new Promise((resolve) => setImmediate(resolve));
          return { content: [] };
        },
      }).start();
      try {
        const batches = await Promise.all(
          Array.from({ length: 6 }, (_, b) =>
            scheduler.submit({ batch: Array.from({ length: 100 }, (_, i) => ({ target: `agent__r${(b + i) % 3}`, input: { b, i } })) }),
          ),
        );
        for (const { task } of batches) {
          const view = await scheduler.waitFor(task.id);
          assert.equal(view.state, 'succeeded');
        }
        assert.equal(runs.size, 600);
        assert.ok(most <= 2, `${most} claim statements at once`);
        assert.ok(
          limits.some((limit) => limit > 8),
          `no merged claim among limits ${limits.join(',')}`,
        );
        assert.deepEqual(new Set(runs.values()), new Set([1]));
      } finally {
        await scheduler.close();
        await store.dropSchema();
        await store.close();
      }
    });
  });
}

describe('REQUIRE_SERVICES for the Postgres store', () => {
  const run = (env: Record<string, string>) => {
    // Without NODE_TEST_CONTEXT the nested runner prints plain TAP instead of talking to this one.
    const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
    return spawnSync(process.execPath, ['--import', 'tsx', '--test', import.meta.filename], {
      env: { ...parentEnv, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test', SB_NESTED: '1', ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
  };

  it('skips with the reason when Postgres is missing, and fails with REQUIRE_SERVICES=1', { skip: process.env.SB_NESTED === '1' }, () => {
    const relaxed = run({ REQUIRE_SERVICES: '0' });
    assert.equal(relaxed.status, 0, relaxed.stdout);
    assert.match(relaxed.stdout, /skipping Postgres tests: no Postgres at 127\.0\.0\.1:1\/test/);
    assert.match(relaxed.stdout, /# fail 0/);
    const strict = run({ REQUIRE_SERVICES: '1' });
    assert.notEqual(strict.status, 0);
    assert.match(strict.stdout, /REQUIRE_SERVICES=1 but no Postgres at 127\.0\.0\.1:1\/test/);
  });
});
