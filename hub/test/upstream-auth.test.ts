// Upstreams that need credentials: the hub presents its own (static headers, headers and bearer
// tokens from env / *_FILE / files, OAuth client-credentials tokens cached and renewed) and never
// its caller's. The upstreams here refuse any request without the right credential, and record
// every header they were sent, so a forwarded caller token would be seen.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { z } from 'zod';
import { hashApiKey } from '../src/auth/index.ts';
import { firstText, type RunningHub, startHub, waitFor } from './support/harness.ts';

/** The caller's key for the hub: it must never reach an upstream. */
const CALLER_KEY = 'sk-caller-0123456789abcdef-never-upstream';
const STATIC_TOKEN = 'upstream-static-token-from-file';
const API_KEY_VALUE = 'upstream-api-key-from-env-file';
const CLIENT_SECRET = 'oauth-client-secret-from-env';

interface Guarded {
  url: string;
  /** Every header value of every request, by header name. */
  seen: Map<string, string[]>;
  /** Requests refused for a missing or wrong credential. */
  refused: number;
  close(): Promise<void>;
}

/** A both-eras MCP server that answers only requests `accepts` lets through (401 otherwise). */
async function startGuardedUpstream(name: string, accepts: (headers: Headers) => boolean): Promise<Guarded> {
  const handler = createMcpHandler(
    () => {
      const server = new McpServer({ name, version: '1.0.0' }, { capabilities: { tools: {} } });
      server.registerTool('whoami', { description: 'Names the server', inputSchema: z.object({}) }, async () => ({
        content: [{ type: 'text' as const, text: `${name} answered` }],
      }));
      return server;
    },
    { legacy: 'stateless' },
  );
  const guarded: Guarded = { url: '', seen: new Map(), refused: 0, close: async () => {} };
  const app = new Hono();
  app.all('/mcp', async (c) => {
    for (const [header, value] of c.req.raw.headers) guarded.seen.set(header, [...(guarded.seen.get(header) ?? []), value]);
    if (!accepts(c.req.raw.headers)) {
      guarded.refused++;
      return c.json({ error: 'invalid_token' }, 401, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    return handler.fetch(c.req.raw);
  });
  const server = await listen(app);
  guarded.url = `${server.url}/mcp`;
  guarded.close = async () => {
    await handler.close();
    await server.close();
  };
  return guarded;
}

async function listen(app: Hono): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An OAuth token endpoint (client credentials, client_secret_basic) issuing tok-1, tok-2, … */
async function startTokenEndpoint(onIssue: (token: string) => void) {
  const state = { issued: [] as string[], grants: [] as Record<string, string>[], url: '', close: async () => {} };
  const app = new Hono();
  app.post('/token', async (c) => {
    const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
    state.grants.push(form);
    const basic = Buffer.from((c.req.header('authorization') ?? '').replace(/^Basic /, ''), 'base64').toString();
    if (form.grant_type !== 'client_credentials' || basic !== `hub-client:${CLIENT_SECRET}`)
      return c.json({ error: 'invalid_client' }, 401);
    const token = `tok-${state.issued.length + 1}`;
    state.issued.push(token);
    onIssue(token);
    return c.json({ access_token: token, token_type: 'Bearer', expires_in: 3600 });
  });
  const server = await listen(app);
  state.url = `${server.url}/token`;
  state.close = server.close;
  return state;
}

async function callerClient2025(url: string): Promise<V1Client> {
  const client = new V1Client({ name: 'caller-2025', version: '1' });
  await client.connect(new V1Transport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${CALLER_KEY}` } } }));
  return client;
}

async function callerClient2026(url: string): Promise<Client> {
  const client = new Client({ name: 'caller-2026', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${CALLER_KEY}` } } }),
  );
  return client;
}

/** Every value an upstream was sent, in any header. */
const allValues = (g: Guarded) => [...g.seen.values()].flat();

