// The CI variant of bench/load.bench.ts: the same stack and code path, a short profile. No timing
// thresholds (the machine is shared): every call is answered, none fails, on both sides.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LoadStack, runProfile, startLoadStack } from '../bench/load-run.ts';

describe('load (short)', () => {
  let stack: LoadStack;
  before(async () => {
    stack = await startLoadStack();
  });
  after(() => stack?.close());

  it('answers every call through the hub and straight to the upstream, with no errors', async () => {
    const result = await runProfile(stack, { calls: 200, clients: 10 });
    console.log(
      `# load 200x10: direct ${result.direct.callsPerSec.toFixed(0)}/s p50/p95/p99 ${[result.direct.p50Ms, result.direct.p95Ms, result.direct.p99Ms].map((v) => v.toFixed(1)).join('/')} ms; ` +
        `hub ${result.hub.callsPerSec.toFixed(0)}/s p50/p95/p99 ${[result.hub.p50Ms, result.hub.p95Ms, result.hub.p99Ms].map((v) => v.toFixed(1)).join('/')} ms`,
    );
    for (const side of ['direct', 'hub'] as const) {
      assert.equal(result[side].errors, 0, `${side}: ${result[side].firstError}`);
      assert.equal(result[side].answered, 200, `${side}: every call answered`);
      assert.equal(Number.isFinite(result[side].p99Ms), true);
    }
  });
});
