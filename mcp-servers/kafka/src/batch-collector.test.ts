import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchCollector, type PartitionSpan } from './batch-collector.ts';

const rec = (partition: number, offset: number) => ({ partition, offset: String(offset) });
const spans = (entries: [number, number, number][]) =>
  new Map<number, PartitionSpan>(entries.map(([p, start, end]) => [p, { start: BigInt(start), end: BigInt(end) }]));
const isComplete = async (c: BatchCollector<{ partition: number; offset: string }>) =>
  Promise.race([c.complete.then(() => true), new Promise((resolve) => setImmediate(() => resolve(false)))]);

describe('batch collector', () => {
  it('completes at the limit and takes nothing past it', async () => {
    const c = new BatchCollector(3, spans([[0, 0, 10]]));
    c.assign([0]);
    assert.deepEqual(c.add([rec(0, 0), rec(0, 1)]), ['0', '1']);
    assert.equal(await isComplete(c), false);
    assert.deepEqual(c.add([rec(0, 2), rec(0, 3)]), ['2']);
    assert.equal(await isComplete(c), true);
    assert.deepEqual(c.close(), [rec(0, 0), rec(0, 1), rec(0, 2)]);
  });

  it('completes when every assigned partition with ready records was read to its end', async () => {
    const c = new BatchCollector(
      100,
      spans([
        [0, 2, 4],
        [1, 0, 1],
        [2, 5, 5],
      ]),
    );
    c.assign([0, 1, 2]);
    assert.equal(c.ready, 3n);
    c.add([rec(0, 2), rec(0, 3)]);
    assert.equal(await isComplete(c), false, 'partition 1 still has a ready record');
    c.add([rec(1, 0)]);
    assert.equal(await isComplete(c), true);
  });

  it('counts only the partitions assigned to this member', async () => {
    const c = new BatchCollector(
      100,
      spans([
        [0, 0, 2],
        [1, 0, 5],
      ]),
    );
    c.assign([0]);
    assert.equal(c.ready, 2n);
    c.add([rec(0, 0), rec(0, 1)]);
    assert.equal(await isComplete(c), true);
  });

  it('with nothing ready, completes on the first records to arrive', async () => {
    const c = new BatchCollector(10, spans([[0, 3, 3]]));
    c.assign([0]);
    assert.equal(c.ready, 0n);
    c.add([]);
    assert.equal(await isComplete(c), false);
    c.add([rec(0, 3), rec(0, 4)]);
    assert.equal(await isComplete(c), true);
    assert.equal(c.close().length, 2);
  });

  it('skips re-deliveries, and starts over on a new assignment', () => {
    const c = new BatchCollector(
      10,
      spans([
        [0, 0, 9],
        [1, 0, 9],
      ]),
    );
    c.assign([0, 1]);
    c.add([rec(0, 0), rec(0, 1)]);
    assert.deepEqual(c.add([rec(0, 1), rec(0, 0), rec(0, 2)]), ['2']);
    c.add([rec(1, 0)]);
    c.assign([1]);
    assert.deepEqual(c.add([rec(1, 0)]), ['0'], 'after a rebalance the consumer re-reads from the committed offset');
    assert.deepEqual(c.close(), [rec(1, 0)]);
  });

  it('takes nothing once closed', () => {
    const c = new BatchCollector(10, spans([[0, 0, 9]]));
    c.assign([0]);
    c.add([rec(0, 0)]);
    assert.deepEqual(c.close(), [rec(0, 0)]);
    assert.deepEqual(c.add([rec(0, 1)]), []);
    c.assign([0]);
    assert.deepEqual(c.close(), [rec(0, 0)]);
  });
});
