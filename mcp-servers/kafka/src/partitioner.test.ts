import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Partitioners } from 'kafkajs';
import { Partitioner } from './partitioner.ts';

describe('partitioner', () => {
  it('puts a keyed message in the same partition as kafkajs’s default (Java-compatible) partitioner', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    const ours = new Partitioner();
    for (const partitions of [1, 3, 7, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
        partitionId,
        leader: 1,
        partitionErrorCode: 0,
        replicas: [1],
        isr: [1],
      }));
      for (let i = 0; i < 300; i++) {
        const key = i % 3 === 0 ? Buffer.from(`order-${i}`) : randomBytes(i % 40);
        const expected = kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } });
        assert.equal(ours.choose('t', partitions, { key }), expected, `key ${key.toString('hex')} over ${partitions}`);
      }
    }
  });

  it('keeps an explicit partition and spreads keyless messages round-robin per topic', () => {
    const ours = new Partitioner();
    assert.equal(ours.choose('t', 4, { partition: 2, key: Buffer.from('k') }), 2);
    assert.deepEqual(
      Array.from({ length: 5 }, () => ours.choose('t', 3, {})),
      [0, 1, 2, 0, 1],
    );
    assert.equal(ours.choose('other', 3, {}), 0);
  });
});
