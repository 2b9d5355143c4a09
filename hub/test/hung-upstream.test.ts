import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type RunningHub, startHub, waitFor } from './support/harness.ts';
import { descendantsOf, stillThere } from './support/proc-table.ts';
import { median, tinyUpstream } from './support/tiny-upstream.ts';

// One hub with only healthy upstreams, one with the same healthy upstream beside three bad ones: an
// HTTP server that accepts connections and never answers, a stdio server that never reads its
// stdin (both hung in the handshake), and one that connected and then stopped answering with calls
// in flight. Latency through the second hub is compared with the first, measured alternately in the
// same process so the machine's load falls on both alike.

const ROUNDS = 40;
/** Generous: the point is "not delayed by seconds", not a micro-benchmark on a shared machine. */
const MAX_RATIO = 3;

async function connectClient(url: string): Promise<Client> {
  const client = new Client({ name: 'isolation-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe('a hung upstream never delays tools/list or calls to the others', () => {
  let blackHole: Server;
  const sockets = new Set<Socket>();
  let healthy: RunningHub;
  let degraded: RunningHub;
  let stillConnectingAtStart: string[] = [];
  const clients: Client[] = [];
  const frozenCalls: Promise<unknown>[] = [];

  before(async () => {
    blackHole = createServer((socket) => {
      sockets.add(socket); // accepted, read, never answered
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const { port } = blackHole.address() as { port: number };
    healthy = await startHub({ upstreams: { fast: tinyUpstream() } });
    degraded = await startHub({
      hub: { startupWaitMs: 5000 },
      upstreams: {
        fast: tinyUpstream(),
        frozen: tinyUpstream([], { timeoutMs: 120_000 }),
        'hung-http': { url: `http://127.0.0.1:${port}/mcp`, healthIntervalMs: 0 },
        'hung-stdio': tinyUpstream(['--mute']),
      },
    });
    stillConnectingAtStart = ['hung-http', 'hung-stdio'].filter((name) => degraded.hub.pool.get(name)?.state === 'connecting');
    for (const running of [healthy, degraded])
      await waitFor('the healthy upstreams', () => running.hub.catalog.list().some((e) => e.name === 'fast__echo'));
    await waitFor('frozen connected', () => degraded.hub.pool.get('frozen')?.state === 'connected');
    // Stop `frozen` answering, with calls to it left hanging for the whole measurement.
    const principal = degraded.hub.localPrincipal;
    for (const [i, tool] of ['frozen__freeze', 'frozen__echo', 'frozen__echo'].entries())
      frozenCalls.push(degraded.hub.callTool(tool, { text: 'x' }, { principal, correlationId: `frozen-${i}` }));
  });

  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled([healthy?.close(), degraded?.close()]);
    await Promise.allSettled(frozenCalls);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole?.close(resolve));
  });

  it('startup serves without waiting for upstreams hung in their handshake', () => {
    // Their connect timeout is 60 s: had startup waited for them they would be `failed` by now.
    assert.deepEqual(stillConnectingAtStart, ['hung-http', 'hung-stdio']);
    assert.equal(degraded.hub.status().ready, false, '/ready stays 503 until every upstream is up');
  });

  it('tools/list answers from the catalogue as it stands: healthy and frozen tools, nothing of the hung', async () => {
    const client = await connectClient(degraded.url);
    clients.push(client);
    const { tools } = await client.listTools(undefined, { cacheMode: 'bypass' });
    const names = tools.map((t) => t.name);
    assert.ok(names.includes('fast__echo') && names.includes('frozen__echo'));
    assert.ok(!names.some((n) => n.startsWith('hung-')));
  });

  it('tools/list and calls to a healthy upstream keep their latency (ratio to the all-healthy hub)', async (t) => {
    const [a, b] = await Promise.all([connectClient(healthy.url), connectClient(degraded.url)]);
    clients.push(a, b);
    const samples = { listA: [] as number[], listB: [] as number[], callA: [] as number[], callB: [] as number[] };
    const call = async (client: Client, i: number) => {
      const result = await client.callTool({ name: 'fast__echo', arguments: { text: `r${i}` } });
      assert.equal((result.structuredContent as { text: string }).text, `r${i}`);
    };
    for (let i = 0; i < 5; i++) await Promise.all([call(a, -1), call(b, -1)]); // warm-up
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate which hub goes first, so neither always gets the warmer moment.
      const pairs: [Client, number[], number[]][] = [
        [a, samples.listA, samples.callA],
        [b, samples.listB, samples.callB],
      ];
      if (i % 2 === 1) pairs.reverse();
      for (const [client, lists, calls] of pairs) {
        lists.push(await timed(() => client.listTools(undefined, { cacheMode: 'bypass' })));
        calls.push(await timed(() => call(client, i)));
      }
    }
    const listRatio = median(samples.listB) / median(samples.listA);
    const callRatio = median(samples.callB) / median(samples.callA);
    t.diagnostic(
      `tools/list median ${median(samples.listA).toFixed(2)} ms healthy vs ${median(samples.listB).toFixed(2)} ms with hung upstreams (ratio ${listRatio.toFixed(2)}); ` +
        `fast__echo ${median(samples.callA).toFixed(2)} vs ${median(samples.callB).toFixed(2)} ms (ratio ${callRatio.toFixed(2)})`,
    );
    assert.ok(listRatio < MAX_RATIO, `tools/list ratio ${listRatio.toFixed(2)}`);
    assert.ok(callRatio < MAX_RATIO, `call ratio ${callRatio.toFixed(2)}`);
    // The hung upstreams really were hung throughout.
    assert.equal(degraded.hub.pool.get('frozen')?.inFlight.size, 3);
    assert.equal(degraded.hub.pool.get('hung-stdio')?.state, 'connecting');
  });

  it('closing the hub ends the upstreams it started, the one still in its handshake included', async () => {
    const children = descendantsOf(process.pid).filter((p) => p.cmdline.includes('tiny-server.mjs'));
    assert.ok(children.some((p) => p.cmdline.includes('--mute')));
    await Promise.all([healthy.close(), degraded.close()]);
    assert.deepEqual(
      children.filter((p) => stillThere(p.pid)),
      [],
      'upstream processes outlived their hub',
    );
  });
});

describe('an upstream slow to start', () => {
  let running: RunningHub;
  after(() => running?.close());

  it('is not waited for by start-up or tools/list, but a call naming its tool waits for it', async () => {
    running = await startHub({ hub: { startupWaitMs: 0 }, upstreams: { slow: tinyUpstream(['--slow-start=1500']) } });
    assert.equal(running.hub.pool.get('slow')?.state, 'connecting');
    assert.ok(!running.hub.listTools().some((t) => t.name.startsWith('slow__')), 'the catalogue as it stands');
    const result = await running.hub.callTool(
      'slow__echo',
      { text: 'worth the wait' },
      { principal: running.hub.localPrincipal, correlationId: 'slow-1' },
    );
    assert.equal((result.structuredContent as { text: string }).text, 'worth the wait');
    await assert.rejects(
      running.hub.callTool('slow__nope', {}, { principal: running.hub.localPrincipal, correlationId: 'slow-2' }),
      /unknown tool 'slow__nope'/,
    );
  });
});
