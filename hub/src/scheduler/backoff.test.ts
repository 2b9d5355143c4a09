import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, isRetryable } from './backoff.ts';

describe('retry backoff', () => {
  const policy = { baseMs: 100, factor: 2, maxMs: 1000, jitter: 0.5 };

  it('grows exponentially up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt, 0)),
      [100, 200, 400, 800, 1000, 1000],
    );
  });

  it('takes at most `jitter` of the delay away', () => {
    assert.equal(backoffDelay(policy, 3, 0.999999), 200);
    assert.equal(backoffDelay({ ...policy, jitter: 1 }, 3, 0.5), 200);
    assert.equal(backoffDelay({ ...policy, jitter: 0 }, 3, 0.9), 400);
  });

  it('retries only errors that may pass', () => {
    for (const code of ['UPSTREAM_UNAVAILABLE', 'TIMEOUT', 'INTERNAL', 'LEASE_EXPIRED'])
      assert.equal(isRetryable({ code, message: '' }), true, code);
    for (const code of ['ACL_DENIED', 'INVALID_ARGUMENT', 'NOT_FOUND', 'READ_ONLY', 'TOO_LARGE', 'LIMIT_EXCEEDED', 'TOOL_ERROR'])
      assert.equal(isRetryable({ code, message: '' }), false, code);
  });
});
