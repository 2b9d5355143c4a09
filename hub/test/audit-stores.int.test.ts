import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  type AuditFinish,
  type AuditStart,
  type AuditStore,
  MemoryAuditStore,
  PostgresAuditStore,
  SqliteAuditStore,
} from '../src/policy/index.ts';
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres } from './support/postgres.ts';

let n = 0;
function start(overrides: Partial<AuditStart> = {}): AuditStart {
  n += 1;
  return {
    id: `call-${n}-${Math.random().toString(36).slice(2)}`,
    instance: 'hub-1',
    startedAt: 1_700_000_000_000 + n * 1000,
    principal: 'key:ci',
    role: 'tester',
    tool: 'fs__read_file',
    argsDigest: 'sha256:abc',
    argKeys: ['path'],
    correlationId: `corr-${n}`,
    depth: 0,
    ...overrides,
  };
}
const done = (at: number, extra: Partial<AuditFinish> = {}): AuditFinish => ({
  finishedAt: at + 5,
  outcome: 'ok',
  durationMs: 5,
  bytes: 120,
  ...extra,
});

/** One suite, run against every store: what `switchboard audit` and the gate rely on. */
function auditStoreSuite(name: string, open: () => Promise<AuditStore>, dispose: (store: AuditStore) => Promise<void> = async () => {}) {
  describe(`audit store [${name}]`, () => {
    let store: AuditStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await dispose(store);
      await store.close();
    });

    it('keeps a begun call as unfinished until it is finished', async () => {
      const s = start({ onBehalfOf: 'local:me', depth: 1 });
      await store.begin(s);
      const [pending] = await store.query({ correlationId: s.correlationId });
      assert.deepEqual(pending, { ...s, outcome: 'unfinished' });
      await store.finish(s.id, done(s.startedAt, { bytes: 0 }));
      const [finished] = await store.query({ correlationId: s.correlationId });
      assert.deepEqual(finished, { ...s, outcome: 'ok', finishedAt: s.startedAt + 5, durationMs: 5, bytes: 0 });
    });

    it('records a refused call in one write, with its rule and code', async () => {
      const s = start({ principal: 'key:refused', tool: 'sql__execute' });
      await store.record(s, {
        finishedAt: s.startedAt,
        outcome: 'denied',
        errorCode: 'ACL_DENIED',
        rule: 'roles/x.yaml tools.allow',
        durationMs: 0,
      });
      const [record] = await store.query({ principal: 'key:refused' });
      assert.equal(record?.outcome, 'denied');
      assert.equal(record?.errorCode, 'ACL_DENIED');
      assert.equal(record?.rule, 'roles/x.yaml tools.allow');
      assert.equal(record?.bytes, undefined);
    });

    it('filters by principal, role, tool glob, outcome and time, newest first, with a limit', async () => {
      const base = start({ principal: 'key:filter' }).startedAt + 100_000;
      const rows = [
        start({ principal: 'key:filter', tool: 'fs__read_file', startedAt: base + 1 }),
        start({ principal: 'key:filter', tool: 'fs__write_file', startedAt: base + 2 }),
        start({ principal: 'key:filter', tool: 'sql__query', role: 'dba', startedAt: base + 3 }),
        start({ principal: 'key:filter', tool: 'fs_x_read', startedAt: base + 4 }),
      ];
      for (const row of rows) await store.record(row, done(row.startedAt, { outcome: row.tool === 'sql__query' ? 'error' : 'ok' }));
      const mine = await store.query({ principal: 'key:filter', since: base });
      assert.deepEqual(
        mine.map((r) => r.tool),
        ['fs_x_read', 'sql__query', 'fs__write_file', 'fs__read_file'],
      );
      assert.deepEqual(
        (await store.query({ principal: 'key:filter', tool: 'fs__*' })).map((r) => r.tool),
        ['fs__write_file', 'fs__read_file'],
        '_ in a tool glob is literal, not a wildcard',
      );
      assert.deepEqual(
        (await store.query({ principal: 'key:filter', tool: 'fs__?????_file' })).map((r) => r.tool),
        ['fs__write_file'],
      );
      assert.deepEqual(
        (await store.query({ principal: 'key:filter', outcome: 'error' })).map((r) => r.role),
        ['dba'],
      );
      assert.deepEqual(
        (await store.query({ role: 'dba', principal: 'key:filter' })).map((r) => r.tool),
        ['sql__query'],
      );
      assert.equal((await store.query({ principal: 'key:filter', since: base + 2, until: base + 3 })).length, 2);
      assert.equal((await store.query({ principal: 'key:filter', limit: 1 }))[0]?.tool, 'fs_x_read');
    });

    it('pages with offset and limit: consecutive pages cover every match once, in order', async () => {
      const base = start({ principal: 'key:pages' }).startedAt + 200_000;
      for (let i = 0; i < 7; i++) {
        const row = start({ principal: 'key:pages', tool: `t__${i}`, startedAt: base + i });
        await store.record(row, done(row.startedAt));
      }
      const pages = [];
      for (let offset = 0; offset < 9; offset += 3)
        pages.push((await store.query({ principal: 'key:pages', limit: 3, offset })).map((r) => r.tool));
      assert.deepEqual(pages, [['t__6', 't__5', 't__4'], ['t__3', 't__2', 't__1'], ['t__0']]);
    });
  });
}

auditStoreSuite('memory', async () => new MemoryAuditStore());

const dir = mkdtempSync(join(tmpdir(), 'sb-audit-'));
auditStoreSuite(
  'sqlite',
  async () => new SqliteAuditStore(join(dir, 'nested', 'audit.db')),
  async () => rmSync(dir, { recursive: true, force: true }),
);

describe('sqlite audit file', () => {
  it('is created with owner-only permissions, and a second hub process can open it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sb-audit-perm-')), 'audit.db');
    const first = new SqliteAuditStore(file);
    const second = new SqliteAuditStore(file);
    try {
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const s = start();
      await first.begin(s);
      assert.equal((await second.query({ correlationId: s.correlationId }))[0]?.outcome, 'unfinished');
    } finally {
      await first.close();
      await second.close();
    }
  });
});

const unavailable = await postgresUnavailable();
if (unavailable !== undefined) {
  describe('audit store [postgres]', () => reportMissingPostgres(unavailable));
} else {
  const schema = randomSchema('sb_audit');
  auditStoreSuite(
    'postgres',
    () => PostgresAuditStore.open(DATABASE_URL, `${schema}.audit`),
    async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  );
  describe('postgres audit store errors', () => {
    it('names the host and database, never the password, when it cannot connect', async () => {
      await assert.rejects(PostgresAuditStore.open('postgres://sb:hunter2-secret@127.0.0.1:1/audit', 'audit'), (error: Error) => {
        assert.match(error.message, /^audit store: cannot use Postgres at 127\.0\.0\.1:1\/audit: /);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      });
    });
  });
}
