// F4 — the task store's connections are reset (TCP RST, through the fault proxy) right after submits
// were acknowledged, and again while the workers run them: after recovery every acknowledged task is
// there and finishes; none is lost. Real Postgres behind test/support/fault-proxy.ts.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PostgresTaskStore, Scheduler } from '../../hub/src/scheduler/index.ts';
import { fakeExecutor, ok } from '../../hub/src/scheduler/testing/fake-executor.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { DATABASE_URL, hostPortOf, postgresUnavailable, randomSchema, reportMissingPostgres, sleep, until, viaPort } from './support.ts';

const unavailable = await postgresUnavailable();

describe('F4: connection resets to the Postgres task store', () => {
  if (unavailable) return reportMissingPostgres(unavailable);
  const schema = randomSchema('sb_f4');
  let proxy: FaultProxy;
  let store: PostgresTaskStore;
  let direct: PostgresTaskStore;
  after(async () => {
    await store?.close();
    await direct?.dropSchema();
    await direct?.close();
    await proxy?.close();
  });

  it('loses no acknowledged task: all of them run and succeed after the store comes back', { timeout: 600_000 }, async () => {
    proxy = await startFaultProxy(hostPortOf(DATABASE_URL));
    store = await PostgresTaskStore.open({ url: viaPort(DATABASE_URL, proxy.port), schema, poolSize: 6 });
    // An observer on its own connection, not behind the proxy.
    direct = await PostgresTaskStore.open({ url: DATABASE_URL, schema, poolSize: 2 });
    const errors: string[] = [];
    const fake = fakeExecutor({
      work__step: async () => {
        await sleep(30);
        return ok('done');
      },
    });
    const scheduler = new Scheduler({
      store,
      executor: fake.executor,
      leaseMs: 2000,
      pollMs: 20,
      sweepMs: 200,
      concurrency: 8,
      onError: (error, where) => errors.push(`${where}: ${(error as Error).message}`),
    }).start();
    const acknowledged: string[] = [];
    let refused = 0;
    try {
      // Submits keep coming while the store's connections are reset under them, three times.
      const submitting = (async () => {
        for (let i = 0; i < 120; i++) {
          try {
            acknowledged.push((await scheduler.submit({ target: 'work__step', input: { i } })).task.id);
          } catch {
            refused++; // never acknowledged: the caller was told and may submit again
          }
          if (i % 40 === 39) {
            // Right after an acknowledgement: drop every connection, including the workers' mid-claim.
            assert.ok(proxy.resetAll() >= 1, 'there were live store connections to reset');
            proxy.setRefuse(true);
            await sleep(300);
            proxy.setRefuse(false);
          }
        }
      })();
      await submitting;
      assert.ok(acknowledged.length >= 100, `most submits were acknowledged (${acknowledged.length}; refused ${refused})`);
      await until(async () => {
        const tasks = await direct.getTasks(acknowledged);
        return tasks.length === acknowledged.length && tasks.every((t) => t.state === 'succeeded');
      }, 'every acknowledged task to succeed');
      const tasks = await direct.getTasks(acknowledged);
      assert.equal(tasks.length, acknowledged.length, 'every acknowledged task is stored');
      assert.ok(errors.length >= 1, 'the resets did hit the scheduler (it reported store errors and carried on)');
    } finally {
      await scheduler.close();
    }
  });
});
