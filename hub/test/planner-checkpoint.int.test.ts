import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { PlannerConfig } from '../src/config/index.ts';
import { compileRunGraph, openCheckpointer } from '../src/planner/run/index.ts';
import type { PlanStep } from '../src/planner/run/plan-model.ts';
import { fakeDeps, ok, runInput, startState } from '../src/planner/run/testing.ts';
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres } from './support/postgres.ts';

type CheckpointConfig = PlannerConfig['checkpoint'];

const step = (id: string, role: string, dependsOn: string[] = []): PlanStep => ({ id, role, task: `${id} it`, context: {}, dependsOn });
const steps = [step('lint', 'tester'), step('code', 'coder'), step('store', 'archivist', ['code'])];

/**
 * What a hub restart does to a run, through the checkpointer a hub opens from its config: the first
 * "hub" dies in the middle of the run (its scheduler DAG throws), its checkpointer is closed; a second
 * one opens the same store afresh and resumes the thread. Finished steps must not run again.
 */
async function crashAndResume(config: CheckpointConfig, dataDir: string, threadId: string) {
  const first = await openCheckpointer(config, dataDir);
  const crashing = fakeDeps((role) => ok(`${role} ok`));
  crashing.deps.runDag = async () => {
    throw new Error('hub killed');
  };
  const input = runInput('crash me', { steps });
  await assert.rejects(
    compileRunGraph(crashing.deps, first.saver).invoke(startState(threadId, input), { configurable: { thread_id: threadId } }),
    /hub killed/,
  );
  await first.close();

  const second = await openCheckpointer(config, dataDir);
  try {
    const resumed = fakeDeps((role) => ok(`${role} ok`));
    const done = await compileRunGraph(resumed.deps, second.saver).invoke(null, { configurable: { thread_id: threadId } });
    return { before: crashing.calls.map((c) => c.role), after: resumed.calls.map((c) => c.role), report: done.finalReport };
  } finally {
    await second.close();
  }
}

describe('planner checkpoints survive a restart (the stores a hub opens from planner.checkpoint)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-planner-checkpoint-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('sqlite (the default): a file under hub.dataDir', async () => {
    const outcome = await crashAndResume(
      { store: 'sqlite', path: 'runs/planner.db', schema: 'switchboard_planner' },
      dataDir,
      'sqlite-run',
    );
    assert.deepEqual(outcome.before, ['tester'], 'the independent step finished before the crash');
    assert.deepEqual(outcome.after, ['coder', 'archivist'], 'only the unfinished DAG ran after the restart');
    assert.equal(outcome.report?.status, 'succeeded');
    assert.equal(outcome.report?.steps.length, 3);
  });
});

describe('planner checkpoints in PostgreSQL (planner.checkpoint.store: postgres)', async () => {
  const reason = await postgresUnavailable();
  if (reason !== undefined) {
    reportMissingPostgres(reason);
    return;
  }
  const schema = randomSchema('sb_ckpt');
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  before(() => admin.connect());
  after(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await admin.end();
  });

  it('a second hub on the same database resumes the run where the first one died', async () => {
    const config: CheckpointConfig = { store: 'postgres', url: DATABASE_URL, schema, path: 'planner.db' };
    const outcome = await crashAndResume(config, '/nonexistent', 'pg-run');
    assert.deepEqual(outcome.before, ['tester']);
    assert.deepEqual(outcome.after, ['coder', 'archivist']);
    assert.equal(outcome.report?.status, 'succeeded');
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1', [schema]);
    assert.ok((rows[0] as { n: number }).n > 0, `the checkpoint tables live in schema ${schema}`);
    const stored = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.checkpoints WHERE thread_id = 'pg-run'`);
    assert.ok((stored.rows[0] as { n: number }).n > 0, 'the run thread is stored in Postgres');
  });

  it('a wrong URL fails at open, naming no password', async () => {
    const url = 'postgres://someone:hunter2@127.0.0.1:1/nowhere';
    await assert.rejects(openCheckpointer({ store: 'postgres', url, schema, path: 'x' }, '/nonexistent'), (error: Error) => {
      assert.equal(error.message.includes('hunter2'), false);
      return true;
    });
  });
});
