import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { elementsOf, nodeOfEvent, STATE_COLOURS } from './dag-model.ts';

const steps = [
  { id: 'fetch', taskId: 't1', target: 'fs__read_file', state: 'succeeded' as const, dependsOn: [] },
  { id: 'sum', taskId: 't2', target: 'agent__reader', state: 'running' as const, dependsOn: ['fetch', 'elsewhere'] },
];

describe('DAG model', () => {
  it('makes a node per step coloured by state and an edge per dependency inside the DAG', () => {
    const elements = elementsOf(steps);
    assert.deepEqual(elements[0], {
      data: { id: 'fetch', label: 'fetch\nfs__read_file', state: 'succeeded', colour: STATE_COLOURS.succeeded, taskId: 't1' },
    });
    assert.deepEqual(elements.slice(2), [{ data: { id: 'fetch->sum', source: 'fetch', target: 'sum' } }]);
  });

  it('finds the node an event moves, by step id or by task id', () => {
    assert.equal(nodeOfEvent({ stepId: 'sum', taskId: 't2' }, steps), 'sum');
    assert.equal(nodeOfEvent({ stepId: null, taskId: 't1' }, steps), 'fetch');
    assert.equal(nodeOfEvent({ stepId: null, taskId: 'group' }, steps), undefined);
  });
});
