import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  LoggingMessageNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { firstText, probeUpstream, type RunningHub, startHub, waitFor } from './support/harness.ts';

/** A 2025-era client (SDK v1) over Streamable HTTP: it gets a session and a GET stream for notifications. */
async function legacyClient(url: string, capabilities: Record<string, object> = {}): Promise<Client> {
  const client = new Client({ name: 'passthrough-test', version: '1' }, { capabilities });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

describe('MCP pass-through (the probe upstream behind the HTTP face)', () => {
  let running: RunningHub;
  let client: Client;

  before(async () => {
    running = await startHub({
      upstreams: { probe: probeUpstream({ restart: { initialDelayMs: 300, maxDelayMs: 1000 }, healthIntervalMs: 0 }) },
    });
    assert.equal(running.hub.pool.get('probe')?.state, 'connected', running.hub.pool.get('probe')?.lastError);
    client = await legacyClient(running.url, { sampling: {} });
  });
  after(async () => {
    await client?.close();
    await running?.close();
  });

  it('keeps outputSchema, annotations and structuredContent', async () => {
    const { tools } = await client.listTools();
    const structured = tools.find((t) => t.name === 'probe__structured');
    assert.deepEqual(structured?.annotations, { readOnlyHint: true, idempotentHint: true });
    assert.deepEqual(Object.keys((structured?.outputSchema ?? {}) as object).includes('properties'), true);
    assert.ok(JSON.stringify(structured?.outputSchema).includes('"doubled"'));
    const result = await client.callTool({ name: 'probe__structured', arguments: { n: 21 } });
    assert.deepEqual(result.structuredContent, { doubled: 42 });
  });

  it('hands the caller’s correlation id and traceparent to the upstream', async () => {
    const traceparent = '00-11112222333344445555666677778888-9999aaaabbbbcccc-01';
    const result = await client.callTool({
      name: 'probe__echo_meta',
      arguments: {},
      _meta: { 'switchboard/correlationId': 'req-7', traceparent },
    });
    const { meta } = JSON.parse(firstText(result)) as { meta: Record<string, string> };
    assert.equal(meta['switchboard/correlationId'], 'req-7');
    assert.match(meta.traceparent ?? '', /^00-11112222333344445555666677778888-/);
  });

  it('forwards progress notifications to a 2025-era and a 2026-era caller', async () => {
    const seen: number[] = [];
    const result = await client.callTool({ name: 'probe__progress', arguments: { steps: 3 } }, CallToolResultSchema, {
      onprogress: (p) => seen.push(p.progress),
    });
    assert.equal(firstText(result), 'did 3 steps');
    assert.deepEqual(seen, [1, 2, 3]);

    const modern = new ModernClient({ name: 'modern', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await modern.connect(new ModernTransport(new URL(running.url)));
    try {
      assert.equal(modern.getProtocolEra(), 'modern');
      const modernSeen: number[] = [];
      await modern.callTool({ name: 'probe__progress', arguments: { steps: 2 } }, { onprogress: (p) => modernSeen.push(p.progress) });
      assert.deepEqual(modernSeen, [1, 2]);
    } finally {
      await modern.close();
    }
  });

  it('forwards upstream log messages at the level the caller set, naming the upstream', async () => {
    const messages: { level: string; logger?: string; data: unknown }[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      messages.push(n.params);
    });
    await client.setLoggingLevel('info');
    await client.callTool({ name: 'probe__log', arguments: { level: 'debug', message: 'quiet' } });
    await client.callTool({ name: 'probe__log', arguments: { level: 'warning', message: 'loud' } });
    const loud = await waitFor('the warning to arrive', () => messages.find((m) => m.data === 'loud'));
    assert.equal(loud.logger, 'probe/probe-logger');
    assert.equal(loud.level, 'warning');
    assert.equal(
      messages.some((m) => m.data === 'quiet'),
      false,
    );
  });

  it('lists and reads namespaced resources and templates', async () => {
    const { resources } = await client.listResources();
    assert.ok(
      resources.some((r) => r.uri === 'probe+probe://status'),
      JSON.stringify(resources),
    );
    const status = await client.readResource({ uri: 'probe+probe://status' });
    assert.equal(status.contents[0]?.uri, 'probe+probe://status');
    assert.ok('text' in (status.contents[0] ?? {}));
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(
      resourceTemplates.map((t) => t.uriTemplate),
      ['probe+probe://notes/{id}'],
    );
    const note = await client.readResource({ uri: 'probe+probe://notes/7' });
    assert.deepEqual(note.contents[0], { uri: 'probe+probe://notes/7', mimeType: 'text/plain', text: 'note 7' });
    await assert.rejects(client.readResource({ uri: 'probe://status' }), /not found.*<server>\+<uri>/);
    await assert.rejects(
      client.subscribeResource({ uri: 'probe+probe://status' }),
      /upstream 'probe' does not offer resource subscriptions/,
    );
  });

  it('lists and gets namespaced prompts, and completes their arguments', async () => {
    const { prompts } = await client.listPrompts();
    assert.deepEqual(
      prompts.map((p) => p.name),
      ['probe__greet'],
    );
    const greeting = await client.getPrompt({ name: 'probe__greet', arguments: { name: 'bob' } });
    assert.deepEqual(greeting.messages[0]?.content, { type: 'text', text: 'Hello, bob!' });
    const completion = await client.complete({
      ref: { type: 'ref/prompt', name: 'probe__greet' },
      argument: { name: 'name', value: 'al' },
    });
    assert.deepEqual(completion.completion.values, ['alice', 'albert']);
    await assert.rejects(client.getPrompt({ name: 'greet' }), /unknown prompt 'greet'/);
  });

  it('sends a sampling request from the upstream to the caller that supports it, and refuses it for one that does not', async () => {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
      model: 'test-model',
      role: 'assistant',
      content: { type: 'text', text: `sampled: ${((request.params.messages[0]?.content ?? {}) as { text?: string }).text}` },
    }));
    const result = await client.callTool({ name: 'probe__sample', arguments: { prompt: 'hi' } });
    assert.equal(firstText(result), 'sampled: hi');

    const plain = await legacyClient(running.url);
    try {
      const refused = await plain.callTool({ name: 'probe__sample', arguments: { prompt: 'hi' } });
      assert.equal(refused.isError, true);
      assert.match(firstText(refused), /cannot forward sampling\/createMessage: the calling client does not support it/);
    } finally {
      await plain.close();
    }
  });

  it('honours a per-call timeout the caller sets in _meta, and forwards its cancellation', async () => {
    const timedOut = await client.callTool({ name: 'probe__sleep', arguments: { ms: 20_000 }, _meta: { 'switchboard/timeoutMs': 250 } });
    assert.equal(timedOut.isError, true);
    assert.match(firstText(timedOut), /^TIMEOUT: upstream 'probe' did not answer sleep within 250 ms/);

    const state = async () =>
      JSON.parse(firstText(await client.callTool({ name: 'probe__state', arguments: {} }))) as { cancelled: number; waiting: number };
    const before = await state();
    const abort = new AbortController();
    const call = client.callTool({ name: 'probe__wait_for_cancel', arguments: {} }, CallToolResultSchema, { signal: abort.signal });
    await waitFor('the upstream to be running the call', async () => (await state()).waiting === 1);
    abort.abort();
    await assert.rejects(call);
    await waitFor('the upstream to see the cancellation', async () => (await state()).cancelled > before.cancelled);
  });

  it('serves Prometheus metrics about the calls, per tool and upstream', async () => {
    const response = await fetch(`${running.origin}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const body = await response.text();
    if (process.env.SHOW_METRICS) console.log(body);
    assert.match(body, /switchboard_tool_calls_total\{tool="probe__echo_meta",upstream="probe",outcome="ok"\} 1/);
    assert.match(body, /switchboard_tool_call_errors_total\{tool="probe__sleep",upstream="probe",code="TIMEOUT"\} 1/);
    assert.match(body, /switchboard_tool_call_duration_seconds_count\{tool="probe__progress",upstream="probe"\} 2/);
    assert.match(body, /switchboard_upstream_breaker_state\{upstream="probe"\} 0/);
    assert.match(body, /switchboard_upstream_up\{upstream="probe"\} 1/);
    assert.match(body, /switchboard_mcp_sessions\{transport="http"\} [1-9]/);
  });

  it('reports each upstream on /ready', async () => {
    const ready = (await (await fetch(`${running.origin}/ready`)).json()) as { ready: boolean; upstreams: Record<string, unknown>[] };
    assert.equal(ready.ready, true);
    const [probe] = ready.upstreams;
    assert.equal(probe?.name, 'probe');
    assert.equal(probe?.state, 'connected');
    assert.equal(probe?.transport, 'stdio');
    assert.deepEqual(probe?.breaker, { state: 'closed', consecutiveFailures: 0, retryInMs: 0 });
    assert.equal(typeof probe?.connectedSince, 'string');
  });

  it('restarts a crashed upstream and tells a connected client the tool list changed, twice', async () => {
    let notified = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notified++;
    });
    const seen: boolean[] = [];
    running.hub.catalog.on('changed', (c) => {
      if (c.tools) seen.push(running.hub.catalog.list().some((t) => t.upstream === 'probe'));
    });
    await client.callTool({ name: 'probe__crash', arguments: {} });
    await waitFor('two list_changed notifications', () => notified >= 2, 90_000);
    assert.deepEqual(seen.slice(0, 2), [false, true], 'the tools left the catalogue, then came back');
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'probe__echo_meta'));
    const ready = (await (await fetch(`${running.origin}/ready`)).json()) as { upstreams: { restarts: number }[] };
    assert.equal(ready.upstreams[0]?.restarts, 1);
  });
});
