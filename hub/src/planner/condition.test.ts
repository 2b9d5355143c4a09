import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCondition, evaluateCondition } from './condition.ts';

const vars = {
  round: 2,
  feedback: 'tests failed',
  empty: '',
  list: [],
  steps: { run: { structured: { exitCode: 1, stdout: 'not ok 1 - adds' } } },
};

describe('when: conditions', () => {
  it('compares numbers, strings and numeric strings', () => {
    assert.equal(evaluateCondition('steps.run.structured.exitCode != 0', vars), true);
    assert.equal(evaluateCondition('steps.run.structured.exitCode == 0', vars), false);
    assert.equal(evaluateCondition("steps.run.structured.exitCode == '1'", vars), true);
    assert.equal(evaluateCondition('round >= 2 && round < 3', vars), true);
    assert.equal(evaluateCondition("feedback == 'tests failed'", vars), true);
    assert.equal(evaluateCondition('missing > 0', vars), false);
  });

  it('tests truthiness, negation, grouping and regular expressions', () => {
    assert.equal(evaluateCondition('feedback', vars), true);
    assert.equal(evaluateCondition('!feedback', vars), false);
    assert.equal(evaluateCondition('empty || list || missing', vars), false);
    assert.equal(evaluateCondition('!(round == 1) && (empty || feedback)', vars), true);
    assert.equal(evaluateCondition("steps.run.structured.stdout matches '^not ok'", vars), true);
    assert.equal(evaluateCondition('missing == null', vars), true);
  });

  it('refuses what it cannot read, naming the condition', () => {
    assert.throws(() => checkCondition('round ==='), /condition 'round ===': /);
    assert.throws(() => checkCondition('(round == 1'), /missing '\)'/);
    assert.throws(() => checkCondition('round == 1 extra'), /unexpected 'extra'/);
    assert.throws(() => checkCondition('process.exit()'), /unexpected '\('/);
    assert.throws(() => checkCondition('a = 1'), /cannot read/);
    assert.throws(() => checkCondition('round matches 3'), /quoted regular expression/);
  });
});
