import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operandTypeProblem } from './update-types.ts';

describe('operandTypeProblem', () => {
  const doc = { n: 1, s: 'text', list: [1], nested: { n: 2, s: 'x' }, items: [{ q: 'a' }] };

  it('accepts fitting operands, missing fields and positional paths', () => {
    assert.equal(
      operandTypeProblem(doc, { $inc: { n: 1, 'nested.n': 2, fresh: 1 }, $push: { list: 2, newList: 1 }, $set: { s: 5 } }),
      undefined,
    );
    assert.equal(operandTypeProblem(doc, { $inc: { 'items.$.q': 1 } }), undefined);
  });

  it('names numeric operators on non-numbers and array operators on non-arrays', () => {
    assert.match(operandTypeProblem(doc, { $inc: { s: 1 } }) ?? '', /\$inc.*non-numeric.*'s'/);
    assert.match(operandTypeProblem(doc, { $mul: { 'nested.s': 2 } }) ?? '', /'nested\.s'/);
    assert.match(operandTypeProblem(doc, { $inc: { n: 'x' } }) ?? '', /non-numeric argument/);
    assert.match(operandTypeProblem(doc, { $push: { s: 1 } }) ?? '', /\$push.*non-array.*'s'/);
    assert.match(operandTypeProblem(doc, { $pop: { 'items.0.q': 1 } }) ?? '', /non-array/);
  });
});
