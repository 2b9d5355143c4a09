// The hub's direct paths for tools/call (the cost of a call through the hub, docs/reliability.md):
// a 2025-era session's call answered as one JSON body (hub/src/faces/direct-call.ts), and a call to a
// 2025-era HTTP upstream sent as one pooled POST (hub/src/upstreams/direct-http.ts). Each must keep
// what the SDK path gives: log lines, progress, cancellation, timeouts, errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { DirectHttpTransport } from '../hub/src/upstreams/direct-http.ts';
import { firstText, type RunningHub, startHub, waitFor } from '../hub/test/support/harness.ts';
import { type Probe, startHttpProbe } from './faults/support-hub.ts';

const VERSION = '2025-11-25';

/** Counts the calls that took the direct upstream path (and how they ended). */
function spyOnDirectCalls() {
  const original = DirectHttpTransport.prototype.callTool;
  const seen = { calls: 0, notTaken: 0 };
  DirectHttpTransport.prototype.callTool = async function (this: DirectHttpTransport, ...args: Parameters<typeof original>) {
    seen.calls++;
    const answer = await original.apply(this, args);
    if (typeof answer === 'symbol') seen.notTaken++;
    return answer;
  };
  return { seen, restore: () => (DirectHttpTransport.prototype.callTool = original) };
}

/** A raw 2025-era session on the hub: initialize + initialized, then POSTs that show the wire format. */
async function rawSession(url: string, capabilities: Record<string, object> = {}) {
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const init = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: VERSION, capabilities, clientInfo: { name: 'raw', version: '1' } },
    }),
  });
  await init.text();
  const session = init.headers.get('mcp-session-id');
  assert.ok(session, 'initialize opened a session');
  const inSession = { ...headers, 'mcp-session-id': session, 'mcp-protocol-version': VERSION };
  const post = (message: unknown, signal?: AbortSignal) =>
    fetch(url, { method: 'POST', headers: inSession, body: JSON.stringify(message), ...(signal ? { signal } : {}) });
  await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).text();
  return { post };
}

