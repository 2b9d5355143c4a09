import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { decodeScanCursor, encodeScanCursor } from './scan-cursor.ts';

describe('scan cursor', () => {
  it('is the Redis cursor itself when nothing is pending', () => {
    assert.equal(encodeScanCursor({ cursor: '1234', pending: [] }), '1234');
    assert.deepEqual(decodeScanCursor('0'), { cursor: '0', pending: [] });
  });

  it('carries overshoot keys and reads them back', () => {
    const position = { cursor: '17', pending: ['app:ü', 'app:x.y'] };
    const token = encodeScanCursor(position);
    assert.match(token, /^17\.[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeScanCursor(token), position);
  });

  it('refuses tokens it did not make, naming the field', () => {
    for (const token of [
      '',
      'abc',
      '-1',
      '1.',
      '1.!!',
      `1.${Buffer.from('{"a":1}').toString('base64url')}`,
      `1.${Buffer.from('[1]').toString('base64url')}`,
      `1.${'A'.repeat(70_000)}`,
    ]) {
      assert.throws(
        () => decodeScanCursor(token),
        (e: ToolError) => e.code === 'INVALID_ARGUMENT' && e.field === 'cursor',
        token.slice(0, 20),
      );
    }
  });
});
