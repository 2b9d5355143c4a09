// `sql__query` latency: the sql server over stdio (and over an in-memory transport, to show what the
// transport costs) vs. `pg` directly, and vs. the reference `@modelcontextprotocol/server-postgres`
// over stdio, on the same 1-row and 1,000-row selects, in the same run, against the PostgreSQL at
// DATABASE_URL. Every side reads as the same least-privilege role the sql server requires.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { createServer, PostgresBackend, SqlConfigSchema } from '@switchboard/server-sql';
import pg from 'pg';
import { type BenchFigure, median, percentile } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');
const referenceServer = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-postgres/dist/index.js');
const env = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' };
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Call = () => Promise<void>;

async function stdioClient(args: string[]): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args, cwd: root, env, stderr: 'ignore' }));
  return client;
}

function toolCall(
  client: Client,
  sql: string,
  expectRows: number,
  parse: (result: Awaited<ReturnType<Client['callTool']>>) => unknown[],
): Call {
  return async () => {
    const result = await client.callTool({ name: 'query', arguments: { sql } });
    if (result.isError) throw new Error(`query failed during the benchmark: ${JSON.stringify(result.content)}`);
    const rows = parse(result);
    if (rows.length !== expectRows) throw new Error(`expected ${expectRows} rows, got ${rows.length}`);
  };
}

const ours = (result: Awaited<ReturnType<Client['callTool']>>) => (result.structuredContent as { rows: unknown[] }).rows;
const reference = (result: Awaited<ReturnType<Client['callTool']>>) =>
  JSON.parse((result.content as { text: string }[])[0]?.text ?? '[]') as unknown[];

async function time(call: Call): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

/** Interleaved blocks, so drift on a shared machine hits every side alike. */
async function measure(sides: Record<string, Call>, calls: number): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(sides).map((name) => [name, []]));
  for (const call of Object.values(sides)) for (let i = 0; i < 20; i++) await call();
  const block = 25;
  for (let done = 0; done < calls; done += block)
    for (const [name, call] of Object.entries(sides)) for (let i = 0; i < block; i++) samples[name]?.push(await time(call));
  return samples;
}

async function setUp() {
  const name = `sb_sql_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: adminUrl, max: 1 });
  await admin.query(`CREATE SCHEMA ${name}; CREATE ROLE ${name} LOGIN;
CREATE TABLE ${name}.items (id integer PRIMARY KEY, name text NOT NULL, qty integer NOT NULL, created timestamptz NOT NULL);
INSERT INTO ${name}.items SELECT g, 'item ' || g, g % 97, '2024-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 1000) g;
GRANT USAGE ON SCHEMA ${name} TO ${name}; GRANT SELECT ON ${name}.items TO ${name};`);
  const url = new URL(adminUrl);
  url.username = name;
  url.password = '';
  return {
    schema: name,
    url: url.toString(),
    teardown: async () => {
      await admin.query(`DROP SCHEMA ${name} CASCADE; DROP OWNED BY ${name}; DROP ROLE ${name};`);
      await admin.end();
    },
  };
}

export async function run(calls = Number(process.env.BENCH_CALLS ?? 300)): Promise<BenchFigure[]> {
  const db = await setUp();
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  const server = await stdioClient([cli, 'server', 'sql', '--url', db.url, '--max-rows', '1000']);
  const referenceClient = await stdioClient([referenceServer, db.url]);
  const config = SqlConfigSchema.parse({ url: db.url, maxRows: 1000 });
  const backend = new PostgresBackend({ url: db.url, poolSize: 1, allowSuperuser: false });
  const mcp = createServer(backend, config).server;
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await mcp.connect(serverSide);
  const inMemory = new Client({ name: 'bench', version: '1' });
  await inMemory.connect(clientSide);
  try {
    const figures: BenchFigure[] = [];
    for (const [label, where, rows, n] of [
      ['1-row', 'WHERE id = 42', 1, calls],
      ['1,000-row', 'ORDER BY id', 1000, Math.max(50, Math.round(calls / 3))],
    ] as const) {
      const sql = `SELECT id, name, qty, created FROM ${db.schema}.items ${where}`;
      const samples = await measure(
        {
          pg: async () => {
            const result = await pool.query(sql);
            if (result.rows.length !== rows) throw new Error('pg returned the wrong row count');
          },
          server: toolCall(server, sql, rows, ours),
          inMemory: toolCall(inMemory, sql, rows, ours),
          reference: toolCall(referenceClient, sql, rows, reference),
        },
        n,
      );
      const m = Object.fromEntries(Object.entries(samples).map(([side, values]) => [side, median(values)])) as Record<string, number>;
      const p99 = (side: string) => percentile(samples[side] ?? [], 99);
      const common = {
        calls: samples.pg?.length ?? 0,
        pgMedianMs: m.pg as number,
        serverStdioMedianMs: m.server as number,
        serverInMemoryMedianMs: m.inMemory as number,
        referenceStdioMedianMs: m.reference as number,
        serverP99Ms: p99('server'),
        referenceP99Ms: p99('reference'),
      };
      figures.push(
        {
          name: `sql__query ${label} select (server over stdio vs pg)`,
          ratioOf: 'server median / pg median',
          ratio: (m.server as number) / (m.pg as number),
          figures: common,
        },
        {
          name: `sql__query ${label} select (server in-memory transport vs pg)`,
          ratioOf: 'in-memory server median / pg median',
          ratio: (m.inMemory as number) / (m.pg as number),
          figures: { pgMedianMs: m.pg as number, serverInMemoryMedianMs: m.inMemory as number },
        },
        {
          name: `sql__query ${label} select (server vs reference server-postgres, both stdio)`,
          ratioOf: 'server median / reference median',
          ratio: (m.server as number) / (m.reference as number),
          figures: { serverStdioMedianMs: m.server as number, referenceStdioMedianMs: m.reference as number },
        },
      );
    }
    return figures;
  } finally {
    await Promise.allSettled([server.close(), referenceClient.close(), inMemory.close()]);
    await Promise.allSettled([mcp.close(), backend.close(), pool.end()]);
    await db.teardown();
  }
}
