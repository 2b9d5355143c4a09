import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import { contractSuite } from '@switchboard/kit/contract';
import { createServer } from '../src/server.ts';
import { mockFixture, postgresFixture, postgresUnavailable, type SqlFixture } from './fixtures.ts';

type Rows = {
  rows: Record<string, unknown>[];
  fields: { name: string; type: string }[];
  rowCount: number;
  truncated: boolean;
  truncatedBy?: string;
};

await contractSuite<SqlFixture>(
  'sql',
  [
    {
      name: 'mock',
      setup: async () => {
        const { backend, fixture, teardown } = mockFixture();
        return { factory: () => createServer(backend, fixture.config).server, fixture, teardown };
      },
    },
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
    const itemCount = async () => Number((await h.fixture.admin(`SELECT count(*) AS n FROM ${s()}.items`))[0]?.n);
    const itemNames = async () => (await h.fixture.admin(`SELECT name FROM ${s()}.items ORDER BY id`)).map((row) => row.name);

    it('query answers rows as structured content, with fields, for parameters bound as values', async () => {
      const result = await h.call('query', { sql: `SELECT id, name FROM ${s()}.items WHERE id = $1`, params: [2] });
      assert.equal(result.isError, undefined, text(result));
      const rows = result.structuredContent as Rows;
      assert.deepEqual(rows.rows, [{ id: 2, name: 'beta' }]);
      assert.deepEqual(rows.fields, [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'text' },
      ]);
      assert.equal(rows.rowCount, 1);
      assert.equal(rows.truncated, false);
      assert.match(text(result), /beta/);
      const injected = await h.call('query', {
        sql: `SELECT name FROM ${s()}.items WHERE name = $1`,
        params: ["x'; DROP TABLE items; --"],
      });
      assert.deepEqual((injected.structuredContent as Rows).rows, []);
      assert.equal(await itemCount(), 3);
    });

    it('cuts results at the row limit, never silently, and not when exactly at it', async () => {
      const cut = (await h.call('query', { sql: `SELECT n FROM ${s()}.big ORDER BY n` })).structuredContent as Rows;
      assert.equal(cut.rows.length, 50);
      assert.equal(cut.truncated, true);
      assert.equal(cut.truncatedBy, 'rows');
      const exact = (await h.call('query', { sql: `SELECT n FROM ${s()}.big ORDER BY n LIMIT 50` })).structuredContent as Rows;
      assert.equal(exact.rows.length, 50);
      assert.equal(exact.truncated, false);
      const limited = (await h.call('query', { sql: `SELECT n FROM ${s()}.big ORDER BY n`, limit: 5 })).structuredContent as Rows;
      assert.deepEqual(
        limited.rows.map((row) => row.n),
        [1, 2, 3, 4, 5],
      );
      assert.equal(limited.truncated, true);
    });

    it('cuts results at the byte limit, and refuses a single row larger than it', async () => {
      const cut = (await h.call('query', { sql: `SELECT n, pad FROM ${s()}.big ORDER BY n` })).structuredContent as Rows;
      assert.equal(cut.truncated, true);
      assert.equal(cut.truncatedBy, 'bytes');
      assert.ok(cut.rows.length > 0 && cut.rows.length < 50);
      assert.ok(Buffer.byteLength(JSON.stringify(cut.rows)) <= h.fixture.config.maxBytes);
      const huge = await h.call('query', { sql: `SELECT body FROM ${s()}.blobs` });
      assert.equal(code(huge), 'TOO_LARGE');
      assert.equal(errorOfResult(huge)?.field, 'sql');
    });

    it('refuses more than one statement per call: COMMIT; DROP TABLE and friends', async () => {
      for (const sql of [`COMMIT; DROP TABLE ${s()}.items`, `SELECT 1; DROP TABLE ${s()}.items`, `SELECT 1; DELETE FROM ${s()}.items`]) {
        const result = await h.call('query', { sql });
        assert.equal(code(result), 'INVALID_ARGUMENT', sql);
        assert.equal(errorOfResult(result)?.field, 'sql');
      }
      assert.equal(await itemCount(), 3);
    });

    it('refuses writes in query, plain or hidden in a writable CTE, and leaves the table as it was', async () => {
      for (const sql of [
        `DELETE FROM ${s()}.items`,
        `UPDATE ${s()}.items SET qty = 0`,
        `WITH d AS (DELETE FROM ${s()}.items RETURNING *) SELECT * FROM d`,
        `WITH i AS (INSERT INTO ${s()}.items (name) VALUES ('evil') RETURNING *) SELECT * FROM i`,
      ]) {
        const result = await h.call('query', { sql });
        assert.equal(code(result), 'READ_ONLY', `${sql}: ${text(result)}`);
      }
      assert.deepEqual(await itemNames(), ['alpha', 'beta', 'gamma']);
    });

    it('refuses commands that are not queries: SET TRANSACTION READ WRITE, COPY … TO PROGRAM, DDL', async () => {
      for (const sql of [
        'SET TRANSACTION READ WRITE',
        `COPY ${s()}.items TO PROGRAM 'cat > /tmp/sb-sql-stolen'`,
        `DROP TABLE ${s()}.items`,
        `CREATE TABLE ${s()}.evil (a int)`,
      ]) {
        const result = await h.call('query', { sql });
        assert.equal(code(result), 'INVALID_ARGUMENT', `${sql}: ${text(result)}`);
        assert.equal(errorOfResult(result)?.field, 'sql');
      }
      assert.equal(await itemCount(), 3);
    });

    it('does not hand out server files: pg_read_file is refused', async () => {
      const result = await h.call('query', { sql: "SELECT pg_read_file('/etc/passwd')" });
      assert.equal(result.isError, true);
      assert.doesNotMatch(JSON.stringify(result), /root:/);
    });

    it('refuses statements touching a table outside the allowlist, however it is reached', async () => {
      const secret = `${h.fixture.secret}.k`;
      for (const sql of [
        `SELECT * FROM ${secret}`,
        `SELECT i.name FROM ${s()}.items i JOIN ${secret} k ON true`,
        `SELECT name FROM ${s()}.items WHERE name IN (SELECT token FROM ${secret})`,
        `WITH t AS (SELECT * FROM ${secret}) SELECT * FROM t`,
      ]) {
        const result = await h.call('query', { sql });
        assert.equal(code(result), 'ACL_DENIED', `${sql}: ${text(result)}`);
        assert.doesNotMatch(JSON.stringify(result), /top-secret-token/);
      }
      assert.equal(code(await h.call('explain', { sql: `SELECT * FROM ${secret}` })), 'ACL_DENIED');
      assert.equal(code(await h.call('describe_table', { schema: h.fixture.secret, table: 'k' })), 'ACL_DENIED');
      assert.equal(code(await h.call('list_tables', { schema: h.fixture.secret })), 'ACL_DENIED');
      // The same statement on a server without an allowlist reads the row: the allowlist is what stops it.
      const open = await h.fixture.open({ schemas: [] });
      assert.match(text(await open.call('query', { sql: `SELECT token FROM ${secret}` })), /top-secret-token/);
    });

    it('execute is refused on a read-only server, and nothing is written', async () => {
      const result = await h.call('execute', { sql: `INSERT INTO ${s()}.items (name) VALUES ('nope')` });
      assert.equal(code(result), 'READ_ONLY');
      assert.match(text(result), /--allow-writes/);
      assert.equal(await itemCount(), 3);
    });

    it('execute writes with --allow-writes, one statement at a time, inside the allowlist', async () => {
      const writer = await h.fixture.open({ allowWrites: true });
      const inserted = await writer.call('execute', {
        sql: `INSERT INTO ${s()}.items (name, qty) VALUES ($1, $2) RETURNING name, qty`,
        params: ['delta', 4],
      });
      assert.equal(inserted.isError, undefined, text(inserted));
      assert.deepEqual((inserted.structuredContent as Rows).rows, [{ name: 'delta', qty: 4 }]);
      assert.equal((inserted.structuredContent as Rows).rowCount, 1);
      const updated = await writer.call('execute', { sql: `UPDATE ${s()}.items SET qty = qty + 1 WHERE name IN ('alpha', 'beta')` });
      assert.equal((updated.structuredContent as Rows).rowCount, 2);
      assert.equal(
        code(await writer.call('execute', { sql: `INSERT INTO ${s()}.items (name) VALUES ('x'); DROP TABLE ${s()}.items` })),
        'INVALID_ARGUMENT',
      );
      assert.equal(code(await writer.call('execute', { sql: `INSERT INTO ${s()}.items (name) VALUES ('alpha')` })), 'ALREADY_EXISTS');
      assert.equal(code(await writer.call('execute', { sql: `DELETE FROM ${h.fixture.secret}.k` })), 'ACL_DENIED');
      assert.equal((await h.fixture.admin(`SELECT count(*) AS n FROM ${h.fixture.secret}.k`))[0]?.n, h.backend === 'mock' ? 1 : '1');
      // query stays read-only on a writing server
      assert.equal(code(await writer.call('query', { sql: `DELETE FROM ${s()}.items` })), 'READ_ONLY');
      assert.deepEqual(await itemNames(), ['alpha', 'beta', 'gamma', 'delta']);
      await writer.call('execute', { sql: `DELETE FROM ${s()}.items WHERE name = $1`, params: ['delta'] });
      await writer.call('execute', { sql: `UPDATE ${s()}.items SET qty = qty - 1 WHERE name IN ('alpha', 'beta')` });
    });

    it('lists schemas and tables inside the allowlist and describes a table', async () => {
      const schemas = (await h.call('list_schemas')).structuredContent as { schemas: { name: string }[] };
      assert.deepEqual(schemas.schemas, [{ name: s() }]);
      const tables = (await h.call('list_tables')).structuredContent as { tables: { schema: string; name: string }[]; truncated: boolean };
      assert.deepEqual(
        tables.tables.map((t) => `${t.schema}.${t.name}`),
        ['big', 'blobs', 'items'].map((t) => `${s()}.${t}`),
      );
      const limited = (await h.call('list_tables', { limit: 1 })).structuredContent as { tables: unknown[]; truncated: boolean };
      assert.equal(limited.tables.length, 1);
      assert.equal(limited.truncated, true);
      const described = (await h.call('describe_table', { schema: s(), table: 'items' })).structuredContent as {
        kind: string;
        columns: { name: string; type: string; nullable: boolean }[];
        primaryKey: string[];
      };
      assert.equal(described.kind, 'table');
      assert.deepEqual(
        described.columns.map(({ name, type, nullable }) => ({ name, type, nullable })),
        [
          { name: 'id', type: 'integer', nullable: false },
          { name: 'name', type: 'text', nullable: false },
          { name: 'qty', type: 'integer', nullable: false },
        ],
      );
      assert.deepEqual(described.primaryKey, ['id']);
      assert.equal(code(await h.call('describe_table', { schema: s(), table: 'nope' })), 'NOT_FOUND');
    });

    it('explain names the relations a statement touches without running it', async () => {
      const result = await h.call('explain', { sql: `DELETE FROM ${s()}.items WHERE id = $1`, params: [1] });
      assert.equal(result.isError, undefined, text(result));
      const explained = result.structuredContent as { plan: unknown[]; relations: { schema: string; name: string }[] };
      assert.deepEqual(explained.relations, [{ schema: s(), name: 'items' }]);
      assert.ok(explained.plan.length > 0);
      assert.equal(await itemCount(), 3);
    });

    it('validates input with errors naming the field, and writes nothing', async () => {
      const writer = await h.fixture.open({ allowWrites: true });
      const cases: [string, Record<string, unknown>, string][] = [
        ['query', {}, 'sql'],
        ['query', { sql: 42 }, 'sql'],
        ['query', { sql: '' }, 'sql'],
        ['query', { sql: 'SELECT 1', params: { a: 1 } }, 'params'],
        ['query', { sql: 'SELECT $1::text', params: [{ nested: true }] }, 'params.0'],
        ['query', { sql: 'SELECT 1', limit: 0 }, 'limit'],
        ['query', { sql: 'SELECT 1', limit: 51 }, 'limit'],
        ['query', { sql: 'SELECT 1', extra: true }, 'extra'],
        ['query', { sql: 'SELECT $1::text, $2::text', params: ['only one'] }, 'params'],
        ['execute', { sql: `INSERT INTO ${s()}.items (name) VALUES ($1)` }, 'params'],
        ['execute', { sql: `INSERT INTO ${s()}.items (name) VALUES ($1)`, params: [['a']] }, 'params.0'],
        ['describe_table', {}, 'table'],
        ['list_tables', { limit: -1 }, 'limit'],
        ['explain', { sql: 'SELECT 1', analyze: 'yes' }, 'analyze'],
      ];
      for (const [tool, args, field] of cases) {
        const result = await writer.call(tool, args);
        assert.equal(code(result), 'INVALID_ARGUMENT', `${tool} ${JSON.stringify(args)}: ${text(result)}`);
        assert.equal(errorOfResult(result)?.field, field, `${tool} ${JSON.stringify(args)}`);
      }
      assert.equal(await itemCount(), 3);
    });

    it('advertises six tools with output schemas, hints and the scope', async () => {
      const { tools } = await h.client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['describe_table', 'execute', 'explain', 'list_schemas', 'list_tables', 'query']);
      const query = tools.find((t) => t.name === 'query');
      assert.equal(query?.annotations?.readOnlyHint, true);
      assert.equal(tools.find((t) => t.name === 'execute')?.annotations?.destructiveHint, true);
      assert.ok(tools.every((t) => t.outputSchema !== undefined));
      const sqlField = (query?.inputSchema.properties as Record<string, { description?: string }> | undefined)?.sql;
      assert.match(sqlField?.description ?? '', new RegExp(`Schemas: ${s()}\\.`));
    });
  },
);

function code(result: CallToolResult): string | undefined {
  return errorOfResult(result)?.code;
}

function text(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}
