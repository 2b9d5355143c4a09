import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepEqual, findSubsetMismatch } from './compare.ts';

describe('findSubsetMismatch', () => {
  it('matches subsets of objects, deeply', () => {
    assert.equal(findSubsetMismatch({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 }), undefined);
    assert.equal(findSubsetMismatch({}, { a: 1 }), undefined);
  });

  it('says where a value differs or is missing', () => {
    assert.equal(findSubsetMismatch({ a: { b: 1 } }, { a: { b: 2 } }), 'at .a.b: expected 1, got 2');
    assert.equal(findSubsetMismatch({ a: 1 }, {}), 'at .a: missing');
    assert.equal(findSubsetMismatch({ a: 1 }, null), 'expected an object, got null');
  });

  it('matches arrays element by element with the same length', () => {
    assert.equal(findSubsetMismatch([{ a: 1 }], [{ a: 1, b: 2 }]), undefined);
    assert.equal(findSubsetMismatch([1, 2], [1]), 'expected 2 items, got 1');
    assert.equal(findSubsetMismatch({ xs: [1, 2] }, { xs: [1, 3] }), 'at .xs[1]: expected 2, got 3');
  });

  it('compares scalars strictly', () => {
    assert.equal(findSubsetMismatch('1', 1), 'expected "1", got 1');
    assert.equal(findSubsetMismatch(null, undefined), 'expected null, got nothing');
  });
});

describe('deepEqual', () => {
  it('is full structural equality', () => {
    assert.equal(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);
    assert.equal(deepEqual({ a: 1 }, { a: 1, b: 2 }), false);
  });
});
