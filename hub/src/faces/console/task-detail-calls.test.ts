import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditRecord } from '../../policy/index.ts';
import type { TaskRecord } from '../../scheduler/task-model.ts';
import { callsByStep } from './task-detail-routes.ts';

// A step's calls in the task detail: found by time and tool in the audit log, each call given to one step.
const step = (id: string, target: string, startedAt: number | null, finishedAt: number | null) =>
  ({ id, target, startedAt, finishedAt }) as TaskRecord;
const call = (id: string, tool: string, startedAt: number, depth = 0, principal = 'key:admin') =>
  ({ id, tool, startedAt, depth, principal }) as AuditRecord;
const ids = (owned: Map<string, AuditRecord[]>) => Object.fromEntries([...owned].map(([k, v]) => [k, v.map((c) => c.id)]));

describe('callsByStep', () => {
  it('a dependant started in the millisecond its dependency ended: each call goes to its own step', () => {
    const steps = [step('first', 'count__echo', 100, 105), step('second', 'count__echo', 105, 108)];
    const owned = callsByStep(steps, [call('c1', 'count__echo', 101), call('c2', 'count__echo', 105)], 200);
    assert.deepEqual(ids(owned), { first: ['c1'], second: ['c2'] });
  });

  it('matches by tool, by run window, and an agent step by its nested calls; a running step ends now', () => {
    const steps = [
      step('read', 'fs__read_file', 10, 20),
      step('agent', 'agent__coder', 15, null),
      step('waiting', 'fs__read_file', null, null),
    ];
    const calls = [
      call('before', 'fs__read_file', 9),
      call('read', 'fs__read_file', 12),
      call('nested', 'shell__run', 30, 1, 'agent:coder'),
      call('other-agent', 'shell__run', 31, 1, 'agent:tester'),
      call('after-now', 'shell__run', 60, 1, 'agent:coder'),
    ];
    assert.deepEqual(ids(callsByStep(steps, calls, 50)), { read: ['read'], agent: ['nested'], waiting: [] });
  });

  it('retries of one step all stay with it', () => {
    const steps = [step('flaky', 'up__call', 100, 400)];
    const owned = callsByStep(steps, [call('a1', 'up__call', 100), call('a2', 'up__call', 250), call('a3', 'up__call', 399)], 500);
    assert.deepEqual(ids(owned), { flaky: ['a1', 'a2', 'a3'] });
  });
});
