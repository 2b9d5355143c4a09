import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { RowCollector, rowFromArray, toJsonValue, uniqueColumnNames } from './rows.ts';

describe('result rows', () => {
  it('keeps duplicate column names apart instead of dropping one', () => {
    assert.deepEqual(uniqueColumnNames(['a', 'a', 'b', 'a', 'a_2']), ['a', 'a_2', 'b', 'a_3', 'a_2_2']);
    assert.deepEqual(rowFromArray(uniqueColumnNames(['a', 'a']), [1, 2]), { a: 1, a_2: 2 });
  });

  it('turns values JSON cannot carry faithfully into text', () => {
    assert.equal(toJsonValue(Number.NaN), 'NaN');
    assert.equal(toJsonValue(Number.POSITIVE_INFINITY), 'Infinity');
    assert.equal(toJsonValue(12n), 12);
    assert.equal(toJsonValue(9007199254740993n), '9007199254740993');
    assert.equal(toJsonValue(new Date('2024-01-02T03:04:05Z')), '2024-01-02T03:04:05.000Z');
    assert.equal(toJsonValue(Buffer.from([0xde, 0xad])), '\\xdead');
    assert.deepEqual(toJsonValue([1, Number.NaN, null]), [1, 'NaN', null]);
    assert.equal(toJsonValue(undefined), null);
  });
});

describe('RowCollector', () => {
  const fill = (collector: RowCollector, n: number) => {
    let kept = 0;
    for (let i = 0; i < n; i++) if (collector.add({ i })) kept++;
    return kept;
  };

  it('a result of exactly maxRows rows is not cut', () => {
    const collector = new RowCollector(3, 1_000);
    assert.equal(fill(collector, 3), 3);
    assert.equal(collector.truncatedBy, undefined);
  });

  it('one row more than maxRows marks the result cut by rows', () => {
    const collector = new RowCollector(3, 1_000);
    assert.equal(fill(collector, 10), 3);
    assert.equal(collector.truncatedBy, 'rows');
    assert.equal(collector.done, true);
  });

  it('stops at the byte limit, measured as JSON, and says so', () => {
    const collector = new RowCollector(1_000, 60);
    const kept = fill(collector, 100);
    assert.ok(kept > 0 && kept < 10, String(kept));
    assert.equal(collector.truncatedBy, 'bytes');
    assert.ok(Buffer.byteLength(JSON.stringify(collector.rows)) <= 60);
  });

  it('refuses a first row that alone exceeds the byte limit', () => {
    const collector = new RowCollector(10, 20);
    assert.throws(
      () => collector.add({ text: 'x'.repeat(100) }),
      (error: ToolError) => error.code === 'TOO_LARGE' && error.field === 'sql',
    );
  });
});
