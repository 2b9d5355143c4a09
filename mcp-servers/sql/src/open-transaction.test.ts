import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpenTransaction } from './open-transaction.ts';

/** Records the protocol messages a submittable sends. */
function fakeConnection() {
  const sent: string[] = [];
  return {
    sent,
    connection: {
      parse: ({ text }: { text: string }) => sent.push(`parse ${text}`),
      bind: ({ values }: { values?: unknown[] }) => sent.push(`bind ${JSON.stringify(values ?? [])}`),
      execute: () => sent.push('execute'),
      sync: () => sent.push('sync'),
      stream: {},
    },
  };
}

describe('OpenTransaction', () => {
  it('sends BEGIN READ ONLY, the timeout and the gate in one batch with one Sync; the statement only inside EXPLAIN', async () => {
    const { sent, connection } = fakeConnection();
    const opening = new OpenTransaction({ readOnly: true, timeoutMs: 1500, explain: { sql: 'SELECT $1', params: [7] } });
    opening.submit(connection);
    assert.deepEqual(sent, [
      'parse BEGIN READ ONLY',
      'bind []',
      'execute',
      "parse SELECT set_config('statement_timeout', $1, true)",
      'bind ["1500"]',
      'execute',
      'parse EXPLAIN (VERBOSE, FORMAT JSON)\nSELECT $1',
      'bind ["7"]',
      'execute',
      'sync',
    ]);
    opening.handleCommandComplete();
    opening.handleDataRow({ fields: ['1500'] });
    opening.handleCommandComplete();
    opening.handleDataRow({ fields: ['[{"Plan":{"Node Type":"Result"}}]'] });
    opening.handleCommandComplete();
    opening.handleReadyForQuery();
    assert.deepEqual(await opening.done, { plan: [{ Plan: { 'Node Type': 'Result' } }] });
  });

  it('opens a writing transaction without a gate', async () => {
    const { sent, connection } = fakeConnection();
    const opening = new OpenTransaction({ readOnly: false, timeoutMs: 10 });
    opening.submit(connection);
    assert.equal(sent[0], 'parse BEGIN');
    assert.equal(sent.filter((m) => m.startsWith('parse')).length, 2);
    opening.handleCommandComplete();
    opening.handleCommandComplete();
    opening.handleReadyForQuery();
    assert.deepEqual(await opening.done, {});
  });

  it('fails on a database error, and when the batch ends before the gate answered', async () => {
    const failing = new OpenTransaction({ readOnly: true, timeoutMs: 10, explain: { sql: 'COPY x TO STDOUT', params: [] } });
    failing.handleError(Object.assign(new Error('syntax error at or near "COPY"'), { code: '42601' }));
    await assert.rejects(failing.done, /COPY/);
    const short = new OpenTransaction({ readOnly: true, timeoutMs: 10, explain: { sql: 'SELECT 1', params: [] } });
    short.handleCommandComplete();
    short.handleReadyForQuery();
    await assert.rejects(short.done, /ended early/);
  });
});
