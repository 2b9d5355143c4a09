import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/server';
import pg from 'pg';
import type { SqlBackend } from '../src/backend.ts';
import { MemorySqlBackend } from '../src/backend-mock.ts';
import { PostgresBackend } from '../src/backend-real.ts';
import { type SqlConfig, SqlConfigSchema } from '../src/config.ts';
import { createServer } from '../src/server.ts';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** What the suites need from a backend: a schema of their own, a second one the allowlist hides, and a back door to check what was written. */
export interface SqlFixture {
  schema: string;
  secret: string;
  /** Runs SQL as the administrator, outside the server under test. */
  admin(sql: string): Promise<Record<string, unknown>[]>;
  /** Another server over the same database with other settings (writes, no allowlist, …). */
  open(
    overrides?: Partial<SqlConfig>,
  ): Promise<{ call: (name: string, args?: Record<string, unknown>, signal?: AbortSignal) => Promise<CallToolResult> }>;
  /** The server's settings in this suite. */
  config: SqlConfig;
}

/** Small limits so the suites can reach them; the allowlist admits the suite's own schema only. */
export function baseConfig(schema: string, overrides: Partial<SqlConfig> = {}): SqlConfig {
  return SqlConfigSchema.parse({ mock: true, schemas: [schema], maxRows: 50, maxBytes: 4096, statementTimeoutMs: 5000, ...overrides });
}

export function seedSql(schema: string, secret: string): string {
  const big = Array.from({ length: 200 }, (_, i) => `(${i + 1}, '${'p'.repeat(100)}')`).join(', ');
  return `
CREATE TABLE ${schema}.items (id serial PRIMARY KEY, name text NOT NULL UNIQUE, qty integer NOT NULL DEFAULT 0);
INSERT INTO ${schema}.items (name, qty) VALUES ('alpha', 1), ('beta', 2), ('gamma', 3);
CREATE TABLE ${schema}.big (n integer NOT NULL, pad text NOT NULL);
INSERT INTO ${schema}.big (n, pad) VALUES ${big};
CREATE TABLE ${schema}.blobs (body text);
INSERT INTO ${schema}.blobs (body) VALUES ('${'x'.repeat(10_000)}');
CREATE TABLE ${secret}.k (token text);
INSERT INTO ${secret}.k (token) VALUES ('top-secret-token');`;
}

/** Connects an MCP client to a fresh server over an in-memory transport. */
export async function connect(backend: SqlBackend, config: SqlConfig) {
  const { server } = createServer(backend, config);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'sql-test', version: '0' });
  await client.connect(clientSide);
  return {
    call: (name: string, args: Record<string, unknown> = {}, signal?: AbortSignal) =>
      client.callTool({ name, arguments: args }, signal === undefined ? undefined : { signal }) as Promise<CallToolResult>,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** The mock: one pg-mem database holding both schemas. */
export function mockFixture(overrides: Partial<SqlConfig> = {}) {
  const schema = 'suite';
  const secret = 'suite_secret';
  const backend = new MemorySqlBackend();
  backend.db.createSchema(schema);
  backend.db.createSchema(secret);
  backend.db.public.none(seedSql(schema, secret));
  const config = baseConfig(schema, overrides);
  const closers: (() => Promise<void>)[] = [];
  const fixture: SqlFixture = {
    schema,
    secret,
    config,
    admin: async (sql) => backend.db.public.many(sql),
    open: async (more = {}) => {
      const opened = await connect(backend, { ...config, ...more });
      closers.push(opened.close);
      return opened;
    },
  };
  return { backend, fixture, teardown: async () => void (await Promise.all(closers.map((close) => close()))) };
}

/** Null when PostgreSQL answers at DATABASE_URL, else why not. */
export async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `no PostgreSQL at ${new URL(DATABASE_URL).host} (${(error as Error).message}); set DATABASE_URL`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Real PostgreSQL: a schema and a second "secret" schema with a random suffix, and a login role of
 * the same name holding ordinary privileges on both (so only the server's allowlist keeps the
 * secret schema out). The server connects as that role: it refuses superusers.
 */
export async function postgresFixture(overrides: Partial<SqlConfig> = {}) {
  const name = `sb_sql_${randomBytes(5).toString('hex')}`;
  const schema = name;
  const secret = `${name}_secret`;
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const drop = `DROP SCHEMA IF EXISTS ${schema}, ${secret} CASCADE; DROP ROLE IF EXISTS ${name};`;
  try {
    await admin.query(`CREATE SCHEMA ${schema}; CREATE SCHEMA ${secret}; CREATE ROLE ${name} LOGIN;`);
    await admin.query(seedSql(schema, secret));
    await admin.query(`GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${name}; GRANT USAGE ON SCHEMA ${secret} TO ${name};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema}, ${secret} TO ${name};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${name};`);
  } catch (error) {
    await admin.query(drop).catch(() => {});
    await admin.end();
    throw error;
  }
  const roleUrl = new URL(DATABASE_URL);
  roleUrl.username = name;
  roleUrl.password = '';
  const config = baseConfig(schema, { mock: false, url: roleUrl.toString(), ...overrides });
  const backends: PostgresBackend[] = [];
  const closers: (() => Promise<void>)[] = [];
  const newBackend = (more: Partial<SqlConfig> = {}) => {
    const settings = { ...config, ...more };
    const backend = new PostgresBackend({
      url: settings.url as string,
      poolSize: settings.poolSize,
      allowSuperuser: settings.allowSuperuser,
    });
    backends.push(backend);
    return backend;
  };
  const fixture: SqlFixture & { role: string; newBackend: typeof newBackend } = {
    schema,
    secret,
    config,
    role: name,
    newBackend,
    admin: async (sql) => (await admin.query(sql)).rows,
    open: async (more = {}) => {
      const opened = await connect(newBackend(more), { ...config, ...more });
      closers.push(opened.close);
      return opened;
    },
  };
  const teardown = async () => {
    await Promise.all(closers.map((close) => close()));
    await Promise.all(backends.map((backend) => backend.close()));
    await admin.query(`DROP SCHEMA ${schema}, ${secret} CASCADE; DROP OWNED BY ${name}; DROP ROLE ${name};`).catch(() => admin.query(drop));
    await admin.end();
  };
  return { backend: newBackend(), fixture, teardown };
}
