import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DagError, validateDag } from './dag.ts';

const step = (id: string, dependsOn: string[] = []) => ({ id, target: 't', input: {}, dependsOn });

describe('DAG validation', () => {
  it('orders steps after their dependencies', () => {
    const order = validateDag([step('c', ['a', 'b']), step('b', ['a']), step('a')]).map((s) => s.id);
    assert.deepEqual(order, ['a', 'b', 'c']);
  });

  it('rejects cycles, self-dependencies, unknown steps and duplicate ids, naming the field', () => {
    const check = (steps: ReturnType<typeof step>[], field: string, message: RegExp) =>
      assert.throws(
        () => validateDag(steps),
        (e: DagError) => e.field === field && message.test(e.message),
      );
    check([step('a', ['b']), step('b', ['a'])], 'steps', /cycle: a → b → a/);
    check([step('a', ['a'])], 'steps[0].dependsOn', /depends on itself/);
    check([step('a', ['x'])], 'steps[0].dependsOn', /'x', which is not a step/);
    check([step('a'), step('a')], 'steps[1].id', /used twice/);
  });
});
