import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { PostgresTaskStore } from '../src/scheduler/store/postgres-store.ts';
import { schedulerSuite } from '../src/scheduler/testing/suite.ts';
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres } from './support/postgres.ts';

const unavailable = await postgresUnavailable();
if (unavailable) {
  describe('scheduler on Postgres', () => reportMissingPostgres(unavailable));
} else {
  schedulerSuite('the Postgres store', {
    open: () => PostgresTaskStore.open({ url: DATABASE_URL, schema: randomSchema('sb_tasks'), poolSize: 4 }),
    dispose: (store) => (store as PostgresTaskStore).dropSchema(),
  });
}

describe('REQUIRE_SERVICES for the Postgres store', () => {
  const run = (env: Record<string, string>) => {
    // Without NODE_TEST_CONTEXT the nested runner prints plain TAP instead of talking to this one.
    const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
    return spawnSync(process.execPath, ['--import', 'tsx', '--test', import.meta.filename], {
      env: { ...parentEnv, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test', SB_NESTED: '1', ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
  };

  it('skips with the reason when Postgres is missing, and fails with REQUIRE_SERVICES=1', { skip: process.env.SB_NESTED === '1' }, () => {
    const relaxed = run({ REQUIRE_SERVICES: '0' });
    assert.equal(relaxed.status, 0, relaxed.stdout);
    assert.match(relaxed.stdout, /skipping Postgres tests: no Postgres at 127\.0\.0\.1:1\/test/);
    assert.match(relaxed.stdout, /# fail 0/);
    const strict = run({ REQUIRE_SERVICES: '1' });
    assert.notEqual(strict.status, 0);
    assert.match(strict.stdout, /REQUIRE_SERVICES=1 but no Postgres at 127\.0\.0\.1:1\/test/);
  });
});
