import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryAuditStore } from './memory-store.ts';
import type { AuditStart } from './types.ts';

const start = (n: number): AuditStart => ({
  id: `call-${n}`,
  instance: 'test',
  startedAt: n,
  principal: 'alice',
  role: 'coder',
  tool: 'fs__read_file',
  argsDigest: 'sha256:00',
  argKeys: ['path'],
  correlationId: `corr-${n}`,
  depth: 0,
});

describe('MemoryAuditStore', () => {
  it('keeps only the newest records once past its capacity, finished or not', async () => {
    const store = new MemoryAuditStore(5);
    for (let n = 1; n <= 8; n++) {
      await store.begin(start(n));
      if (n % 2 === 0) await store.finish(`call-${n}`, { finishedAt: n + 1, outcome: 'ok', durationMs: 1 });
    }
    await store.record(start(9), { finishedAt: 10, outcome: 'error', durationMs: 1, errorCode: 'TIMEOUT' });
    const kept = await store.query({ limit: 100 });
    assert.deepEqual(
      kept.map((r) => r.id),
      ['call-9', 'call-8', 'call-7', 'call-6', 'call-5'],
    );
    assert.equal(kept.find((r) => r.id === 'call-8')?.outcome, 'ok');
    assert.equal(kept.find((r) => r.id === 'call-7')?.outcome, 'unfinished');
    // A finish for a record already dropped changes nothing and does not throw.
    await store.finish('call-1', { finishedAt: 99, outcome: 'ok', durationMs: 1 });
    assert.equal((await store.query({ limit: 100 })).length, 5);
  });
});
