import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './clock.ts';
import type { TaskExecutor } from './executor.ts';
import type { ClaimedTask, ClaimRequest, ClaimResult, TaskStore } from './store/types.ts';
import { WorkerPool, type WorkerPoolOptions } from './worker-pool.ts';

/** A store whose claims wait until the test answers them, in the order they were sent. */
class HeldClaims {
  readonly requests: ClaimRequest[] = [];
  private readonly answers: ((result: ClaimResult) => void)[] = [];
  private next = 0;
  readonly store = {
    claim: (request: ClaimRequest) => {
      this.requests.push({ ...request, excludeRoles: [...request.excludeRoles] });
      return new Promise<ClaimResult>((resolve) => this.answers.push(resolve));
    },
    renewLeases: async (_owner: string, ids: readonly string[]) => [...ids],
  } as unknown as TaskStore;

  /** Answers the oldest unanswered claim with these roles' tasks. */
  answer(roles: string[]): void {
    const answer = this.answers.shift();
    assert.ok(answer, 'a claim is in flight');
    answer({ tasks: roles.map((role) => task(`t${this.next++}`, role)), events: [] });
  }

  get inFlight(): number {
    return this.answers.length;
  }
}

function task(id: string, role: string): ClaimedTask {
  return {
    id,
    parentId: null,
    stepId: null,
    target: 'noop',
    input: {},
    role,
    priority: 0,
    fairSeq: 0,
    attempts: 1,
    deadline: null,
    principal: null,
    correlationId: id,
  } as ClaimedTask;
}

/** Calls that run until the pool aborts them. */
const hanging: TaskExecutor = (_target, _input, context) =>
  new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason)));

function pool(held: HeldClaims, clock: ManualClock, options: Partial<WorkerPoolOptions>, errors: string[] = []): WorkerPool {
  return new WorkerPool(
    held.store,
    hanging,
    clock,
    {
      owner: 'me',
      workers: 3,
      concurrency: 20,
      roleConcurrency: {},
      leaseMs: 60_000,
      pollMs: 1000,
      claimBatch: 4,
      claimsInFlight: 1,
      ...options,
    },
    {
      complete: async () => {},
      claimed: () => {},
      finished: async () => {},
      recheck: async () => {},
      onError: (_error, where) => errors.push(where),
    },
  );
}

describe('WorkerPool with claimsInFlight', () => {
  it('sends one claim while one is out; the loops that wait share the next, each taking at most its limit', async () => {
    const held = new HeldClaims();
    const clock = new ManualClock();
    const workers = pool(held, clock, {});
    workers.start();
    await clock.advance(0);
    assert.equal(held.requests.length, 1, 'the other two loops wait');
    assert.equal(held.requests[0]?.limit, 4);

    held.answer([]);
    await clock.advance(0);
    assert.equal(held.requests.length, 2);
    assert.equal(held.requests[1]?.limit, 8, 'two loops, their limits summed');

    // Five tasks: the first loop gets its four and claims again; the second gets one and waits for work.
    held.answer(['a', 'a', 'a', 'a', 'a']);
    await clock.advance(0);
    assert.equal(workers.runningCount, 5);
    assert.equal(held.requests.length, 3);
    assert.equal(held.requests[2]?.limit, 4, 'only the loop that got all it asked for claims again');
    assert.equal(held.inFlight, 1);

    held.answer([]);
    await clock.advance(0);
    assert.equal(held.requests.length, 3, 'all idle until a wake or the poll');
    await workers.stop();
  });

  it('does not merge loops whose excluded roles differ, and honours each one’s exclusions', async () => {
    const held = new HeldClaims();
    const clock = new ManualClock();
    // With a cap of 10 on coder, reservations leave it room for the first loops and exclude it for the last.
    const workers = pool(held, clock, { workers: 4, concurrency: 20, roleConcurrency: { coder: 10 } });
    workers.start();
    await clock.advance(0);
    assert.deepEqual(
      held.requests.map((r) => [r.limit, r.excludeRoles]),
      [[4, []]],
    );

    held.answer([]);
    await clock.advance(0);
    assert.deepEqual(held.requests[1] && [held.requests[1].limit, held.requests[1].excludeRoles], [6, []], 'loops 2 and 3');
    held.answer([]);
    await clock.advance(0);
    assert.deepEqual(held.requests[2] && [held.requests[2].limit, held.requests[2].excludeRoles], [4, ['coder']], 'loop 4 alone');
    held.answer([]);
    await clock.advance(0);
    assert.equal(held.requests.length, 3);
    await workers.stop();
  });

  it('a wake while loops wait for or ride in a shared claim makes them look again', async () => {
    const held = new HeldClaims();
    const clock = new ManualClock();
    const workers = pool(held, clock, {});
    workers.start();
    await clock.advance(0);
    assert.equal(held.requests.length, 1);

    workers.wake();
    held.answer([]);
    await clock.advance(0);
    // Loops 2 and 3 go in the next statement; loop 1 got nothing but was woken in flight, so it joins the one after.
    assert.equal(held.requests.length, 2);
    assert.equal(held.requests[1]?.limit, 8);
    held.answer([]);
    await clock.advance(0);
    assert.equal(held.requests.length, 3);
    assert.equal(held.requests[2]?.limit, 4, 'loop 1 again');
    // Loops 2 and 3 were waiting when the wake came: they look again too, after loop 1's statement.
    held.answer([]);
    await clock.advance(0);
    assert.equal(held.requests.length, 4);
    assert.equal(held.requests[3]?.limit, 8);

    held.answer([]);
    await clock.advance(0);
    assert.equal(held.requests.length, 4, 'no wake since: idle');
    await workers.stop();
  });

  it('reports a failed shared claim once and goes on at the next poll', async () => {
    const held = new HeldClaims();
    const clock = new ManualClock();
    const errors: string[] = [];
    let fail = true;
    const claim = held.store.claim.bind(held.store);
    held.store.claim = (request) => (fail ? Promise.reject(new Error('down')) : claim(request));
    const workers = pool(held, clock, {}, errors);
    workers.start();
    await clock.advance(0);
    assert.deepEqual(errors, ['claim', 'claim'], 'one for the first loop, one for the two that shared');
    fail = false;
    await clock.advance(1000);
    assert.equal(held.requests.length, 1, 'one statement after the poll; the others wait for it');
    held.answer([]);
    await clock.advance(0);
    assert.equal(held.requests[1]?.limit, 8);
    held.answer([]);
    await workers.stop();
  });

  it('stopClaiming lets waiting loops go without a statement', async () => {
    const held = new HeldClaims();
    const clock = new ManualClock();
    const workers = pool(held, clock, {});
    workers.start();
    await clock.advance(0);
    const stopping = workers.stopClaiming();
    held.answer([]);
    await stopping;
    assert.equal(held.requests.length, 1);
    await workers.stop();
  });
});
