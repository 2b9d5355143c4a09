import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { stringify } from 'yaml';
import { type RunningUpstream, startV2Upstream } from '../hub/test/support/era-upstreams.ts';
import { type Started, startListening } from './support/processes.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

async function redisUnavailable(): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `no Redis at ${new URL(REDIS_URL).host} (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
}

async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return `no Postgres at ${new URL(DATABASE_URL).host} (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

interface RpcMessage {
  result?: { tools?: { name: string }[]; content?: { text: string }[] } & Record<string, unknown>;
  error?: { code: number; message: string };
}

/** One JSON-RPC exchange over Streamable HTTP; the answer may come as JSON or as one SSE event. */
async function rpc(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; session: string | null; message: RpcMessage }> {
  const response = await fetch(url, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  const data = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? '');
  return {
    status: response.status,
    session: response.headers.get('mcp-session-id'),
    message: data ? (JSON.parse(data) as RpcMessage) : {},
  };
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'replica-test', version: '1' } },
};

/** Two hub processes on one session store: a 2025-era session opened on one is served by the other. */
for (const store of ['redis', 'postgres'] as const) {
  describe(`MCP sessions shared by two hub replicas (${store})`, async () => {
    const reason = store === 'redis' ? await redisUnavailable() : await postgresUnavailable();
    if (reason !== undefined) {
      if (process.env.REQUIRE_SERVICES === '1') it(`${store} is reachable`, () => assert.fail(`REQUIRE_SERVICES=1 but ${reason}`));
      else it(`skipped: ${reason}`, { skip: reason }, () => {});
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), `sb-replicas-${store}-`));
    const keyPrefix = `sbtest:sessions:${suffix}:`;
    const schema = `sbtest_sessions_${suffix}`;
    let upstream: RunningUpstream;
    let a: Started;
    let b: Started;

    before(async () => {
      upstream = await startV2Upstream('both', 'docs');
      const sessions = store === 'redis' ? { store, url: REDIS_URL, keyPrefix } : { store, url: DATABASE_URL, schema };
      const configFor = (name: string) => {
        const file = join(dir, `${name}.yaml`);
        writeFileSync(
          file,
          stringify({
            hub: { name, dataDir: join(dir, name), http: { host: '127.0.0.1', port: 0, sessions } },
            auth: 'none',
            audit: { store: 'memory' },
            tasks: { store: 'memory' },
            upstreams: { docs: { url: upstream.url, healthIntervalMs: 0 } },
          }),
        );
        return file;
      };
      [a, b] = await Promise.all([
        startListening(['serve', '--http', '--config', configFor('replica-a')], 180_000),
        startListening(['serve', '--http', '--config', configFor('replica-b')], 180_000),
      ]);
    });
    after(async () => {
      await Promise.allSettled([a?.stop(), b?.stop()]);
      await upstream?.close();
      rmSync(dir, { recursive: true, force: true });
      if (store === 'redis') {
        const redis = new Redis(REDIS_URL);
        const keys = await redis.keys(`${keyPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      } else {
        const client = new pg.Client({ connectionString: DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    });

    /** The session's record as the store holds it. */
    const storedRecord = async (id: string): Promise<{ logLevel?: string } | undefined> => {
      if (store === 'redis') {
        const redis = new Redis(REDIS_URL);
        const text = await redis.get(`${keyPrefix}${id}`);
        redis.disconnect();
        return text === null ? undefined : JSON.parse(text);
      }
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      const { rows } = await client.query(`SELECT record FROM "${schema}".mcp_sessions WHERE id = $1`, [id]);
      await client.end();
      return rows[0]?.record;
    };

    it('serves on replica B a session opened on replica A: list, call, and its log level', async () => {
      const opened = await rpc(a.url, initialize);
      assert.equal(opened.status, 200);
      const session = opened.session as string;
      assert.ok(session, 'replica A opened a session');
      const headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
      assert.equal((await rpc(a.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status, 202);
      assert.deepEqual(
        (await rpc(a.url, { jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'warning' } }, headers)).message.result,
        {},
      );

      const listed = await rpc(b.url, { jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} }, headers);
      assert.equal(listed.status, 200, JSON.stringify(listed.message));
      assert.ok(listed.message.result?.tools?.some((t) => t.name === 'docs__echo'));
      const called = await rpc(
        b.url,
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'docs__echo', arguments: { text: 'across replicas' } } },
        headers,
      );
      assert.equal(called.message.result?.content?.[0]?.text, 'across replicas');
      // The log level the client set on A is kept where B finds it.
      assert.equal((await storedRecord(session))?.logLevel, 'warning');
      // And back on A, which still holds it.
      assert.equal((await rpc(a.url, { jsonrpc: '2.0', id: 5, method: 'ping' }, headers)).status, 200);
    });

    it('a session closed (DELETE) on one replica is gone on the other', async () => {
      const opened = await rpc(b.url, { ...initialize, id: 10 });
      const headers = { 'mcp-session-id': opened.session as string, 'mcp-protocol-version': '2025-11-25' };
      await rpc(b.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
      assert.equal((await rpc(a.url, { jsonrpc: '2.0', id: 11, method: 'ping' }, headers)).status, 200, 'A serves it first');
      const deleted = await fetch(b.url, { method: 'DELETE', headers });
      assert.equal(deleted.status, 200);
      const after = await rpc(a.url, { jsonrpc: '2.0', id: 12, method: 'ping' }, headers);
      assert.equal(after.status, 404);
      assert.match(JSON.stringify(after.message), /start a new session with initialize/);
    });

    it('an unknown session id is refused with 404 on every replica', async () => {
      const headers = { 'mcp-session-id': 'not-a-session', 'mcp-protocol-version': '2025-11-25' };
      for (const replica of [a, b]) assert.equal((await rpc(replica.url, { jsonrpc: '2.0', id: 20, method: 'ping' }, headers)).status, 404);
    });
  });
}
