import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubMetrics } from '../../telemetry/index.ts';
import { quantileMs, UpstreamStats } from './upstream-stats.ts';

describe('upstream traffic stats (from the Prometheus metrics)', () => {
  it('turns running totals into calls/min, error rate, p50/p99 and a series of differences', async () => {
    const metrics = new HubMetrics({ processMetrics: false });
    const clock = { t: 1_000_000 };
    const stats = new UpstreamStats(metrics.registry, { intervalMs: 10_000, now: () => clock.t });
    await stats.sample();
    for (let i = 0; i < 8; i++) metrics.observeCall({ tool: 'fs__read', upstream: 'fs', outcome: 'ok', seconds: 0.004 });
    metrics.observeCall({ tool: 'fs__read', upstream: 'fs', outcome: 'error', seconds: 0.004, code: 'NOT_FOUND' });
    metrics.observeCall({ tool: 'fs__write', upstream: 'fs', outcome: 'timeout', seconds: 2 });
    metrics.observeCall({ tool: 'sql__query', upstream: 'sql', outcome: 'ok', seconds: 0.02 });
    clock.t += 30_000;
    await stats.sample();
    clock.t += 30_000;
    const of = await stats.of(['fs', 'sql', 'idle']);
    const fs = of.get('fs');
    assert.ok(fs);
    assert.equal(fs.series.length, 1);
    assert.deepEqual({ calls: fs.series[0]?.calls, errors: fs.series[0]?.errors }, { calls: 10, errors: 2 });
    // 10 calls in the 60 s since the first sample
    assert.equal(fs.now.callsPerMin, 10);
    assert.equal(fs.now.windowMs, 60_000);
    assert.equal(fs.now.errorRate, 0.2);
    // 9 of 10 calls took 4 ms (bucket 2.5–5 ms), one 2 s (bucket 1–2.5 s)
    assert.ok((fs.now.p50Ms ?? 0) > 2.5 && (fs.now.p50Ms ?? 0) <= 5, `p50 ${fs.now.p50Ms}`);
    assert.ok((fs.now.p99Ms ?? 0) > 1000 && (fs.now.p99Ms ?? 0) <= 2500, `p99 ${fs.now.p99Ms}`);
    assert.equal(of.get('sql')?.now.callsPerMin, 1);
    assert.deepEqual(of.get('idle')?.now, { callsPerMin: 0, errorRate: null, p50Ms: null, p99Ms: null, windowMs: 60_000 });
  });

  it('keeps at most `points` points', async () => {
    const metrics = new HubMetrics({ processMetrics: false });
    const clock = { t: 0 };
    const stats = new UpstreamStats(metrics.registry, { points: 3, now: () => clock.t });
    for (let i = 0; i < 10; i++) {
      metrics.observeCall({ tool: 'a__b', upstream: 'a', outcome: 'ok', seconds: 0.001 });
      clock.t += 10_000;
      await stats.sample();
    }
    assert.equal((await stats.of(['a'])).get('a')?.series.length, 3);
  });

  it('estimates quantiles like histogram_quantile: linear inside the bucket, highest bound for +Inf', () => {
    const buckets = (entries: [number, number][]) => ({ buckets: new Map(entries) });
    assert.equal(quantileMs(buckets([]), 0.5), null);
    assert.equal(
      quantileMs(
        buckets([
          [0.01, 0],
          [Number.POSITIVE_INFINITY, 0],
        ]),
        0.5,
      ),
      null,
    );
    assert.equal(
      quantileMs(
        buckets([
          [0.01, 10],
          [0.02, 20],
          [Number.POSITIVE_INFINITY, 20],
        ]),
        0.5,
      ),
      10,
    );
    assert.equal(
      quantileMs(
        buckets([
          [0.01, 10],
          [0.02, 20],
          [Number.POSITIVE_INFINITY, 20],
        ]),
        0.75,
      ),
      15,
    );
    assert.equal(
      quantileMs(
        buckets([
          [0.01, 0],
          [0.02, 0],
          [Number.POSITIVE_INFINITY, 4],
        ]),
        0.99,
      ),
      20,
    );
  });
});
