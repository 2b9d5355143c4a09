import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonShapeViolation } from './json-shape.ts';

describe('jsonShapeViolation', () => {
  it('accepts an ordinary MCP message', () => {
    const call = {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'fs__read_file', arguments: { path: 'a', list: [1, [2, { x: 3 }]] } },
    };
    assert.equal(jsonShapeViolation(call), undefined);
    assert.equal(jsonShapeViolation('text'), undefined);
    assert.equal(jsonShapeViolation(null), undefined);
  });

  it('refuses nesting past the limit without recursing (100,000 levels)', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    assert.match(jsonShapeViolation(deep) ?? '', /nests deeper than 64 levels/);
    let exact: unknown = 1;
    for (let i = 0; i < 64; i++) exact = [exact];
    assert.equal(jsonShapeViolation(exact), undefined);
    assert.match(jsonShapeViolation([exact]) ?? '', /deeper than 64/);
  });

  it('refuses more values than the limit, counting object members and array elements', () => {
    assert.match(jsonShapeViolation({ a: new Array(1_000_000).fill(0) }) ?? '', /more than 100000 values/);
    assert.equal(jsonShapeViolation({ a: new Array(99_999).fill(0) }), undefined);
    assert.match(jsonShapeViolation({ a: [1, 2], b: { c: 1 } }, { maxDepth: 10, maxValues: 4 }) ?? '', /more than 4 values/);
  });
});
