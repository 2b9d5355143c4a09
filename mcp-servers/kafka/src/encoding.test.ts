import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { encodeBytes, fromBase64, headersToJson } from './encoding.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('encoding', () => {
  it('answers text when the bytes are UTF-8 without NUL, else base64, as asked', () => {
    assert.deepEqual(encodeBytes(new TextEncoder().encode('héllo'), 'auto', 'value'), { value: 'héllo' });
    assert.deepEqual(encodeBytes(bytes(0xff, 0xfe), 'auto', 'value'), { valueBase64: '//4=' });
    assert.deepEqual(encodeBytes(bytes(0x61, 0x00), 'auto', 'key'), { keyBase64: 'YQA=' });
    assert.deepEqual(encodeBytes(bytes(0x61, 0x00), 'utf8', 'key'), { key: 'a\u0000' });
    assert.deepEqual(encodeBytes(new TextEncoder().encode('hi'), 'base64', 'value'), { valueBase64: 'aGk=' });
    assert.throws(
      () => encodeBytes(bytes(0xff), 'utf8', 'value'),
      (e: ToolError) => e.code === 'INVALID_ARGUMENT' && e.field === 'encoding',
    );
  });

  it('accepts canonical base64 only, naming the field', () => {
    assert.deepEqual([...fromBase64('AAE=', 'messages.0.valueBase64')], [0, 1]);
    for (const bad of ['%%%', 'AAE', 'AA E=', 'AAE=\n'])
      assert.throws(
        () => fromBase64(bad, 'messages.0.valueBase64'),
        (e: ToolError) => e.field === 'messages.0.valueBase64',
      );
  });

  it('renders headers as text, non-text as { base64 }, repeated ones as arrays', () => {
    assert.deepEqual(headersToJson({ a: new TextEncoder().encode('x'), b: bytes(0xff), c: [new TextEncoder().encode('1'), bytes(0x80)] }), {
      a: 'x',
      b: { base64: '/w==' },
      c: ['1', { base64: 'gA==' }],
    });
  });
});