describe('direct tools/call paths', () => {
  let probe: Probe;
  let running: RunningHub;
  let client: Client;
  const spy = spyOnDirectCalls();

  before(async () => {
    probe = await startHttpProbe();
    running = await startHub({ upstreams: { probe: { url: probe.url, healthIntervalMs: 0, timeoutMs: 1500 } } });
    await waitFor('the probe upstream', () => running.hub.pool.get('probe')?.state === 'connected', 60_000);
    client = new Client({ name: 'direct-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
  });
  after(async () => {
    spy.restore();
    await client?.close();
    await running?.close();
    await probe?.close();
  });

  it('sends a call to a 2025-era HTTP upstream in one direct POST, with the correlation id in _meta', async () => {
    const before = spy.seen.calls;
    const result = await client.callTool({
      name: 'probe__echo_meta',
      arguments: {},
      _meta: { 'switchboard/correlationId': 'corr-direct-1' },
    });
    assert.equal(spy.seen.calls, before + 1, 'the call took the direct path');
    assert.equal(spy.seen.notTaken, 0);
    const meta = JSON.parse(firstText(result)).meta as Record<string, unknown>;
    assert.equal(Object.values(meta).includes('corr-direct-1'), true, JSON.stringify(meta));
  });

  it('hands log lines sent on the call stream to the hub (they reach a session that asked for them)', async () => {
    const lines: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      lines.push(String(n.params.data));
    });
    await client.setLoggingLevel('debug');
    const before = spy.seen.calls;
    const result = await client.callTool({ name: 'probe__log', arguments: { level: 'warning', message: 'direct-log-line' } });
    assert.equal(firstText(result), 'logged');
    assert.equal(spy.seen.calls, before + 1);
    await waitFor('the log line', () => lines.some((line) => line.includes('direct-log-line')), 10_000);
  });

  it('leaves a call that wants progress to the SDK path, and the progress arrives', async () => {
    const before = spy.seen.calls;
    const steps: number[] = [];
    const result = await client.callTool({ name: 'probe__progress', arguments: { steps: 3 } }, CallToolResultSchema, {
      onprogress: (p) => steps.push(p.progress),
    });
    assert.equal(firstText(result), 'did 3 steps');
    assert.deepEqual(steps, [1, 2, 3]);
    assert.equal(spy.seen.calls, before, 'a progress call does not take the direct path');
  });

  it('times out a slow call with an explicit error and the upstream sees the cancellation', async () => {
    const cancelledBefore = (await probe.state()).cancelled;
    const result = await client.callTool({ name: 'probe__wait_for_cancel', arguments: {} });
    assert.equal(result.isError, true);
    assert.match(firstText(result), /did not answer .* within 1500 ms; the call was cancelled/);
    await waitFor('the probe to see the cancellation', async () => (await probe.state()).cancelled === cancelledBefore + 1, 10_000);
  });

  it('answers a session call as one JSON body; progress or a sampling client still get a stream', async () => {
    const plain = await rawSession(running.url);
    const answer = await plain.post({
      jsonrpc: '2.0',
      id: 'a1',
      method: 'tools/call',
      params: { name: 'probe__echo_meta', arguments: {} },
    });
    assert.equal(answer.headers.get('content-type'), 'application/json');
    const body = (await answer.json()) as { id: string; result: { content: { text: string }[] } };
    assert.equal(body.id, 'a1');
    assert.match(body.result.content[0]?.text ?? '', /"meta"/);

    const withProgress = await plain.post({
      jsonrpc: '2.0',
      id: 'a2',
      method: 'tools/call',
      params: { name: 'probe__progress', arguments: { steps: 2 }, _meta: { progressToken: 'p' } },
    });
    assert.match(withProgress.headers.get('content-type') ?? '', /text\/event-stream/);
    const stream = await withProgress.text();
    assert.match(stream, /notifications\/progress/);
    assert.match(stream, /did 2 steps/);

    const sampler = await rawSession(running.url, { sampling: {} });
    const sampled = await sampler.post({
      jsonrpc: '2.0',
      id: 'a3',
      method: 'tools/call',
      params: { name: 'probe__echo_meta', arguments: {} },
    });
    assert.match(sampled.headers.get('content-type') ?? '', /text\/event-stream/);
    assert.match(await sampled.text(), /"id":"a3"/);
  });

  it('answers an unknown tool and a malformed call as the SDK path does', async () => {
    const session = await rawSession(running.url);
    const unknown = await session.post({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'probe__nope', arguments: {} } });
    const error = (await unknown.json()) as { id: number; error: { code: number; message: string } };
    assert.equal(error.id, 9);
    assert.equal(error.error.code, -32602);
    assert.match(error.error.message, /probe__nope/);
    // Arguments that are not an object: the SDK path's schema check answers (the direct path declines it).
    const malformed = await session.post({
      jsonrpc: '2.0',
      id: 10,
      method: 'tools/call',
      params: { name: 'probe__echo_meta', arguments: [1] },
    });
    const text = await malformed.text();
    assert.match(text, /"id":10/);
    assert.match(text, /"error"/);
  });

  it('cancels a direct session call on notifications/cancelled, down to the upstream', async () => {
    const session = await rawSession(running.url);
    const cancelledBefore = (await probe.state()).cancelled;
    const call = session.post({
      jsonrpc: '2.0',
      id: 'c1',
      method: 'tools/call',
      params: { name: 'probe__wait_for_cancel', arguments: {} },
    });
    await waitFor('the call to reach the probe', async () => (await probe.state()).waiting > 0, 10_000);
    await (await session.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'c1', reason: 'test' } })).text();
    const answer = await (await call).text();
    assert.match(answer, /"id":"c1"/);
    assert.match(answer, /cancel/i);
    await waitFor('the probe to see the cancellation', async () => (await probe.state()).cancelled === cancelledBefore + 1, 10_000);
  });
});
