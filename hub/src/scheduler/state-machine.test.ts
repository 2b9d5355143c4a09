import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lifecycle } from './lifecycle.ts';
import { allTransitionPairs, assertTransition, canTransition, IllegalTransitionError, TRANSITIONS } from './state-machine.ts';
import { TASK_STATES, type TaskRecord, type TaskState } from './task-model.ts';

const legal = new Set([
  'blocked→queued',
  'blocked→failed',
  'blocked→cancelled',
  'blocked→timed_out',
  'queued→running',
  'queued→cancelled',
  'queued→timed_out',
  'running→succeeded',
  'running→failed',
  'running→cancelled',
  'running→timed_out',
  'running→queued',
]);

const record = (state: TaskState): TaskRecord => ({ id: 't1', state, attempts: 1, leaseOwner: 'w', leaseUntil: 1 }) as TaskRecord;

describe('task state machine', () => {
  it('covers every pair of states: 12 legal moves, the other 37 rejected', () => {
    const pairs = allTransitionPairs();
    assert.equal(pairs.length, TASK_STATES.length ** 2);
    for (const { from, to, legal: isLegal } of pairs) {
      assert.equal(isLegal, legal.has(`${from}→${to}`), `${from} → ${to}`);
      if (isLegal) assert.doesNotThrow(() => assertTransition(from, to));
      else assert.throws(() => assertTransition(from, to, 'x'), IllegalTransitionError);
    }
    assert.equal(pairs.filter((p) => p.legal).length, 12);
  });

  it('has no way out of a final state', () => {
    for (const state of ['succeeded', 'failed', 'cancelled', 'timed_out'] as const) {
      assert.deepEqual(TRANSITIONS[state], []);
      for (const to of TASK_STATES) assert.equal(canTransition(state, to), false);
    }
  });

  it('explains an illegal move', () => {
    assert.throws(
      () => assertTransition('succeeded', 'running', 'abc'),
      /illegal task transition succeeded → running \(task abc\); allowed from succeeded: none \(final\)/,
    );
  });

  it('is enforced by every move the lifecycle makes, for every pair', () => {
    const lifecycle = new Lifecycle();
    for (const { from, to } of allTransitionPairs()) {
      const task = record(from);
      const changes = { events: [], aborted: [] };
      if (legal.has(`${from}→${to}`)) {
        lifecycle.move(task, to, 5, changes);
        assert.equal(task.state, to);
        assert.deepEqual(
          changes.events.map((e: { from: string; state: string }) => [e.from, e.state]),
          [[from, to]],
        );
      } else {
        assert.throws(() => lifecycle.move(task, to, 5, changes), IllegalTransitionError, `${from} → ${to}`);
        assert.equal(task.state, from, 'unchanged');
        assert.equal(changes.events.length, 0);
      }
    }
  });
});
