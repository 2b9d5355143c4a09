// F1 — SIGKILL a stdio upstream while a tools/call runs on it: the caller gets an explicit error at
// once (not a timeout at the per-call deadline), the hub respawns the server with backoff, its tools
// are listed again and the next call succeeds. Through the hub's /mcp, as a client sees it.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { probeUpstream, type RunningHub, startHub, waitFor } from '../../hub/test/support/harness.ts';
import { outcomeText, readAgain } from './support-hub.ts';

describe('F1: SIGKILL a stdio upstream during tools/call', () => {
  let hub: RunningHub | undefined;
  let client: Client | undefined;
  after(async () => {
    await client?.close().catch(() => {});
    await hub?.close();
  });

  it('fails the call explicitly, respawns with backoff, lists the tools again, and the next call succeeds', {
    timeout: 600_000,
  }, async () => {
    hub = await startHub({
      upstreams: { probe: probeUpstream({ timeoutMs: 60_000, healthIntervalMs: 0, restart: { initialDelayMs: 200, maxDelayMs: 2000 } }) },
    });
    client = new Client({ name: 'f1', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(hub.url)));
    await waitFor(
      'the probe to be connected',
      async () => (await readAgain(() => (client as Client).listTools())).tools.some((t) => t.name === 'probe__state'),
      240_000,
    );
    const state = async () => {
      const result = await readAgain(() => (client as Client).callTool({ name: 'probe__state', arguments: {} }));
      return JSON.parse((result.content as { text: string }[])[0]?.text ?? '{}');
    };
    const { pid } = await state();
    const running = outcomeText(client.callTool({ name: 'probe__wait_for_cancel', arguments: {} }));
    await waitFor('the call to be running upstream', async () => (await state()).waiting === 1);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    const outcome = await running;
    const tookMs = Date.now() - killedAt;
    assert.equal(outcome.isError, true);
    assert.match(outcome.text, /UPSTREAM_UNAVAILABLE/, outcome.text);
    assert.doesNotMatch(outcome.text, /did not answer .* within/, 'an explicit error, not the per-call timeout');
    console.log(`# F1: the caller had its error ${tookMs} ms after the kill (per-call deadline 60000 ms): ${outcome.text}`);

    const upstream = hub.hub.pool.get('probe');
    await waitFor('the upstream to be respawned', () => upstream?.state === 'connected', 240_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(upstream?.status())}`);
    });
    const toolsBack = await waitFor(
      'the tools to be listed again',
      async () => {
        const names = (await readAgain(() => (client as Client).listTools())).tools.map((t) => t.name);
        return names.includes('probe__echo_meta') && names;
      },
      30_000,
    );
    assert.ok(toolsBack.includes('probe__wait_for_cancel'));
    const next = await outcomeText(client.callTool({ name: 'probe__echo_meta', arguments: {} }));
    assert.equal(next.isError, false, next.text);
    const after = await state();
    assert.notEqual(after.pid, pid, 'a new process');
    const status = hub.hub.pool.get('probe')?.status();
    assert.equal(status?.restarts, 1);
  });
});
