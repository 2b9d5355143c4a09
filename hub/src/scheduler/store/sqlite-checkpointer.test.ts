import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type Database from 'better-sqlite3';
import { Scheduler } from '../scheduler.ts';
import { BACKSTOP_PAGES } from './sqlite-checkpointer.ts';
import { SqliteTaskStore } from './sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-checkpoint-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The store's own connection (private): what its checkpoint threshold is. */
const autocheckpoint = (store: SqliteTaskStore) =>
  (store as unknown as { db: Database.Database }).db.pragma('wal_autocheckpoint', { simple: true });

async function until(what: string, check: () => boolean, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

test('the WAL is checkpointed by the thread while the store connection only writes', async () => {
  const file = join(dir, 'writes.db');
  const store = new SqliteTaskStore(file, { checkpointEveryMs: 20 });
  const scheduler = new Scheduler({ store, workers: 0, executor: async () => ({ content: [] }) });
  try {
    assert.equal(autocheckpoint(store), BACKSTOP_PAGES);
    const before = statSync(file).size;
    // ~2,000 tasks: a few MB of WAL, far below the store connection's own threshold (64 MiB).
    for (let i = 0; i < 20; i++) {
      await scheduler.submit({ batch: Array.from({ length: 100 }, (_, j) => ({ target: 'noop', input: { i, j, pad: 'x'.repeat(200) } })) });
    }
    const written = (store.checkpointer?.done ?? 0) + 1;
    await until('a checkpoint after the writes', () => (store.checkpointer?.done ?? 0) > written);
    // In WAL mode only a checkpoint writes pages into the database file itself.
    assert.ok(statSync(file).size > before + 500_000, `database file ${before} → ${statSync(file).size} bytes`);
    const { tasks } = await store.listTasks({ limit: 5 });
    assert.equal(tasks.length, 5);
  } finally {
    await scheduler.close();
    await store.close();
  }
});

test('if the thread dies, the store connection takes checkpoints back', async () => {
  const store = new SqliteTaskStore(join(dir, 'lost.db'), { checkpointEveryMs: 20 });
  try {
    assert.equal(autocheckpoint(store), BACKSTOP_PAGES);
    const worker = (store.checkpointer as unknown as { worker: { terminate(): Promise<number> } }).worker;
    await worker.terminate();
    await until('the store connection to checkpoint again', () => autocheckpoint(store) === 1000);
  } finally {
    await store.close();
  }
});

test('close stops the thread first, so the last connection cleans the WAL up', async () => {
  const file = join(dir, 'close.db');
  const store = new SqliteTaskStore(file, { checkpointEveryMs: 20 });
  await store.transaction(async (tx) =>
    tx.appendEvents([
      { taskId: 't', parentId: null, stepId: null, state: 'queued', from: null, attempt: 0, at: 1, error: null, runAt: null },
    ]),
  );
  await store.close();
  assert.throws(() => statSync(`${file}-wal`), /ENOENT/);
});

test('an in-memory store has no checkpoint thread', async () => {
  const store = new SqliteTaskStore(':memory:');
  assert.equal(store.checkpointer, undefined);
  await store.close();
});
