import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RetryBudget } from './retry-budget.ts';

describe('retry budget', () => {
  it('allows the floor with no traffic, then refuses', () => {
    const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 1, windowMs: 10_000 });
    const now = 1_000_000;
    for (let i = 0; i < 10; i++) assert.equal(budget.tryWithdraw(now), true, `retry ${i + 1} of the floor`);
    assert.equal(budget.tryWithdraw(now), false);
    assert.deepEqual(budget.state(now), { firsts: 0, retries: 10, allowed: 10 });
  });

  it('grows with first attempts by the ratio', () => {
    const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 0, windowMs: 10_000 });
    const now = 2_000_000;
    budget.deposit(now, 50);
    let allowed = 0;
    while (budget.tryWithdraw(now)) allowed++;
    assert.equal(allowed, 10);
  });

  it('forgets what left the window', () => {
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 1, windowMs: 5000 });
    const start = 3_000_000;
    while (budget.tryWithdraw(start));
    assert.equal(budget.tryWithdraw(start + 1000), false, 'still inside the window');
    assert.equal(budget.tryWithdraw(start + 6000), true, 'the spent slot left the window');
  });
});
