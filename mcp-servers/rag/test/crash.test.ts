import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteRagStore } from '../src/backend-real.ts';
import { RagConfigSchema } from '../src/config.ts';
import { createEngine } from '../src/main.ts';
import { crashBatches } from './fixtures/crash-batches.ts';

const base = mkdtempSync(join(tmpdir(), 'sb-rag-crash-'));
after(() => rmSync(base, { recursive: true, force: true }));

function runChild(
  data: string,
  dieAfter: number,
): Promise<{ signal: NodeJS.Signals | null; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'crash-child.ts'), data, String(dieAfter)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LOG_LEVEL: 'silent' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** What a collection holds, read back by a fresh process-equivalent: a new store and engine. */
async function reopen(data: string) {
  const engine = createEngine(RagConfigSchema.parse({ data }), new SqliteRagStore(data));
  const documents = engine.store.documents('c');
  const counts = engine.store.counts('c');
  const statistics = engine.store.statistics('c');
  const search = await engine.search('c', { query: 'bravo study measurements', k: 50, mode: 'hybrid' });
  return { engine, documents, counts, statistics, search };
}

/** The statistics of a collection holding exactly `docs`, indexed in a clean data dir. */
async function cleanStatistics(name: string, docs: typeof crashBatches.a) {
  const data = join(base, name);
  const engine = createEngine(RagConfigSchema.parse({ data }));
  await engine.createCollection('c', {});
  await engine.index('c', docs);
  const statistics = engine.store.statistics('c');
  await engine.close();
  return statistics;
}

describe('rag crash safety', { timeout: 120_000 }, () => {
  it('a process killed mid-index leaves the collection as it was before the call', async () => {
    const data = join(base, 'mid');
    const child = await runChild(data, 7);
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    assert.match(child.stdout, /committed A/);
    assert.doesNotMatch(child.stdout, /committed B/);
    const state = await reopen(data);
    assert.deepEqual(state.documents.map((d) => d.id).sort(), crashBatches.a.map((d) => d.id).sort());
    assert.equal(
      state.counts.chunks,
      state.documents.reduce((n, d) => n + d.chunkCount, 0),
      'no orphan chunks',
    );
    assert.equal(
      state.search.some((r) => r.documentId.startsWith('b-')),
      false,
    );
    const expected = await cleanStatistics('clean-a', crashBatches.a);
    assert.equal(state.statistics.documents, expected.documents);
    assert.deepEqual([...state.statistics.df].sort(), [...expected.df].sort(), 'the IDF statistics hold no trace of B');
    // And the collection keeps working: B can be indexed now.
    const outcome = await state.engine.index('c', crashBatches.b);
    assert.equal(outcome.indexed.length, 40);
    await state.engine.close();
  });

  it('a process killed after the commit keeps the whole write', async () => {
    const data = join(base, 'after');
    const child = await runChild(data, 1_000_000);
    assert.equal(child.code, 0, child.stderr);
    const state = await reopen(data);
    assert.equal(state.documents.length, 52);
    assert.ok(state.search.some((r) => r.documentId.startsWith('b-')));
    await state.engine.close();
  });
});
