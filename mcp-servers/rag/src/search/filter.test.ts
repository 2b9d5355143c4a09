import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFilter, FilterSchema } from './filter.ts';

const docs = [
  { lang: 'ts', year: 2021, tags: ['api', 'http'] },
  { lang: 'md', year: 2019 },
  { lang: 'ts', year: 2024, draft: true },
];

const pick = (filter: unknown) => docs.map((d, i) => (compileFilter(FilterSchema.parse(filter))(d) ? i : -1)).filter((i) => i >= 0);

describe('metadata filter', () => {
  it('matches equality, arrays and operators, all keys ANDed', () => {
    assert.deepEqual(pick({ lang: 'ts' }), [0, 2]);
    assert.deepEqual(pick({ tags: 'http' }), [0]);
    assert.deepEqual(pick({ year: { $gte: 2021 } }), [0, 2]);
    assert.deepEqual(pick({ year: { $gt: 2019, $lt: 2024 } }), [0]);
    assert.deepEqual(pick({ lang: { $in: ['md', 'py'] } }), [1]);
    assert.deepEqual(pick({ lang: { $nin: ['md'] }, draft: { $exists: false } }), [0]);
    assert.deepEqual(pick({ lang: { $ne: 'ts' } }), [1]);
    assert.deepEqual(pick({ draft: null }), [0, 1]);
  });

  it('does not compare across types', () => {
    assert.deepEqual(pick({ year: { $gt: '2000' } }), []);
  });

  it('refuses unknown operators, nested objects and odd keys', () => {
    assert.equal(FilterSchema.safeParse({ year: { $regex: '.*' } }).success, false);
    assert.equal(FilterSchema.safeParse({ year: { nested: { deep: 1 } } }).success, false);
    assert.equal(FilterSchema.safeParse({ 'bad key!': 1 }).success, false);
    assert.equal(FilterSchema.safeParse({ year: {} }).success, false);
  });
});
