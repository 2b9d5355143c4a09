import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay } from './backoff.ts';
import { type BreakerState, CircuitBreaker } from './breaker.ts';

function breakerAt(clock: { now: number }) {
  const changes: BreakerState[] = [];
  const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => clock.now });
  breaker.onChange((state) => changes.push(state));
  return { breaker, changes };
}

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures and fails fast while open', () => {
    const clock = { now: 0 };
    const { breaker, changes } = breakerAt(clock);
    breaker.failure();
    breaker.failure();
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.tryAcquire(), true);
    breaker.failure();
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.tryAcquire(), false);
    clock.now = 400;
    assert.equal(breaker.retryInMs(), 600);
    assert.equal(breaker.tryAcquire(), false);
    assert.deepEqual(changes, ['open']);
  });

  it('a success in between resets the count', () => {
    const { breaker } = breakerAt({ now: 0 });
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.consecutiveFailures, 2);
  });

  it('half-opens after the cool-down, lets exactly one trial through, and closes on its success', () => {
    const clock = { now: 0 };
    const { breaker, changes } = breakerAt(clock);
    for (let i = 0; i < 3; i++) breaker.failure();
    clock.now = 1000;
    assert.equal(breaker.state, 'half-open');
    assert.equal(breaker.tryAcquire(), true);
    assert.equal(breaker.tryAcquire(), false, 'a second caller must not pass while the trial runs');
    breaker.success();
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.tryAcquire(), true);
    assert.deepEqual(changes, ['open', 'half-open', 'closed']);
  });

  it('a failed trial opens the circuit again for a full cool-down', () => {
    const clock = { now: 0 };
    const { breaker, changes } = breakerAt(clock);
    for (let i = 0; i < 3; i++) breaker.failure();
    clock.now = 1500;
    assert.equal(breaker.tryAcquire(), true);
    breaker.failure();
    assert.equal(breaker.state, 'open');
    clock.now = 2400;
    assert.equal(breaker.state, 'open');
    clock.now = 2500;
    assert.equal(breaker.state, 'half-open');
    assert.deepEqual(changes, ['open', 'half-open', 'open']);
  });

  it('a cancelled trial frees the slot without deciding', () => {
    const clock = { now: 0 };
    const { breaker } = breakerAt(clock);
    for (let i = 0; i < 3; i++) breaker.failure();
    clock.now = 1000;
    assert.equal(breaker.tryAcquire(), true);
    breaker.release();
    assert.equal(breaker.state, 'half-open');
    assert.equal(breaker.tryAcquire(), true);
  });
});

describe('restart backoff', () => {
  const options = { initialDelayMs: 100, maxDelayMs: 1000 };

  it('grows exponentially and is capped', () => {
    const top = () => 1;
    assert.deepEqual(
      [0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, options, top)),
      [100, 200, 400, 800, 1000, 1000],
    );
  });

  it('jitters between half and all of the step', () => {
    assert.equal(
      backoffDelay(2, options, () => 0),
      200,
    );
    assert.equal(
      backoffDelay(2, options, () => 0.5),
      300,
    );
  });
});
