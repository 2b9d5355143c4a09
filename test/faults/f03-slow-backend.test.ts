// F3 — one backend turns 30 s slow (the fault proxy holds its answers back for 30 s): each call to it
// times out at the upstream's per-call limit with an explicit error, and after N timeouts the breaker
// opens and calls fail fast without reaching it. Calls to another backend keep working meanwhile
// (their latency is printed; no timing threshold here). That the cancellation reaches the upstream is
// proven here for a stateless Streamable HTTP upstream (every kit server), and for stdio upstreams in
// hub/test/upstream-resilience.test.ts.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type RunningHub, startHub, waitFor } from '../../hub/test/support/harness.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { outcomeText, type Probe, percentile, readAgain, startHttpProbe } from './support-hub.ts';

describe('F3: 30 s latency on one backend', () => {
  let cancellationsSeen = -1;
  let slow: Probe | undefined;
  let fast: Probe | undefined;
  let proxy: FaultProxy | undefined;
  let hub: RunningHub | undefined;
  let client: Client | undefined;
  after(async () => {
    await client?.close().catch(() => {});
    await hub?.close();
    await proxy?.close();
    await slow?.close();
    await fast?.close();
  });

  it('times out, opens the breaker after 3 failures, fails fast; the other backend keeps answering', { timeout: 600_000 }, async () => {
    [slow, fast] = await Promise.all([startHttpProbe(), startHttpProbe()]);
    proxy = await startFaultProxy({ port: slow.port });
    const slowUrl = new URL(slow.url);
    slowUrl.port = String(proxy.port);
    hub = await startHub({
      upstreams: {
        slow: { url: slowUrl.toString(), timeoutMs: 1000, healthIntervalMs: 0, breaker: { failureThreshold: 3, cooldownMs: 60_000 } },
        fast: { url: fast.url, healthIntervalMs: 0 },
      },
    });
    client = new Client({ name: 'f3', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(hub.url)));
    await waitFor(
      'both upstreams to be connected',
      async () => {
        const names = (await readAgain(() => (client as Client).listTools())).tools.map((t) => t.name);
        return names.includes('slow__wait_for_cancel') && names.includes('fast__echo_meta');
      },
      180_000,
    );

    const fastCalls = async (n: number) => {
      const latencies: number[] = [];
      let errors = 0;
      let firstError = '';
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (latencies.length + errors < n) {
            const t0 = performance.now();
            const { isError, text } = await outcomeText(
              // A connection-level failure between this test client and the hub is retried (a read-only tool);
              // what counts is every answer the hub gives.
              readAgain(() => (client as Client).callTool({ name: 'fast__echo_meta', arguments: {} })),
            );
            if (isError) {
              errors++;
              firstError ||= text;
            } else latencies.push(performance.now() - t0);
          }
        }),
      );
      return { latencies, errors, firstError };
    };
    const baseline = await fastCalls(100);

    // From now on the slow backend's answers take 30 s; requests (and cancellations) still reach it.
    proxy.setLatency(30_000, 'toClient');
    const slowCalls = [1, 2, 3].map(() => outcomeText((client as Client).callTool({ name: 'slow__wait_for_cancel', arguments: {} })));
    const during = await fastCalls(100);
    const outcomes = await Promise.all(slowCalls);
    for (const outcome of outcomes) {
      assert.equal(outcome.isError, true);
      assert.match(outcome.text, /TIMEOUT|did not answer/i, outcome.text);
      assert.match(outcome.text, /slow/);
    }
    // The timed-out calls' cancellations reach the backend a moment after their errors reach us.
    await waitFor(
      'the timed-out calls to end on the slow backend',
      async () => (await readAgain(() => (slow as Probe).state())).waiting === 0,
      10_000,
    );
    const before = await readAgain(() => (slow as Probe).state());
    const fastFail = await outcomeText(client.callTool({ name: 'slow__wait_for_cancel', arguments: {} }));
    assert.equal(fastFail.isError, true);
    assert.match(fastFail.text, /circuit is open after 3 consecutive failures/, fastFail.text);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const afterOpen = await readAgain(() => (slow as Probe).state());
    assert.equal(afterOpen.waiting, before.waiting, 'the fast-failed call never reached the slow backend');
    cancellationsSeen = afterOpen.cancelled;

    assert.equal(baseline.errors, 0, `before the fault: ${baseline.firstError}`);
    assert.equal(during.errors, 0, `while the slow backend hung: ${during.firstError}`);
    assert.ok(during.latencies.length >= 100, 'the other backend answered at least the 100 calls asked of it');
    console.log(
      `# F3 fast backend: p50/p99 ${percentile(baseline.latencies, 50).toFixed(1)}/${percentile(baseline.latencies, 99).toFixed(1)} ms before, ` +
        `${percentile(during.latencies, 50).toFixed(1)}/${percentile(during.latencies, 99).toFixed(1)} ms while the slow one hung`,
    );
  });

  // A stateless upstream (a fresh server per POST) cannot match notifications/cancelled; the hub also
  // closes the request's own POST (hub/src/upstreams/cancellable-fetch.ts), which it takes as the cancel.
  it('the timed-out calls were cancelled on the stateless HTTP upstream', () => {
    assert.equal(cancellationsSeen, 3, `the slow backend saw ${cancellationsSeen} of 3 cancellations`);
  });
});
