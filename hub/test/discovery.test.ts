import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { hashApiKey } from '../src/auth/index.ts';
import type { Principal } from '../src/policy/index.ts';
import { type RunningHub, startHub, waitFor } from './support/harness.ts';

const READER_KEY = 'sk-discovery-reader-0123456789abcd';
const ADMIN_KEY = 'sk-discovery-admin-0123456789abcde';
const admin: Principal = { id: 'key:admin', role: 'admin', kind: 'api-key' } as Principal;
const reader: Principal = { id: 'key:reader', role: 'reader', kind: 'api-key' } as Principal;

interface Found {
  engine: string;
  note?: string;
  tools: { name: string; server: string; callable: boolean; inputSchema: { properties?: Record<string, unknown> } }[];
}

async function client2025(url: string, key: string): Promise<V1Client> {
  const client = new V1Client({ name: 'v1-client', version: '1' });
  await client.connect(new V1Transport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
  return client;
}

/** Built-in servers on their mock backends, spawned by the hub as `switchboard server <name> --mock`. */
const upstreams = {
  sql: { server: 'sql', args: ['--mock'], healthIntervalMs: 0, tags: ['storage'] },
  fs: { server: 'fs', args: ['--mock', '--root', '/srv/work'], healthIntervalMs: 0, tags: ['files'] },
  redis: { server: 'redis', args: ['--mock', '--prefix', 'app:'], healthIntervalMs: 0, tags: ['storage'] },
};

describe('tool discovery: hub__find_tools and hub__call_tool', () => {
  let running: RunningHub;
  let bare: RunningHub;
  const clients: { close(): Promise<void> }[] = [];
  const call = (principal: Principal, name: string, args: Record<string, unknown>, hub = running) =>
    hub.hub.callTool(name, args, { principal, correlationId: `test-${name}` });
  const find = async (principal: Principal, args: Record<string, unknown>, hub = running) => {
    const result = await call(principal, 'hub__find_tools', args, hub);
    assert.ok(!result.isError, JSON.stringify(result.content));
    return result.structuredContent as unknown as Found;
  };

  before(async () => {
    [running, bare] = await Promise.all([
      startHub({
        hub: { http: { allowedHosts: ['127.0.0.1', 'localhost'] } },
        auth: {
          apiKeys: [
            { id: 'reader', role: 'reader', sha256: hashApiKey(READER_KEY) },
            { id: 'admin', role: 'admin', sha256: hashApiKey(ADMIN_KEY) },
          ],
        },
        policy: { roles: { reader: { tools: { allow: ['fs__*', 'redis__get'], deny: ['fs__delete'] } } } },
        quotas: [{ tools: ['redis__get'], callsPerMinute: 2 }],
        upstreams: { ...upstreams, rag: { server: 'rag', args: ['--mock'], healthIntervalMs: 0 } },
        profiles: {
          lazy: { lazy: true },
          'lazy-files': { lazy: true, include: [{ server: 'fs' }] },
        },
      }),
      startHub({ upstreams: { sql: upstreams.sql } }),
    ]);
    const online = (hub: RunningHub, names: string[]) => () => names.every((n) => hub.hub.catalog.resolve(n)?.online === true);
    await waitFor('the mock servers', online(running, ['sql__query', 'fs__read_file', 'redis__get', 'rag__search']), 120_000);
    await waitFor('the mock sql server', online(bare, ['sql__query']), 120_000);
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.all([running?.close(), bare?.close()]);
  });

  it('finds the tool a request means with the rag hybrid search, with its schema', async () => {
    const found = await find(admin, { query: 'run a SELECT statement and return the rows', k: 3 });
    assert.equal(found.engine, 'rag', found.note);
    assert.equal(found.tools[0]?.name, 'sql__query', JSON.stringify(found.tools.map((t) => t.name)));
    assert.ok(found.tools[0]?.inputSchema.properties?.sql, 'the schema comes with the match');
    assert.equal(found.tools[0]?.callable, true);
    const write = await find(admin, { query: 'save this text into a file on disk', k: 3 });
    assert.ok(
      write.tools.some((t) => t.name === 'fs__write_file'),
      JSON.stringify(write.tools.map((t) => t.name)),
    );
  });

  it('never returns a tool the caller may not call, however well it matches', async () => {
    const found = await find(reader, { query: 'how many rows are in the orders table', k: 10 });
    assert.equal(found.engine, 'rag');
    assert.ok(
      found.tools.every((t) => t.name.startsWith('fs__') || t.name === 'redis__get'),
      JSON.stringify(found.tools.map((t) => t.name)),
    );
    const deleting = await find(reader, { query: 'delete a file', k: 10 });
    assert.ok(!deleting.tools.some((t) => t.name === 'fs__delete'), 'denied by the role');
    assert.ok(!deleting.tools.some((t) => t.name.startsWith('hub__find') || t.name.startsWith('hub__call')));
  });

  it('narrows by server and by tags', async () => {
    const fsOnly = await find(admin, { query: 'read a value by key', server: 'fs', k: 5 });
    assert.ok(fsOnly.tools.length > 0 && fsOnly.tools.every((t) => t.server === 'fs'));
    const storage = await find(admin, { query: 'read a value by key', tags: ['storage'], k: 20 });
    assert.ok(storage.tools.length > 0 && storage.tools.every((t) => t.server === 'sql' || t.server === 'redis'));
    assert.ok(storage.tools.some((t) => t.name === 'redis__get'));
  });

  it('answers bad input with a zod error naming the field', async () => {
    const noQuery = await call(admin, 'hub__find_tools', { k: 3 });
    assert.equal(noQuery.isError, true);
    assert.match(JSON.stringify(noQuery.content), /query/);
    const bigK = await call(admin, 'hub__find_tools', { query: 'x', k: 500 });
    assert.match(JSON.stringify(bigK.content), /INVALID_ARGUMENT: k:/);
    const noName = await call(admin, 'hub__call_tool', { arguments: {} });
    assert.match(JSON.stringify(noName.content), /INVALID_ARGUMENT: name:/);
  });

  it('hub__call_tool goes through the same policy, quota and audit as a direct call', async () => {
    const denied = await call(reader, 'hub__call_tool', { name: 'sql__query', arguments: { sql: 'SELECT 1' } });
    assert.equal(denied.isError, true);
    assert.match(JSON.stringify(denied.content), /ACL_DENIED/);
    const ok = await call(admin, 'hub__call_tool', { name: 'sql__query', arguments: { sql: 'SELECT 1 AS one' } });
    assert.ok(!ok.isError, JSON.stringify(ok.content));
    const audit = running.hub.auditStore;
    const deniedRecords = await audit.query({ principal: 'key:reader', tool: 'sql__query' });
    assert.equal(deniedRecords[0]?.outcome, 'denied');
    assert.equal((await audit.query({ principal: 'key:admin', tool: 'sql__query' }))[0]?.outcome, 'ok');
    assert.equal((await audit.query({ principal: 'key:reader', tool: 'hub__call_tool' })).length, 0, 'audited as the tool it called');
    // the reader's budget of 2 redis__get calls a minute is one budget, whichever way the calls come in
    const direct = await call(reader, 'redis__get', { key: 'app:x' });
    const wrapped = await call(reader, 'hub__call_tool', { name: 'redis__get', arguments: { key: 'app:x' } });
    assert.doesNotMatch(JSON.stringify([direct.content, wrapped.content]), /RATE_LIMITED|ACL_DENIED/);
    const limited = await call(reader, 'hub__call_tool', { name: 'redis__get', arguments: { key: 'app:x' } });
    assert.match(JSON.stringify(limited.content), /RATE_LIMITED/);
  });

  it('a lazy profile lists only hub, agent and discovery tools; found tools join a 2025 session with list_changed', async () => {
    const client = await client2025(`${running.origin}/mcp/lazy`, ADMIN_KEY);
    clients.push(client);
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      changed++;
    });
    const listed = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(listed.includes('hub__find_tools') && listed.includes('hub__call_tool'), listed.join(', '));
    assert.ok(
      listed.every((n) => n.startsWith('hub__') || n.startsWith('agent__')),
      listed.join(', '),
    );
    const found = await client.callTool({ name: 'hub__find_tools', arguments: { query: 'list the tables in the database', k: 2 } });
    const names = (found.structuredContent as unknown as Found).tools.map((t) => t.name);
    assert.ok(names.includes('sql__list_tables'), names.join(', '));
    // pinging while waiting keeps the connection busy: an idle gap past the server's keep-alive can
    // race the next request against the socket closing on a loaded machine ("other side closed")
    await waitFor(
      'notifications/tools/list_changed',
      async () => {
        await client.ping();
        return changed > 0;
      },
      30_000,
    );
    const after = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(after.includes('sql__list_tables'), after.join(', '));
    const viaCall = await client.callTool({
      name: 'hub__call_tool',
      arguments: { name: 'sql__query', arguments: { sql: 'SELECT 2 AS two' } },
    });
    assert.ok(!viaCall.isError, JSON.stringify(viaCall.content));
  });

  it('a lazy profile narrowed to one server finds and calls nothing outside it', async () => {
    const client = await client2025(`${running.origin}/mcp/lazy-files`, ADMIN_KEY);
    clients.push(client);
    const found = await client.callTool({ name: 'hub__find_tools', arguments: { query: 'how many rows are in the orders table', k: 10 } });
    const names = (found.structuredContent as unknown as Found).tools.map((t) => t.name);
    assert.ok(names.length > 0 && names.every((n) => n.startsWith('fs__')), names.join(', '));
    await assert.rejects(
      client.callTool({ name: 'hub__call_tool', arguments: { name: 'sql__query', arguments: { sql: 'SELECT 1' } } }),
      /unknown tool/,
    );
  });

  it('without a rag upstream it falls back to a substring match and says so', async () => {
    const found = await find(admin, { query: 'run a read-only sql query', k: 3 }, bare);
    assert.equal(found.engine, 'substring');
    assert.match(found.note ?? '', /no rag upstream/);
    assert.ok(found.tools.some((t) => t.name === 'sql__query'));
  });
});
