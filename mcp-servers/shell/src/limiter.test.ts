import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { Limiter } from './limiter.ts';
import { CappedOutput } from './output.ts';

describe('Limiter', () => {
  it('runs at most max at once, queues a few, refuses beyond the queue', async () => {
    const limiter = new Limiter(2, 1);
    const signal = new AbortController().signal;
    let peak = 0;
    const gates: (() => void)[] = [];
    const job = () =>
      limiter.run(signal, async () => {
        peak = Math.max(peak, limiter.active);
        await new Promise<void>((resolve) => gates.push(resolve));
      });
    const running = [job(), job(), job()];
    await assert.rejects(job(), (e: ToolError) => e.code === 'LIMIT_EXCEEDED');
    while (gates.length > 0 || limiter.active > 0) {
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(running);
    assert.equal(peak, 2);
  });

  it('lets a waiting call be cancelled', async () => {
    const limiter = new Limiter(1, 1);
    let release = () => {};
    const first = limiter.run(new AbortController().signal, () => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const second = limiter.run(controller.signal, async () => 'ran');
    controller.abort();
    await assert.rejects(second, (e: ToolError) => e.code === 'TIMEOUT');
    release();
    await first;
  });
});

describe('CappedOutput', () => {
  it('keeps the first cap bytes, counts the rest and says so', () => {
    const output = new CappedOutput(5);
    output.push('abc');
    output.push(Buffer.from('defgh'));
    assert.equal(output.text(), 'abcde');
    assert.equal(output.total, 8);
    assert.equal(output.truncated, true);
    const exact = new CappedOutput(3);
    exact.push('abc');
    assert.equal(exact.truncated, false);
  });
});