describe('upstreams that need credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upstream-auth-'));
  /** The OAuth upstream's currently valid tokens: the test revokes one to force a renewal. */
  const validOAuthTokens = new Set<string>();
  let headed: Guarded;
  let oauth: Guarded;
  let tokens: Awaited<ReturnType<typeof startTokenEndpoint>>;
  let running: RunningHub;
  const clients: { close(): Promise<void> }[] = [];
  const savedEnv = { ...process.env };

  before(async () => {
    writeFileSync(join(dir, 'static-token'), `${STATIC_TOKEN}\n`);
    writeFileSync(join(dir, 'api-key'), API_KEY_VALUE);
    // The *_FILE convention for headersFromEnv, a plain variable for the client secret.
    process.env.SB_TEST_UPSTREAM_API_KEY_FILE = join(dir, 'api-key');
    process.env.SB_TEST_OAUTH_SECRET = CLIENT_SECRET;
    headed = await startGuardedUpstream(
      'headed',
      (h) => h.get('authorization') === `Bearer ${STATIC_TOKEN}` && h.get('x-api-key') === API_KEY_VALUE && h.get('x-tenant') === 'acme',
    );
    oauth = await startGuardedUpstream('oauth', (h) => validOAuthTokens.has((h.get('authorization') ?? '').replace(/^Bearer /, '')));
    // A token is valid from when it is issued (until the test revokes it).
    tokens = await startTokenEndpoint((token) => validOAuthTokens.add(token));
    running = await startHub({
      hub: { http: { allowedHosts: ['127.0.0.1', 'localhost'] } },
      auth: { apiKeys: [{ id: 'caller', role: 'admin', sha256: hashApiKey(CALLER_KEY) }] },
      upstreams: {
        headed: {
          url: headed.url,
          healthIntervalMs: 0,
          headers: { 'X-Tenant': 'acme' },
          headersFromEnv: { 'X-Api-Key': 'SB_TEST_UPSTREAM_API_KEY' },
          auth: { type: 'bearer', tokenFile: join(dir, 'static-token') },
        },
        oauth: {
          url: oauth.url,
          healthIntervalMs: 0,
          auth: {
            type: 'oauth-client-credentials',
            tokenUrl: tokens.url,
            clientId: 'hub-client',
            clientSecretEnv: 'SB_TEST_OAUTH_SECRET',
            scope: 'mcp:tools',
            resource: oauth.url,
          },
        },
      },
    });
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await running?.close();
    await Promise.allSettled([headed?.close(), oauth?.close(), tokens?.close()]);
    process.env = savedEnv;
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with static headers, a header from a *_FILE secret and a bearer token from a file', async () => {
    const upstream = running.hub.pool.get('headed');
    await waitFor('headed to connect', () => upstream?.state === 'connected', 30_000).catch(() => {});
    assert.equal(upstream?.state, 'connected', upstream?.lastError);
    const client = await callerClient2025(running.url);
    clients.push(client);
    assert.equal(firstText(await client.callTool({ name: 'headed__whoami', arguments: {} })), 'headed answered');
    assert.equal(headed.refused, 0, 'every request carried the configured credentials');
    assert.ok((headed.seen.get('authorization') ?? []).every((v) => v === `Bearer ${STATIC_TOKEN}`));
  });

  it('gets an OAuth client-credentials token once, sends it on every request, and renews it when refused', async () => {
    const upstream = running.hub.pool.get('oauth');
    await waitFor('oauth to connect', () => upstream?.state === 'connected', 30_000).catch(() => {});
    assert.equal(upstream?.state, 'connected', upstream?.lastError);
    assert.deepEqual(tokens.issued, ['tok-1']);
    assert.equal(tokens.grants[0]?.scope, 'mcp:tools');
    assert.equal(tokens.grants[0]?.resource, oauth.url);
    const client = await callerClient2026(running.url);
    clients.push(client);
    for (let i = 0; i < 5; i++) assert.equal(firstText(await client.callTool({ name: 'oauth__whoami', arguments: {} })), 'oauth answered');
    assert.deepEqual(tokens.issued, ['tok-1'], 'the token is cached, not fetched per call');
    // The authorization server revokes the token: the next call is refused once, renewed, retried.
    validOAuthTokens.delete('tok-1');
    assert.equal(firstText(await client.callTool({ name: 'oauth__whoami', arguments: {} })), 'oauth answered');
    assert.deepEqual(tokens.issued, ['tok-1', 'tok-2']);
    assert.equal(oauth.refused, 1);
    assert.equal(oauth.seen.get('authorization')?.at(-1), 'Bearer tok-2');
  });

  it('never passes the caller’s token (or any header carrying it) to an upstream, in either era', async () => {
    // Both eras have called through the hub with CALLER_KEY by now (tests above); call once more each.
    const v1 = await callerClient2025(running.url);
    const v2 = await callerClient2026(running.url);
    clients.push(v1, v2);
    await v1.callTool({ name: 'oauth__whoami', arguments: {} });
    await v2.callTool({ name: 'headed__whoami', arguments: {} });
    for (const upstream of [headed, oauth]) {
      const values = allValues(upstream);
      assert.ok(values.length > 0, 'the upstream recorded requests');
      const leaked = values.filter((v) => v.includes(CALLER_KEY));
      assert.deepEqual(leaked, [], 'the caller’s key reached an upstream');
    }
  });

  it('refuses a config that names two sources for one secret, naming the field', async () => {
    const { HubConfigSchema } = await import('../src/config/index.ts');
    const parsed = HubConfigSchema.safeParse({
      auth: 'none',
      upstreams: { x: { url: 'http://127.0.0.1:1/mcp', auth: { type: 'bearer', token: 'a', tokenFile: 'b' } } },
    });
    assert.equal(parsed.success, false);
    const issue = parsed.error?.issues[0];
    assert.deepEqual(issue?.path.slice(0, 3), ['upstreams', 'x', 'auth']);
    assert.match(issue?.message ?? '', /exactly one of token, tokenEnv, tokenFile/);
  });
});
