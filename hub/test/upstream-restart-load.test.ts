// Restarts that keep everything: an upstream is killed (SIGKILL, from outside) again and again while
// clients of both eras keep listing and calling tools through the hub. After each restart the hub has
// re-initialised it: the full tool list, its resources, prompts, capabilities and instructions are
// back (not "connected" with zero tools), no call ever returned a wrong result, and every failure
// during an outage was an explicit, retryable error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Upstream } from '../src/upstreams/index.ts';
import { firstText, probeUpstream, type RunningHub, startHub, waitFor } from './support/harness.ts';

const ROUNDS = 3;
/** A 2026-era client caches list results for their ttlMs: ask the hub each time. */
const FRESH = { cacheMode: 'refresh' } as const;
const INSTRUCTIONS = 'Probe instructions: call probe__state first.';

interface ListingClient {
  listTools(): Promise<{ tools: { name: string }[] }>;
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
}

interface LoadTally {
  lists: number;
  /** tools/list answers whose probe tools were neither all of them nor none (a half-restored upstream). */
  partialLists: string[][];
  calls: number;
  wrong: string[];
  /** Failures during an outage, by their code (or message when the result had none). */
  errors: Map<string, number>;
}

const probeTools = (tools: { name: string }[]) =>
  tools
    .map((t) => t.name)
    .filter((n) => n.startsWith('probe__'))
    .sort();

/** Lists and calls in a loop until `stop`, checking every answer against what it must be. */
async function load(client: ListingClient, fullList: string[], tally: LoadTally, stop: () => boolean, seed: number) {
  let n = seed;
  while (!stop()) {
    n += 2;
    try {
      const listed = probeTools((await client.listTools()).tools);
      tally.lists++;
      if (listed.length !== 0 && listed.join() !== fullList.join()) tally.partialLists.push(listed);
      const result = (await client.callTool({ name: 'probe__structured', arguments: { n } })) as {
        isError?: boolean;
        structuredContent?: { doubled?: number };
        content?: { type: string; text: string }[];
        _meta?: Record<string, { code?: string }>;
      };
      tally.calls++;
      if (result.isError) {
        const code = result._meta?.['switchboard/error']?.code ?? `text: ${result.content?.[0]?.text}`;
        tally.errors.set(code, (tally.errors.get(code) ?? 0) + 1);
      } else if (result.structuredContent?.doubled !== n * 2) {
        tally.wrong.push(`n=${n}: ${JSON.stringify(result.structuredContent)}`);
      }
    } catch (error) {
      const key = `thrown: ${(error as Error).message.slice(0, 120)}`;
      tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('an upstream killed repeatedly under load comes back whole', () => {
  let running: RunningHub;
  let v1: V1Client;
  let v2: Client;

  before(async () => {
    running = await startHub({
      upstreams: {
        probe: probeUpstream({
          env: { LOG_LEVEL: 'warn', PROBE_INSTRUCTIONS: INSTRUCTIONS },
          restart: { initialDelayMs: 100, maxDelayMs: 400 },
          healthIntervalMs: 0,
        }),
      },
    });
    v1 = new V1Client({ name: 'load-2025', version: '1' });
    await v1.connect(new V1Transport(new URL(running.url)));
    v2 = new Client({ name: 'load-2026', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await v2.connect(new StreamableHTTPClientTransport(new URL(running.url)));
  });
  after(async () => {
    await Promise.allSettled([v1?.close(), v2?.close()]);
    await running?.close();
  });

  it(`restores tools, resources, prompts, capabilities and instructions after each of ${ROUNDS} kills, with no wrong result`, async () => {
    const probe = running.hub.pool.get('probe') as Upstream;
    await waitFor('the probe to connect', () => probe.state === 'connected', 90_000);
    const fullList = probeTools((await v1.listTools()).tools);
    assert.ok(fullList.length >= 10 && fullList.includes('probe__structured'), fullList.join());
    const resources = (await v1.listResources()).resources.map((r) => r.uri).sort();
    const templates = (await v1.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort();
    const prompts = (await v1.listPrompts()).prompts.map((p) => p.name).sort();
    assert.ok(resources.length > 0 && templates.length > 0 && prompts.length > 0);
    const capabilities = structuredClone(probe.capabilities);
    assert.ok(capabilities?.tools && capabilities.logging, JSON.stringify(capabilities));
    assert.equal(probe.instructions, INSTRUCTIONS);

    const tally: LoadTally = { lists: 0, partialLists: [], calls: 0, wrong: [], errors: new Map() };
    let stopped = false;
    const v2Fresh: ListingClient = { listTools: () => v2.listTools(undefined, FRESH), callTool: (params) => v2.callTool(params) };
    const workers = [
      load(v1, fullList, tally, () => stopped, 1),
      load(v2Fresh, fullList, tally, () => stopped, 2),
      load(v2Fresh, fullList, tally, () => stopped, 1_000_001),
    ];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const callsBefore = tally.calls;
        await waitFor('calls to flow before the kill', () => tally.calls >= callsBefore + 5);
        const { pid } = JSON.parse(firstText(await probe.callTool('state', {}))) as { pid: number };
        process.kill(pid, 'SIGKILL');
        await waitFor(`the hub to notice kill ${round}`, () => probe.state !== 'connected');
        await waitFor(`the upstream back after kill ${round}`, () => probe.state === 'connected', 90_000);
        assert.equal(probe.status().restarts, round);
        // Everything it said about itself is back, read from the new process.
        assert.deepEqual(probeTools((await v2.listTools(undefined, FRESH)).tools), fullList, `tool list after kill ${round}`);
        assert.deepEqual((await v1.listResources()).resources.map((r) => r.uri).sort(), resources);
        assert.deepEqual((await v1.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort(), templates);
        assert.deepEqual((await v1.listPrompts()).prompts.map((p) => p.name).sort(), prompts);
        assert.deepEqual(probe.capabilities, capabilities);
        assert.equal(probe.instructions, INSTRUCTIONS);
        const { pid: newPid } = JSON.parse(firstText(await probe.callTool('state', {}))) as { pid: number };
        assert.notEqual(newPid, pid, 'a new upstream process');
        // Calls succeed again after the restart.
        const callsAfter = tally.calls;
        await waitFor(`calls to flow after kill ${round}`, () => tally.calls >= callsAfter + 5);
      }
    } finally {
      stopped = true;
      await Promise.all(workers);
    }
    // A client that connects now gets the upstream's instructions in the hub's own.
    const late = new V1Client({ name: 'late', version: '1' });
    await late.connect(new V1Transport(new URL(running.url)));
    assert.match(late.getInstructions() ?? '', new RegExp(`## probe\\n${INSTRUCTIONS}`));
    await late.close();

    assert.deepEqual(tally.wrong, [], 'a call returned a wrong result');
    assert.deepEqual(tally.partialLists, [], 'a tools/list showed part of the upstream’s tools');
    assert.ok(tally.calls > ROUNDS * 10, `only ${tally.calls} calls completed`);
    // Outage failures are explicit and retryable: the upstream is unavailable (or the call was cut by the kill).
    for (const [code, count] of tally.errors)
      assert.ok(['UPSTREAM_UNAVAILABLE'].includes(code), `unexpected failure during the outage: ${code} (${count}×)`);
  });
});
