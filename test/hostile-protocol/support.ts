// Shared by the hostile-input tests: an in-process hub on a real loopback socket (so Host, Origin
// and body limits are the real ones), with API keys for two principals and a JWT issuer, and a raw
// POST that can send anything (fetch refuses to forge Host or send invalid JSON for us).
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { Hub, hashApiKey, parseHubConfig, serveHubHttp } from '@switchboard/hub';
import { Hono } from 'hono';
import pino from 'pino';
import { z } from 'zod';
import { cli, repoRoot } from '../support/processes.ts';

export const KEYS = { alice: 'sb_hostile_alice_key_0123456789abcdef', bob: 'sb_hostile_bob_key_0123456789abcdef' };
export const JWT_SECRET = 'hostile-test-hmac-secret-at-least-32-chars';
export const hostileUpstreamPath = join(repoRoot, 'test/hostile-protocol/fixtures/hostile-upstream.ts');
export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';
/** What a 2026-07-28 request carries in `_meta` instead of an initialize handshake. */
export const modernMeta = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'hostile', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** A stdio upstream running the hostile fixture, with extra env (its description, its label). */
export function hostileUpstream(env: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', hostileUpstreamPath],
    cwd: repoRoot,
    env: { LOG_LEVEL: 'warn', ...env },
    healthIntervalMs: 0,
    ...extra,
  };
}

export interface HostileHub {
  hub: Hub;
  url: string;
  lines: string[];
  close(): Promise<void>;
}

/** A hub with `auth` required: alice and bob (both admin, different principals) and HS256 JWTs. */
export async function startHostileHub(upstreams: Record<string, unknown>, hub: Record<string, unknown> = {}): Promise<HostileHub> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-hostile-'));
  const config = parseHubConfig(
    JSON.stringify({
      hub: { name: 'hostile', dataDir: dir, ...hub },
      upstreams,
      audit: { store: 'memory' },
      auth: {
        apiKeys: [
          { id: 'alice', role: 'admin', sha256: hashApiKey(KEYS.alice) },
          { id: 'bob', role: 'admin', sha256: hashApiKey(KEYS.bob) },
        ],
        jwt: { issuer: 'https://issuer.test', audience: 'http://127.0.0.1/mcp', secret: JWT_SECRET, defaultRole: 'admin' },
      },
    }),
    'hostile.yaml',
    {},
  );
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const started = await Hub.start({
    loaded: { config, source: 'hostile.yaml', baseDir: dir, rolesDir: undefined },
    roles: [],
    logger,
    selfCommand: [process.execPath, cli],
  });
  // The hub serves before slow upstreams finish starting (startupWaitMs); these tests need them all.
  for (const deadline = Date.now() + 60_000; !started.status().ready; await new Promise((r) => setTimeout(r, 50)))
    if (Date.now() > deadline) throw new Error(`upstreams not connected: ${JSON.stringify(started.status().upstreams)}`);
  const face = await serveHubHttp(started, '127.0.0.1', 0);
  return {
    hub: started,
    url: face.url,
    lines,
    close: async () => {
      await face.close();
      await started.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The JSON-RPC message in the body (plain JSON or the first SSE `data:`), if any. */
  message: { id?: unknown; result?: unknown; error?: { code: number; message: string } } | undefined;
}

/** POSTs `body` (a string is sent as is) with alice's token unless `headers` say otherwise. */
export function rawPost(url: string, body: unknown, headers: Record<string, string> = {}, path = ''): Promise<RawAnswer> {
  const target = new URL(url + path);
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${KEYS.alice}`,
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, message: messageOf(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function messageOf(text: string): RawAnswer['message'] {
  const data = /^data: (.*)$/m.exec(text)?.[1] ?? text;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** Headers a modern (2026-07-28) tools/call must carry, matching its body. */
export const modernCall = (name: string) => ({ 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': name });

/** A 2025-era session for `token`: its id, for raw requests. */
export async function openSession(url: string, token = KEYS.alice): Promise<string> {
  const opened = await rawPost(
    url,
    {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    },
    { authorization: `Bearer ${token}` },
  );
  const id = opened.headers['mcp-session-id'];
  if (typeof id !== 'string') throw new Error(`no session opened: ${opened.status} ${opened.text}`);
  await rawPost(
    url,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { authorization: `Bearer ${token}`, 'mcp-session-id': id, 'mcp-protocol-version': LEGACY },
  );
  return id;
}

export interface RecordingUpstream {
  url: string;
  /** Every request's headers, lower-cased, as the upstream received them. */
  headers: Record<string, string>[];
  bodies: string[];
  close(): Promise<void>;
}

/** An HTTP MCP upstream (both eras) that records every request it gets: headers and bodies. */
export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const headers: Record<string, string>[] = [];
  const bodies: string[] = [];
  const factory = () => {
    const server = new McpServer({ name: 'recorder', version: '1.0.0' });
    server.registerTool('echo', { description: 'Echoes text', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text' as const, text }],
    }));
    return server;
  };
  const handler = createMcpHandler(factory, { legacy: 'stateless' });
  const app = new Hono();
  app.all('/mcp', async (c) => {
    headers.push(Object.fromEntries(c.req.raw.headers.entries()));
    bodies.push(c.req.method === 'POST' ? await c.req.raw.clone().text() : '');
    return handler.fetch(c.req.raw);
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    headers,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
