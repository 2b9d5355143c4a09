import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { ManualClock, settle } from '../clock.ts';
import type { TaskView } from '../contracts.ts';
import type { TaskApiError } from '../errors.ts';
import { Scheduler, type SchedulerOptions } from '../scheduler.ts';
import type { TaskStore } from '../store/types.ts';
import { fail, fakeExecutor, type Handler, ok, untilAborted } from './fake-executor.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (real time) until `check` holds; stores answer asynchronously. */
async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
    await pause(5);
  }
}

/** Waits until `measure` stops changing for a moment: the scheduler has done all it can. */
async function quiet(measure: () => number): Promise<void> {
  let before: number;
  let still = 0;
  // Three quiet spells in a row: one 40 ms gap can be a busy machine, not an idle scheduler.
  while (still < 3) {
    before = measure();
    await settle();
    await pause(40);
    still = measure() === before ? still + 1 : 0;
  }
}

/** Makes a fresh, empty store (and cleans it up). */
export interface StoreFactory {
  open(): Promise<TaskStore>;
  dispose?(store: TaskStore): Promise<void>;
}

/**
 * The scheduler's behaviour, run against each store (memory, SQLite, Postgres): the rules live in one
 * place, so every store must pass the same suite.
 */
export function schedulerSuite(name: string, factory: StoreFactory): void {
  describe(`scheduler on ${name}`, () => {
    const open: { scheduler: Scheduler; store: TaskStore }[] = [];

    async function setup(handlers: Record<string, Handler> = {}, options: Partial<SchedulerOptions> = {}) {
      const store = await factory.open();
      const clock = new ManualClock();
      const fake = fakeExecutor(handlers);
      const scheduler = new Scheduler({
        store,
        executor: fake.executor,
        clock,
        random: () => 0,
        pollMs: 10_000,
        sweepMs: 60_000,
        ...options,
      });
      open.push({ scheduler, store });
      return { scheduler, store, clock, fake };
    }

    afterEach(async () => {
      for (const { scheduler, store } of open.splice(0)) {
        await scheduler.close();
        await factory.dispose?.(store);
        await store.close();
      }
    });
    after(async () => {});

    const states = async (scheduler: Scheduler, id: string) =>
      (await scheduler.events(id)).map((e) => `${e.stepId ?? ''}${e.stepId ? ':' : ''}${e.state}`);

    it('runs a task: queued → running → succeeded, with its result and events', async () => {
      const { scheduler, fake } = await setup({ echo: (input) => ok(String(input.say)) });
      scheduler.start();
      const { task, created } = await scheduler.submit({ target: 'echo', input: { say: 'hi' } }, { correlationId: 'corr-1' });
      assert.equal(created, true);
      assert.equal(task.kind, 'task');
      const done = await scheduler.waitFor(task.id);
      assert.equal(done.state, 'succeeded');
      assert.equal(done.attempts, 1);
      assert.deepEqual((done.result as { structuredContent: unknown }).structuredContent, { text: 'hi' });
      assert.equal(done.error, null);
      assert.equal(done.correlationId, 'corr-1');
      for (const key of ['id', 'state', 'attempts', 'result', 'error', 'createdAt', 'updatedAt']) assert.ok(key in done, key);
      assert.deepEqual(await states(scheduler, task.id), ['queued', 'running', 'succeeded']);
      assert.equal(fake.calls[0]?.context.correlationId, 'corr-1');
      assert.equal(fake.calls[0]?.context.taskId, task.id);
    });

    it('runs higher priority first and FIFO within a priority', async () => {
      const { scheduler, fake } = await setup({}, { concurrency: 1 });
      const ids: string[] = [];
      for (const [target, priority] of [
        ['low-1', 0],
        ['high-1', 5],
        ['low-2', 0],
        ['mid', 2],
        ['high-2', 5],
      ] as const)
        ids.push((await scheduler.submit({ target, input: {}, priority })).task.id);
      scheduler.start();
      for (const id of ids) await scheduler.waitFor(id);
      assert.deepEqual(fake.targets(), ['high-1', 'high-2', 'mid', 'low-1', 'low-2']);
    });

    it('is fair between roles within a priority', async () => {
      const { scheduler, fake } = await setup({}, { concurrency: 1 });
      const ids: string[] = [];
      for (let i = 1; i <= 4; i++) ids.push((await scheduler.submit({ target: 'agent__a', input: { i } })).task.id);
      for (let i = 1; i <= 2; i++) ids.push((await scheduler.submit({ target: 'agent__b', input: { i } })).task.id);
      scheduler.start();
      for (const id of ids) await scheduler.waitFor(id);
      const order = fake.calls.map((c) => `${c.target.slice(7)}${c.input.i}`);
      assert.deepEqual(order, ['a1', 'b1', 'a2', 'b2', 'a3', 'a4']);
    });

    it('keeps to the per-role and global concurrency limits', async () => {
      const gates: { target: string; release: () => void }[] = [];
      const slow =
        (target: string): Handler =>
        (_input, context) =>
          new Promise((resolve) => {
            gates.push({ target, release: () => resolve(ok()) });
            context.signal.addEventListener('abort', () => resolve(fail('INTERNAL', 'aborted')));
          });
      const { scheduler, fake } = await setup(
        { agent__x: slow('agent__x'), agent__y: slow('agent__y') },
        { concurrency: 3, roleConcurrency: { x: 2 } },
      );
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await scheduler.submit({ target: 'agent__x', input: { i } })).task.id);
      for (let i = 0; i < 3; i++) ids.push((await scheduler.submit({ target: 'agent__y', input: { i } })).task.id);
      scheduler.start();
      let first = true;
      // The first claim may take a while on a loaded machine (Postgres round trips): wait for the pool to fill.
      await eventually(() => gates.length >= 3);
      while (gates.length > 0 || fake.calls.length < ids.length) {
        await quiet(() => fake.calls.length);
        const x = gates.filter((g) => g.target === 'agent__x').length;
        assert.ok(gates.length <= 3, `at most 3 at once, saw ${gates.length}`);
        assert.ok(x <= 2, `at most 2 of role x, saw ${x}`);
        if (first) assert.deepEqual([gates.length, x], [3, 2], 'the pool fills up to both limits');
        first = false;
        gates.shift()?.release();
      }
      for (const id of ids) assert.equal((await scheduler.waitFor(id)).state, 'succeeded');
    });

    it('retries retryable errors with exponential backoff on the injected clock', async () => {
      let calls = 0;
      const { scheduler, clock, fake } = await setup({
        flaky: () => (++calls < 3 ? fail('UPSTREAM_UNAVAILABLE', 'down') : ok('up')),
      });
      scheduler.start();
      const { task } = await scheduler.submit({
        target: 'flaky',
        input: {},
        maxAttempts: 3,
        backoff: { baseMs: 1000, factor: 3, maxMs: 60_000, jitter: 0.5 },
      });
      const retryIn = async () => {
        await eventually(async () => (await scheduler.get(task.id))?.runAt != null && (await scheduler.get(task.id))?.state === 'queued');
        const view = (await scheduler.get(task.id)) as TaskView;
        assert.equal(view.error?.code, 'UPSTREAM_UNAVAILABLE');
        return Date.parse(view.runAt as string) - clock.now();
      };
      await eventually(
        async () =>
          fake.calls.length === 1 && (await scheduler.get(task.id))?.attempts === 1 && (await scheduler.get(task.id))?.state === 'queued',
      );
      assert.equal(await retryIn(), 1000, 'first delay: baseMs (random 0 → no jitter taken)');
      await clock.advance(999);
      await quiet(() => fake.calls.length);
      assert.equal(fake.calls.length, 1, 'not before the backoff');
      await clock.advance(1);
      await eventually(async () => fake.calls.length === 2 && (await scheduler.get(task.id))?.state === 'queued');
      assert.equal(await retryIn(), 3000, 'second delay: baseMs·factor');
      await clock.advance(2999);
      await quiet(() => fake.calls.length);
      assert.equal(fake.calls.length, 2);
      await clock.advance(1);
      const view = await scheduler.waitFor(task.id);
      assert.equal(view.state, 'succeeded');
      assert.equal(view.attempts, 3);
      assert.deepEqual(await states(scheduler, task.id), ['queued', 'running', 'queued', 'running', 'queued', 'running', 'succeeded']);
    });

    it('counts queued tasks per role for the queue-depth gauge: not groups, blocked, running or finished ones', async () => {
      const { scheduler, store } = await setup({ echo: (input) => ok(String(input.say)) });
      assert.deepEqual(await store.queueDepth(), {});
      await scheduler.submit({ target: 'echo', input: { say: 'one' } });
      await scheduler.submit({ target: 'echo', input: { say: 'two' } });
      await scheduler.submit({
        steps: [
          { id: 'a', target: 'echo', input: { say: 'a' } },
          { id: 'b', target: 'echo', input: { say: 'b' }, dependsOn: ['a'] },
        ],
      });
      assert.deepEqual(await store.queueDepth(), { default: 3 }, 'two tasks and the DAG step that may run; b is blocked');
      scheduler.start();
      await eventually(async () => Object.keys(await store.queueDepth()).length === 0);
      await scheduler.drained();
    });

    it("narrows listings, views and cancels to the submitter's own tasks unless the viewer is admin", async () => {
      const { scheduler } = await setup({ echo: (input) => ok(String(input.say)) });
      const ann = { id: 'key:ann', role: 'dev' };
      const bob = { id: 'key:bob', role: 'dev' };
      const mine = (await scheduler.submit({ target: 'echo', input: { say: 'ann' } }, { principal: ann })).task;
      const theirs = (await scheduler.submit({ target: 'echo', input: { say: 'bob' } }, { principal: bob })).task;
      const ids = async (viewer?: { id: string; role?: string }) => (await scheduler.list({}, viewer)).tasks.map((t) => t.id).sort();
      assert.deepEqual(await ids(ann), [mine.id]);
      assert.deepEqual(await ids(bob), [theirs.id]);
      assert.deepEqual(await ids({ id: 'key:root', role: 'admin' }), [mine.id, theirs.id].sort());
      assert.equal(await scheduler.get(theirs.id, ann), undefined);
      await assert.rejects(scheduler.cancel(theirs.id, ann), /no task/);
      await assert.rejects(scheduler.events(theirs.id, 0, 10, ann), /no task/);
      assert.equal((await scheduler.cancel(theirs.id, bob)).state, 'cancelled');
    });

    it('does not retry a denial or bad input, and stops after maxAttempts', async () => {
      const { scheduler, clock } = await setup({
        denied: () => fail('ACL_DENIED'),
        invalid: () => fail('INVALID_ARGUMENT'),
        down: () => fail('TIMEOUT'),
      });
      scheduler.start();
      const denied = (await scheduler.submit({ target: 'denied', input: {} })).task;
      const invalid = (await scheduler.submit({ target: 'invalid', input: {} })).task;
      const down = (
        await scheduler.submit({ target: 'down', input: {}, maxAttempts: 2, backoff: { baseMs: 10, factor: 1, maxMs: 10, jitter: 0 } })
      ).task;
      for (const [task, code] of [
        [denied, 'ACL_DENIED'],
        [invalid, 'INVALID_ARGUMENT'],
      ] as const) {
        const view = await scheduler.waitFor(task.id);
        assert.equal(view.state, 'failed');
        assert.equal(view.attempts, 1);
        assert.equal(view.error?.code, code);
      }
      // The first attempt must have failed and its retry be due at +10 before the clock moves: drained()
      // says nothing of a task no worker has claimed yet (under load `down` can still be queued here).
      await eventually(async () => {
        const first = await scheduler.get(down.id);
        return first?.state === 'queued' && first.attempts === 1 && first.runAt != null;
      });
      await scheduler.drained();
      await clock.advance(10);
      const view = await scheduler.waitFor(down.id);
      assert.equal(view.state, 'failed');
      assert.equal(view.attempts, 2);
      assert.equal(view.error?.code, 'TIMEOUT');
    });

    it('times out a running task at its deadline and cancels the call through its signal', async () => {
      let signal: AbortSignal | undefined;
      const { scheduler, clock } = await setup({
        slow: (_input, context) => {
          signal = context.signal;
          return untilAborted(context);
        },
      });
      scheduler.start();
      const { task } = await scheduler.submit({ target: 'slow', input: {}, timeoutMs: 5000 });
      assert.equal(task.deadline, new Date(clock.now() + 5000).toISOString());
      while (signal === undefined) await settle();
      await clock.advance(4999);
      assert.equal(signal.aborted, false);
      await clock.advance(1);
      assert.equal(signal.aborted, true);
      const view = await scheduler.waitFor(task.id);
      assert.equal(view.state, 'timed_out');
      assert.equal(view.error?.code, 'TIMEOUT');
      assert.equal(view.attempts, 1, 'a timeout is not retried');
    });

    it('times out a task still queued at its deadline (sweeper), failing its dependants', async () => {
      const { scheduler, clock } = await setup({}, { workers: 0 });
      scheduler.start();
      const { task } = await scheduler.submit({ target: 'never', input: {}, deadline: new Date(clock.now() + 1000).toISOString() });
      const dependant = (await scheduler.submit({ target: 'after', input: {}, dependsOn: [task.id] })).task;
      assert.equal(dependant.state, 'blocked');
      await clock.advance(1000);
      await scheduler.sweep();
      assert.equal((await scheduler.get(task.id))?.state, 'timed_out');
      const view = (await scheduler.get(dependant.id)) as TaskView;
      assert.equal(view.state, 'failed');
      assert.equal(view.error?.code, 'DEPENDENCY_FAILED');
      assert.equal(view.error?.causeTaskId, task.id);
    });

    it('answers the same task for the same idempotency key and body, CONFLICT for another body', async () => {
      const { scheduler, fake } = await setup();
      scheduler.start();
      const body = { target: 'once', input: { a: 1, b: 2 }, idempotencyKey: 'k-1' };
      const first = await scheduler.submit(body);
      const again = await scheduler.submit({ idempotencyKey: 'k-1', input: { b: 2, a: 1 }, target: 'once' });
      assert.equal(again.created, false);
      assert.equal(again.task.id, first.task.id);
      await assert.rejects(scheduler.submit({ ...body, input: { a: 2 } }), (error: TaskApiError) => {
        assert.equal(error.code, 'CONFLICT');
        assert.equal(error.field, 'idempotencyKey');
        assert.match(error.message, new RegExp(first.task.id));
        return true;
      });
      await scheduler.waitFor(first.task.id);
      const late = await scheduler.submit(body);
      assert.equal(late.task.id, first.task.id);
      assert.equal(late.task.state, 'succeeded');
      assert.equal(fake.calls.length, 1, 'executed once');
    });

    it('runs a DAG in dependency order and reports steps and results', async () => {
      const { scheduler, fake } = await setup();
      const { task } = await scheduler.submit({
        steps: [
          { id: 'd', target: 'join', input: {}, dependsOn: ['b', 'c'] },
          { id: 'a', target: 'fetch', input: {} },
          { id: 'b', target: 'left', input: {}, dependsOn: ['a'] },
          { id: 'c', target: 'right', input: {}, dependsOn: ['a'] },
        ],
      });
      assert.equal(task.kind, 'dag');
      assert.deepEqual(
        task.steps?.map((s) => [s.id, s.state]),
        [
          ['d', 'blocked'],
          ['a', 'queued'],
          ['b', 'blocked'],
          ['c', 'blocked'],
        ],
      );
      scheduler.start();
      const done = await scheduler.waitFor(task.id);
      assert.equal(done.state, 'succeeded');
      const order = fake.targets();
      assert.equal(order[0], 'fetch');
      assert.equal(order[3], 'join');
      assert.deepEqual(Object.keys(done.result as object).sort(), ['a', 'b', 'c', 'd']);
      for (const step of done.steps ?? []) assert.equal(step.state, 'succeeded');
      const events = await states(scheduler, task.id);
      assert.equal(events.at(-1), 'succeeded');
      assert.ok(events.indexOf('a:succeeded') < events.indexOf('b:queued'));
      assert.ok(events.indexOf('c:succeeded') < events.indexOf('d:queued'));
    });

    it('fails the dependants of a failed step with the cause, and the DAG', async () => {
      const { scheduler, fake } = await setup({ bad: () => fail('ACL_DENIED', 'no way') });
      scheduler.start();
      const { task } = await scheduler.submit({
        steps: [
          { id: 'a', target: 'bad', input: {} },
          { id: 'b', target: 'x', input: {}, dependsOn: ['a'] },
          { id: 'c', target: 'y', input: {}, dependsOn: ['b'] },
          { id: 'z', target: 'z', input: {} },
        ],
      });
      const done = await scheduler.waitFor(task.id);
      assert.equal(done.state, 'failed');
      const steps = Object.fromEntries((done.steps ?? []).map((s) => [s.id, s]));
      assert.equal(steps.a?.state, 'failed');
      assert.equal(steps.b?.state, 'failed');
      assert.equal(steps.b?.error?.code, 'DEPENDENCY_FAILED');
      assert.match(steps.b?.error?.message ?? '', /dependency 'a' failed: no way/);
      assert.equal(steps.c?.state, 'failed');
      assert.equal(steps.c?.error?.causeTaskId, steps.a?.taskId);
      assert.equal(steps.z?.state, 'succeeded');
      assert.deepEqual(fake.targets().sort(), ['bad', 'z']);
    });

    it('rejects a cyclic DAG at submit, naming the cycle', async () => {
      const { scheduler, store } = await setup();
      await assert.rejects(
        scheduler.submit({
          steps: [
            { id: 'a', target: 't', input: {}, dependsOn: ['c'] },
            { id: 'b', target: 't', input: {}, dependsOn: ['a'] },
            { id: 'c', target: 't', input: {}, dependsOn: ['b'] },
          ],
        }),
        (error: TaskApiError) => error.code === 'INVALID_ARGUMENT' && /cycle: a → c → b → a/.test(error.message),
      );
      assert.equal((await store.listTasks({ limit: 10 })).tasks.length, 0, 'nothing stored');
    });

    it('cancels a running task, cancels its call, and cascades to its dependants', async () => {
      let signal: AbortSignal | undefined;
      const { scheduler, fake } = await setup({
        slow: (_input, context) => {
          signal = context.signal;
          return untilAborted(context);
        },
      });
      scheduler.start();
      const a = (await scheduler.submit({ target: 'slow', input: {} })).task;
      const b = (await scheduler.submit({ target: 'next', input: {}, dependsOn: [a.id] })).task;
      const c = (await scheduler.submit({ target: 'next', input: {}, dependsOn: [b.id] })).task;
      while (signal === undefined) await settle();
      const view = await scheduler.cancel(a.id);
      assert.equal(view.state, 'cancelled');
      assert.equal(signal.aborted, true);
      for (const id of [b.id, c.id]) {
        const dependant = (await scheduler.get(id)) as TaskView;
        assert.equal(dependant.state, 'cancelled');
        assert.equal(dependant.error?.code, 'CANCELLED');
      }
      await scheduler.drained();
      assert.equal((await scheduler.get(a.id))?.state, 'cancelled', 'the aborted call does not overwrite the cancel');
      assert.deepEqual(fake.targets(), ['slow']);
      await assert.rejects(scheduler.cancel('nope'), (e: TaskApiError) => e.code === 'NOT_FOUND');
      assert.equal((await scheduler.cancel(a.id)).state, 'cancelled', 'cancelling again is harmless');
    });

    it('refuses to cancel a finished task', async () => {
      const { scheduler } = await setup();
      scheduler.start();
      const { task } = await scheduler.submit({ target: 'quick', input: {} });
      await scheduler.waitFor(task.id);
      await assert.rejects(scheduler.cancel(task.id), (e: TaskApiError) => e.code === 'CONFLICT');
    });

    it('cancels a whole DAG', async () => {
      const { scheduler } = await setup({}, { workers: 0 });
      scheduler.start();
      const { task } = await scheduler.submit({
        steps: [
          { id: 'a', target: 't', input: {} },
          { id: 'b', target: 't', input: {}, dependsOn: ['a'] },
        ],
      });
      const view = await scheduler.cancel(task.id);
      assert.equal(view.state, 'cancelled');
      assert.deepEqual(
        view.steps?.map((s) => s.state),
        ['cancelled', 'cancelled'],
      );
    });

    it('runs a batch and reports it as one', async () => {
      const { scheduler } = await setup({ bad: () => fail('INVALID_ARGUMENT') });
      scheduler.start();
      const { task } = await scheduler.submit({ batch: [1, 2, 3, 4].map((i) => ({ target: 'ok', input: { i } })) });
      assert.equal(task.kind, 'batch');
      assert.equal(task.tasks?.length, 4);
      const done = await scheduler.waitFor(task.id);
      assert.equal(done.state, 'succeeded');
      assert.ok(done.tasks?.every((t) => t.state === 'succeeded'));
      const mixed = (
        await scheduler.submit({
          batch: [
            { target: 'ok', input: {} },
            { target: 'bad', input: {} },
          ],
        })
      ).task;
      assert.equal((await scheduler.waitFor(mixed.id)).state, 'failed');
    });

    it('fails a task at once whose dependency already failed, and rejects unknown dependencies', async () => {
      const { scheduler } = await setup({ bad: () => fail('ACL_DENIED') });
      scheduler.start();
      const bad = (await scheduler.submit({ target: 'bad', input: {} })).task;
      await scheduler.waitFor(bad.id);
      const late = (await scheduler.submit({ target: 'x', input: {}, dependsOn: [bad.id] })).task;
      assert.equal(late.state, 'failed');
      assert.equal(late.error?.code, 'DEPENDENCY_FAILED');
      await assert.rejects(
        scheduler.submit({ target: 'x', input: {}, dependsOn: ['missing'] }),
        (e: TaskApiError) => e.field === 'dependsOn',
      );
    });

    it('returns a task whose worker died to the queue when its lease runs out', async () => {
      const { scheduler, store, clock, fake } = await setup({}, { leaseMs: 1000 });
      const { task } = await scheduler.submit({ target: 'work', input: {} });
      const dead = await store.claim({ owner: 'dead-hub', now: clock.now(), leaseMs: 1000, limit: 10, excludeRoles: [] });
      assert.deepEqual(
        dead.tasks.map((t) => t.id),
        [task.id],
      );
      scheduler.start();
      await clock.advance(1001);
      await scheduler.sweep();
      const view = await scheduler.waitFor(task.id);
      assert.equal(view.state, 'succeeded');
      assert.equal(view.attempts, 2);
      assert.equal(fake.calls.length, 1);
      assert.deepEqual(await states(scheduler, task.id), ['queued', 'running', 'queued', 'running', 'succeeded']);
    });

    it('validates submissions and names the field', async () => {
      const { scheduler } = await setup();
      const cases: [unknown, string][] = [
        [{ input: {} }, 'target'],
        [{ target: 'x', input: {}, priority: 1.5 }, 'priority'],
        [{ target: 'x', input: {}, surprise: 1 }, 'surprise'],
        [{ target: 'x', input: {}, deadline: '2000-01-01T00:00:00Z' }, 'deadline'],
        [{ steps: [{ id: 'a', target: 't', input: {}, dependsOn: ['zz'] }] }, 'steps[0].dependsOn'],
        [{ batch: [{ target: 'ok', input: {} }, { input: {} }] }, 'batch[1].target'],
      ];
      for (const [body, field] of cases) {
        await assert.rejects(scheduler.submit(body), (e: TaskApiError) => {
          assert.equal(e.code, 'INVALID_ARGUMENT', JSON.stringify(body));
          assert.equal(e.field, field, e.message);
          return true;
        });
      }
    });

    it('lists tasks newest first with filters and a cursor', async () => {
      const { scheduler } = await setup({}, { workers: 0 });
      for (let i = 0; i < 5; i++) await scheduler.submit({ target: i % 2 ? 'agent__odd' : 'agent__even', input: { i } });
      const page = await scheduler.list({ limit: 3 });
      assert.equal(page.tasks.length, 3);
      assert.deepEqual(
        page.tasks.map((t) => (t as { role: string }).role),
        ['even', 'odd', 'even'],
      );
      const rest = await scheduler.list({ limit: 3, cursor: page.nextCursor as string });
      assert.equal(rest.tasks.length, 2);
      assert.equal(rest.nextCursor, null);
      assert.equal((await scheduler.list({ role: 'odd' })).tasks.length, 2);
      assert.equal((await scheduler.list({ state: 'running' })).tasks.length, 0);
    });

    it('lists tasks created within a time range', async () => {
      const { scheduler, clock } = await setup({}, { workers: 0 });
      const at: string[] = [];
      for (let i = 0; i < 4; i++) {
        at.push(new Date(clock.now()).toISOString());
        await scheduler.submit({ target: 'agent__timed', input: { i } });
        await clock.advance(1000);
      }
      const inputs = async (filter: { since?: string; until?: string }) =>
        (await scheduler.list({ ...filter, role: 'timed' })).tasks.map((t) => (t as { createdAt: string }).createdAt);
      assert.deepEqual(await inputs({ since: at[1], until: at[2] }), [at[2], at[1]], 'both bounds inclusive');
      assert.deepEqual(await inputs({ since: at[3] }), [at[3]]);
      assert.deepEqual(await inputs({ until: at[0] }), [at[0]]);
    });
  });
}
