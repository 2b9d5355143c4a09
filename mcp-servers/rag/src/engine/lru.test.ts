import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lru } from './lru.ts';

describe('lru', () => {
  it('evicts the least recently used and counts hits', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1);
    lru.set('c', 3);
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), 1);
    assert.deepEqual([lru.hits, lru.misses, lru.size], [2, 1, 2]);
    lru.deleteWhere((key) => key === 'a');
    assert.equal(lru.get('a'), undefined);
  });

  it('keeps nothing with capacity 0', () => {
    const lru = new Lru<string, number>(0);
    lru.set('a', 1);
    assert.equal(lru.size, 0);
  });
});
