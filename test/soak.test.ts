// The short soak (the CI variant of bench/soak.bench.ts): `switchboard up` with every mock server,
// a few hundred mixed calls after warm-up. Every call succeeds and no process leaks descriptors.
// Memory is printed, not asserted: RSS over a short run is dominated by the JIT and the GC's pace
// (the long bench measures its growth).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSoak } from '../bench/soak-run.ts';

describe('soak (short)', () => {
  it('serves steady mixed load through every server without errors or descriptor growth', async () => {
    const result = await runSoak({ calls: 650, warmup: 260, concurrency: 8 });
    for (const [name, start] of Object.entries(result.start)) {
      const end = result.end[name];
      console.log(`# soak ${name}: rss ${start.rssMb.toFixed(1)} → ${end?.rssMb.toFixed(1)} MB, fds ${start.fds} → ${end?.fds}`);
    }
    assert.equal(result.errors, 0, `errors:\n${result.firstErrors.join('\n')}`);
    assert.ok(Object.keys(result.start).length >= 9, `expected the hub and every server, got ${Object.keys(result.start).join(', ')}`);
    for (const [name, start] of Object.entries(result.start)) {
      const end = result.end[name];
      assert.ok(end, `${name} is gone at the end`);
      assert.ok(end.fds <= start.fds + 4, `${name}: open descriptors grew from ${start.fds} to ${end.fds}`);
    }
  });
});
