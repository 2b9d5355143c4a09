import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { firstText, type RunningHub, repoRoot, startHub, type TextBlock, waitFor } from './support/harness.ts';

const serverScript = (name: string) => join(repoRoot, 'node_modules', '@modelcontextprotocol', name, 'dist', 'index.js');

/**
 * The hub fronting MCP servers it did not write, from npm: the reference "everything" server (every
 * protocol feature) and the reference filesystem server, both over stdio, used through the hub's
 * HTTP face by a 2025-era client.
 */
describe('third-party servers behind the hub', () => {
  const root = mkdtempSync(join(tmpdir(), 'hub-fs-'));
  let running: RunningHub;
  let client: Client;
  const logs: { level: string; logger?: string }[] = [];
  const updated: string[] = [];

  before(async () => {
    writeFileSync(join(root, 'hello.txt'), 'hello from the filesystem server\n');
    running = await startHub({
      upstreams: {
        everything: { command: process.execPath, args: [serverScript('server-everything'), 'stdio'], healthIntervalMs: 0 },
        filesystem: { command: process.execPath, args: [serverScript('server-filesystem'), root], healthIntervalMs: 0 },
      },
    });
    for (const name of ['everything', 'filesystem']) {
      const upstream = running.hub.pool.get(name);
      assert.equal(upstream?.state, 'connected', `${name}: ${upstream?.lastError}`);
    }
    client = new Client({ name: 'third-party-test', version: '1' }, { capabilities: { sampling: {}, elicitation: {} } });
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updated.push(n.params.uri);
    });
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      model: 'fake',
      role: 'assistant',
      content: { type: 'text', text: 'a sampled answer' },
    }));
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'decline' }));
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
  });
  after(async () => {
    await client?.close();
    await running?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists both servers’ tools under their namespaces, with annotations and output schemas kept', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const name of [
      'everything__echo',
      'everything__get-sum',
      'everything__get-structured-content',
      'filesystem__read_text_file',
      'filesystem__write_file',
    ]) {
      assert.ok(names.includes(name), `${name} missing from ${names.join(', ')}`);
    }
    const echo = tools.find((t) => t.name === 'everything__echo');
    assert.equal(echo?.annotations?.readOnlyHint, true);
    assert.ok(tools.find((t) => t.name === 'everything__get-structured-content')?.outputSchema);
  });

  it('calls everything’s tools, structured content included', async () => {
    assert.equal(firstText(await client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } })), 'Echo: hi');
    const sum = await client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 3 } });
    assert.match(firstText(sum), /5/);
    const weather = await client.callTool({ name: 'everything__get-structured-content', arguments: { location: 'New York' } });
    assert.equal(typeof (weather.structuredContent as { temperature?: unknown }).temperature, 'number');
  });

  it('reads and writes files through the filesystem server', async () => {
    const read = await client.callTool({ name: 'filesystem__read_text_file', arguments: { path: join(root, 'hello.txt') } });
    assert.match(firstText(read), /hello from the filesystem server/);
    const write = await client.callTool({
      name: 'filesystem__write_file',
      arguments: { path: join(root, 'new.txt'), content: 'written via the hub' },
    });
    assert.equal(write.isError ?? false, false, firstText(write));
    assert.equal(readFileSync(join(root, 'new.txt'), 'utf8'), 'written via the hub');
    const outside = await client.callTool({ name: 'filesystem__read_text_file', arguments: { path: '/etc/passwd' } });
    assert.equal(outside.isError, true, 'the server’s own root confinement still applies');
  });

  it('passes progress of a long-running operation through', async () => {
    const progress: number[] = [];
    const result = await client.callTool(
      { name: 'everything__trigger-long-running-operation', arguments: { duration: 1, steps: 3 } },
      CallToolResultSchema,
      { onprogress: (p) => progress.push(p.progress) },
    );
    assert.match(firstText(result), /Long running operation completed/);
    assert.deepEqual(progress, [1, 2, 3]);
  });

  it('serves everything’s resources, templates, subscriptions and updates under namespaced URIs', async () => {
    const { resources } = await client.listResources();
    const doc = resources.find((r) => r.uri === 'everything+demo://resource/static/document/architecture.md');
    assert.ok(doc, JSON.stringify(resources.map((r) => r.uri)));
    const read = await client.readResource({ uri: doc.uri });
    assert.equal(read.contents[0]?.uri, doc.uri);
    assert.ok(((read.contents[0] as { text?: string }).text ?? '').length > 0);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.ok(resourceTemplates.some((t) => t.uriTemplate === 'everything+demo://resource/dynamic/text/{resourceId}'));
    const dynamic = await client.readResource({ uri: 'everything+demo://resource/dynamic/text/3' });
    assert.equal(dynamic.contents[0]?.uri, 'everything+demo://resource/dynamic/text/3');

    await client.subscribeResource({ uri: 'everything+demo://resource/dynamic/text/3' });
    await client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    await waitFor('a resource update', () => updated.includes('everything+demo://resource/dynamic/text/3'), 30_000);
    await client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    await client.unsubscribeResource({ uri: 'everything+demo://resource/dynamic/text/3' });
  });

  it('serves everything’s prompts and completions', async () => {
    const { prompts } = await client.listPrompts();
    assert.ok(prompts.some((p) => p.name === 'everything__simple-prompt'));
    const simple = await client.getPrompt({ name: 'everything__simple-prompt' });
    assert.ok(simple.messages.length > 0);
    const args = await client.getPrompt({ name: 'everything__args-prompt', arguments: { city: 'Lisbon' } });
    assert.match(((args.messages[0]?.content ?? {}) as Partial<TextBlock>).text ?? '', /Lisbon/);
    const completion = await client.complete({
      ref: { type: 'ref/prompt', name: 'everything__completable-prompt' },
      argument: { name: 'department', value: 'E' },
    });
    assert.ok(completion.completion.values.includes('Engineering'), JSON.stringify(completion));
  });

  it('relays everything’s sampling and elicitation requests to the caller', async () => {
    const sampled = await client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'say hi' } });
    assert.match(JSON.stringify(sampled.content), /a sampled answer/);
    const elicited = await client.callTool({ name: 'everything__trigger-elicitation-request', arguments: {} });
    assert.match(JSON.stringify(elicited.content), /declined/);
  });

  it('passes everything’s log messages on at the level the caller chose', async () => {
    await client.setLoggingLevel('debug');
    await client.callTool({ name: 'everything__toggle-simulated-logging', arguments: {} });
    try {
      const entry = await waitFor('a log message from everything', () => logs.find((l) => l.logger?.startsWith('everything')), 30_000);
      assert.ok(entry.level);
    } finally {
      await client.callTool({ name: 'everything__toggle-simulated-logging', arguments: {} });
    }
  });
});
