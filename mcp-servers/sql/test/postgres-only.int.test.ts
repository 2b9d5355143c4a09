// What only a real PostgreSQL can show: the statement timeout, database privileges, the planner
// gate in front of a superuser, session hygiene between calls, type mapping, cancellation.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import { contractSuite } from '@switchboard/kit/contract';
import { createServer } from '../src/server.ts';
import { connect, DATABASE_URL, postgresFixture, postgresUnavailable, type SqlFixture } from './fixtures.ts';

type Fixture = SqlFixture & Awaited<ReturnType<typeof postgresFixture>>['fixture'];
type Rows = { rows: Record<string, unknown>[]; truncated: boolean };

await contractSuite<Fixture>(
  'sql postgres-only',
  [
    {
      name: 'real',
      unavailable: postgresUnavailable,
      setup: async () => {
        const { backend, fixture, teardown } = await postgresFixture();
        return { factory: () => createServer(backend, fixture.config).server, fixture, teardown };
      },
    },
  ],
  (h) => {
    const s = () => h.fixture.schema;
    const activeSleeps = async () =>
      Number(
        (
          await h.fixture.admin(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE usename = '${h.fixture.role}' AND state = 'active' AND query LIKE '%pg_sleep%'`,
          )
        )[0]?.n,
      );
    const fileMissing = async (path: string) =>
      (await h.fixture.admin(`SELECT pg_stat_file('${path}', true) IS NULL AS missing`))[0]?.missing === true;

    it('SELECT pg_sleep(600) is stopped by the statement timeout, and the server answers the next call', async () => {
      const server = await h.fixture.open({ statementTimeoutMs: 500, poolSize: 1 });
      const slept = await server.call('query', { sql: 'SELECT pg_sleep(600)' });
      assert.equal(code(slept), 'TIMEOUT', text(slept));
      assert.match(text(slept), /500 ms/);
      assert.equal(await activeSleeps(), 0);
      assert.equal((await server.call('query', { sql: 'SELECT 1 AS one' })).isError, undefined);
    });

    it('a cancelled call cancels its statement in the database', async () => {
      const server = await h.fixture.open({ statementTimeoutMs: 120_000 });
      const controller = new AbortController();
      const call = server.call('query', { sql: 'SELECT pg_sleep(600)' }, controller.signal).catch((error: unknown) => error);
      for (let i = 0; i < 100 && (await activeSleeps()) === 0; i++) await delay(50);
      assert.equal(await activeSleeps(), 1, 'the sleep should be running before the cancel');
      controller.abort();
      await call;
      let left = 1;
      for (let i = 0; i < 200 && left > 0; i++) {
        await delay(50);
        left = await activeSleeps();
      }
      assert.equal(left, 0, 'the statement is still running after the cancel');
    });

    it('the database refuses server files to the least-privilege role', async () => {
      for (const sql of ["SELECT pg_read_file('/etc/passwd')", "SELECT pg_ls_dir('/')", "SELECT lo_import('/etc/passwd')"]) {
        const result = await h.call('query', { sql });
        assert.ok(['ACL_DENIED', 'READ_ONLY'].includes(code(result) ?? ''), `${sql}: ${text(result)}`);
        assert.doesNotMatch(JSON.stringify(result), /root:/);
      }
      assert.equal(code(await h.call('query', { sql: "SELECT pg_read_file('/etc/passwd')" })), 'ACL_DENIED');
    });

    it('refuses to work as a superuser unless told to, at start-up and per call', async () => {
      const server = await h.fixture.open({ url: DATABASE_URL });
      const result = await server.call('query', { sql: 'SELECT 1' });
      assert.equal(code(result), 'INVALID_CONFIG');
      assert.match(text(result), /superuser.*--allow-superuser/);
      const cli = join(import.meta.dirname, '..', '..', '..', 'bin', 'switchboard.mjs');
      const started = spawnSync(process.execPath, [cli, 'server', 'sql', '--url', DATABASE_URL], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, LOG_LEVEL: 'silent' },
      });
      assert.equal(started.status, 2, started.stderr);
      assert.match(started.stderr, /superuser/);
    });

    it('even as a superuser, COPY … TO PROGRAM never reaches the database: the planner gate refuses it', async () => {
      const tag = randomBytes(4).toString('hex');
      const control = `/tmp/sb-sql-control-${tag}`;
      const marker = `/tmp/sb-sql-marker-${tag}`;
      try {
        // The threat is real: a read-only transaction alone does not stop COPY TO PROGRAM.
        await h.fixture.admin(`BEGIN READ ONLY; COPY (SELECT 1) TO PROGRAM 'touch ${control}'; ROLLBACK;`);
        assert.equal(await fileMissing(control), false);
        const superuser = await h.fixture.open({ url: DATABASE_URL, allowSuperuser: true, schemas: [] });
        const result = await superuser.call('query', { sql: `COPY (SELECT 1) TO PROGRAM 'touch ${marker}'` });
        assert.equal(code(result), 'INVALID_ARGUMENT', text(result));
        assert.equal(await fileMissing(marker), true);
      } finally {
        await h.fixture.admin(`COPY (SELECT 1) TO PROGRAM 'rm -f ${control} ${marker}'`);
      }
    });

    it('without an allowlist too, only plannable statements reach the database', async () => {
      const open = await h.fixture.open({ schemas: [] });
      for (const sql of [
        'SET TRANSACTION READ WRITE',
        'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE',
        'COPY (SELECT 1) TO STDOUT',
        'DO $$ BEGIN PERFORM 1; END $$',
        'LISTEN sb_sql_channel',
        'PREPARE p AS SELECT 1',
        'COMMIT',
      ]) {
        const result = await open.call('query', { sql });
        assert.equal(code(result), 'INVALID_ARGUMENT', `${sql}: ${text(result)}`);
      }
    });

    it('under an allowlist, functions that read tables the plan cannot show are refused', async () => {
      const secret = `${h.fixture.secret}.k`;
      for (const sql of [
        `SELECT query_to_xml('SELECT token FROM ${secret}', true, true, '')`,
        `SELECT table_to_xml('${secret}'::regclass, true, true, '')`,
        `SELECT * FROM pg_catalog."query_to_xml"(concat('SELECT token FROM ', '${secret}'), true, true, '') x`,
      ]) {
        const result = await h.call('query', { sql });
        assert.equal(code(result), 'ACL_DENIED', `${sql}: ${text(result)}`);
        assert.doesNotMatch(JSON.stringify(result), /top-secret-token/);
      }
      // Without an allowlist the same call reads the row (the role may): the check is what stops it.
      const open = await h.fixture.open({ schemas: [] });
      assert.match(
        text(await open.call('query', { sql: `SELECT query_to_xml('SELECT token FROM ${secret}', true, true, '')` })),
        /top-secret-token/,
      );
    });

    it('read-only is the database’s: switching it off inside the statement fails and the sequence does not move', async () => {
      const before = await h.fixture.admin(`SELECT last_value, is_called FROM ${s()}.items_id_seq`);
      for (const sql of [
        `SELECT nextval('${s()}.items_id_seq')`,
        `SELECT set_config('transaction_read_only', 'off', true), nextval('${s()}.items_id_seq')`,
      ]) {
        const result = await h.call('query', { sql });
        assert.equal(result.isError, true, sql);
      }
      assert.deepEqual(await h.fixture.admin(`SELECT last_value, is_called FROM ${s()}.items_id_seq`), before);
    });

    it('a session-level advisory lock does not outlive its call', async () => {
      const key = 400_000 + Math.floor(Math.random() * 100_000);
      const locked = await h.call('query', { sql: 'SELECT pg_advisory_lock($1::bigint)', params: [key] });
      assert.equal(locked.isError, undefined, text(locked));
      // The release is queued on the connection right after the call; allow it a moment to land.
      let held = 1;
      for (let i = 0; i < 100 && held > 0; i++) {
        held = Number((await h.fixture.admin(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = ${key}`))[0]?.n);
        if (held > 0) await delay(50);
      }
      assert.equal(held, 0);
    });

    it('a write leaves no session state behind for later calls on the same connection', async () => {
      const writer = await h.fixture.open({ allowWrites: true, schemas: [], poolSize: 1 });
      assert.equal((await writer.call('execute', { sql: 'SET search_path TO nowhere' })).isError, undefined);
      const path = await writer.call('query', { sql: "SELECT current_setting('search_path') AS p" });
      assert.notEqual((path.structuredContent as Rows).rows[0]?.p, 'nowhere');
    });

    it('execute runs DDL without an allowlist, and refuses it under one (the planner cannot check it)', async () => {
      const open = await h.fixture.open({ allowWrites: true, schemas: [] });
      assert.equal((await open.call('execute', { sql: `CREATE TABLE ${s()}.made (a int)` })).isError, undefined);
      // No planner gate on this path: the extended protocol alone keeps it to one statement.
      const two = await open.call('execute', { sql: `INSERT INTO ${s()}.made VALUES (1); DROP TABLE ${s()}.items` });
      assert.equal(code(two), 'INVALID_ARGUMENT', text(two));
      assert.match(text(two), /one statement per call/);
      assert.equal(Number((await h.fixture.admin(`SELECT count(*) AS n FROM ${s()}.made`))[0]?.n), 0);
      const guarded = await h.fixture.open({ allowWrites: true });
      const refused = await guarded.call('execute', { sql: `DROP TABLE ${s()}.made` });
      assert.equal(code(refused), 'INVALID_ARGUMENT', text(refused));
      assert.equal((await h.fixture.admin(`SELECT to_regclass('${s()}.made') IS NOT NULL AS present`))[0]?.present, true);
    });

    it('maps values to JSON without loss: bigint, numeric, dates, bytea, NaN, duplicate names', async () => {
      const result = await h.call('query', {
        sql: `SELECT count(*) AS n, 9007199254740993::bigint AS big, 1.50::numeric AS price, '2024-01-02'::date AS d,
                     '\\xdead'::bytea AS b, 'NaN'::float8 AS f, 1 AS a, 2 AS a FROM ${s()}.items`,
      });
      assert.deepEqual((result.structuredContent as Rows).rows, [
        { n: 3, big: '9007199254740993', price: '1.50', d: '2024-01-02', b: '\\xdead', f: 'NaN', a: 1, a_2: 2 },
      ]);
    });

    it('explain analyze measures a read and refuses to run a write', async () => {
      const measured = await h.call('explain', { sql: `SELECT * FROM ${s()}.items`, analyze: true });
      assert.ok('Execution Time' in ((measured.structuredContent as { plan: Record<string, unknown>[] }).plan[0] ?? {}));
      assert.equal(code(await h.call('explain', { sql: `DELETE FROM ${s()}.items`, analyze: true })), 'READ_ONLY');
      assert.equal(Number((await h.fixture.admin(`SELECT count(*) AS n FROM ${s()}.items`))[0]?.n), 3);
    });

    it('fetches a 1,000-row result in batches up to the limit', async () => {
      const server = await h.fixture.open({ maxRows: 1000, maxBytes: 1024 * 1024, schemas: [] });
      const full = (await server.call('query', { sql: 'SELECT g FROM generate_series(1, 1000) g' })).structuredContent as Rows;
      assert.equal(full.rows.length, 1000);
      assert.equal(full.truncated, false);
      assert.deepEqual(full.rows[999], { g: 1000 });
      const over = (await server.call('query', { sql: 'SELECT g FROM generate_series(1, 1001) g' })).structuredContent as Rows;
      assert.equal(over.rows.length, 1000);
      assert.equal(over.truncated, true);
    });

    it('answers UPSTREAM_UNAVAILABLE, without the URL, when the database is unreachable', async () => {
      const url = 'postgres://nobody:hunter2@127.0.0.1:1/none';
      const { PostgresBackend } = await import('../src/backend-real.ts');
      const backend = new PostgresBackend({ url, poolSize: 1, allowSuperuser: false });
      const server = await connect(backend, { ...h.fixture.config, url });
      try {
        const result = await server.call('query', { sql: 'SELECT 1' });
        assert.equal(code(result), 'UPSTREAM_UNAVAILABLE');
        assert.doesNotMatch(JSON.stringify(result), /hunter2|nobody/);
      } finally {
        await server.close();
        await backend.close();
      }
    });
  },
);

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function code(result: CallToolResult): string | undefined {
  return errorOfResult(result)?.code;
}

function text(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}
