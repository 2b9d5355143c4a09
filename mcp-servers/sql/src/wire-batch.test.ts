import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WireBatch } from './wire-batch.ts';

/** Records the protocol messages a submittable sends. */
function fakeConnection() {
  const sent: string[] = [];
  return {
    sent,
    connection: {
      parse: ({ text }: { text: string }) => sent.push(`parse ${text}`),
      bind: ({ values }: { values?: unknown[] }) => sent.push(`bind ${JSON.stringify(values ?? [])}`),
      describe: () => sent.push('describe'),
      execute: ({ rows }: { rows?: number }) => sent.push(`execute ${rows}`),
      sync: () => sent.push('sync'),
      sendCopyFail: (message: string) => sent.push(`copyFail ${message}`),
      stream: {},
    },
  };
}

describe('WireBatch', () => {
  it('sends every step under one Sync, with values bound apart from the text', async () => {
    const { sent, connection } = fakeConnection();
    const batch = new WireBatch([
      { text: 'BEGIN READ ONLY' },
      { text: 'EXPLAIN (VERBOSE, FORMAT JSON)\nSELECT $1', values: ['7'] },
      { text: 'SELECT $1', values: ['7'], describe: true, maxRows: 50 },
    ]);
    batch.submit(connection);
    assert.deepEqual(sent, [
      'parse BEGIN READ ONLY',
      'bind []',
      'execute 0',
      'parse EXPLAIN (VERBOSE, FORMAT JSON)\nSELECT $1',
      'bind ["7"]',
      'execute 0',
      'parse SELECT $1',
      'bind ["7"]',
      'describe',
      'execute 50',
      'sync',
    ]);
    batch.handleCommandComplete({ text: 'BEGIN' });
    batch.handleDataRow({ fields: ['[{"Plan":{}}]'] });
    batch.handleCommandComplete({ text: 'EXPLAIN' });
    batch.handleRowDescription({ fields: [{ name: 'x', dataTypeID: 25 }] });
    batch.handleDataRow({ fields: ['7'] });
    batch.handlePortalSuspended();
    batch.handleReadyForQuery();
    const [begin, plan, rows] = await batch.done;
    assert.equal(begin?.command, 'BEGIN');
    assert.deepEqual(plan?.rows, [['[{"Plan":{}}]']]);
    assert.deepEqual(rows, { fields: [{ name: 'x', dataTypeID: 25 }], rows: [['7']], suspended: true, dropped: false });
  });

  it('stops keeping rows past the byte budget, says so, and reads command tags with counts', async () => {
    const batch = new WireBatch([{ text: 'INSERT INTO t SELECT … RETURNING v', maxBytes: 10 }]);
    for (const value of ['aaaa', 'bbbb', 'cccc', 'dddd']) batch.handleDataRow({ fields: [value] });
    batch.handleCommandComplete({ text: 'INSERT 0 3' });
    batch.handleReadyForQuery();
    const [step] = await batch.done;
    assert.deepEqual(step?.rows, [['aaaa'], ['bbbb'], ['cccc']]);
    assert.equal(step?.dropped, true);
    assert.equal(step?.command, 'INSERT');
    assert.equal(step?.rowCount, 3);
  });

  it('rejects with the failing step, and when the batch ends early', async () => {
    const failing = new WireBatch([{ text: 'BEGIN' }, { text: 'EXPLAIN (VERBOSE, FORMAT JSON)\nCOPY x TO STDOUT' }]);
    failing.handleCommandComplete({ text: 'BEGIN' });
    failing.handleError(Object.assign(new Error('syntax error at or near "COPY"'), { code: '42601' }));
    await assert.rejects(failing.done, (error: { step?: number }) => error.step === 1);
    const short = new WireBatch([{ text: 'SELECT 1' }, { text: 'SELECT 2' }]);
    short.handleCommandComplete({ text: 'SELECT 1' });
    short.handleReadyForQuery();
    await assert.rejects(short.done, /ended before every step/);
  });

  it('refuses COPY FROM STDIN instead of leaving the server waiting for data', () => {
    const { sent, connection } = fakeConnection();
    new WireBatch([{ text: 'COPY t FROM STDIN' }]).handleCopyInResponse(connection);
    assert.match(sent[0] ?? '', /^copyFail/);
  });
});
