import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TOOL_NAME, namespacedName } from './names.ts';

describe('namespaced tool names', () => {
  it('joins server and tool with a double underscore', () => {
    assert.equal(namespacedName('fs', 'read_file'), 'fs__read_file');
  });

  it('keeps long names within 64 characters, stable and distinct', () => {
    const a = namespacedName('server', 'x'.repeat(80));
    const b = namespacedName('server', `${'x'.repeat(79)}y`);
    assert.equal(a.length, MAX_TOOL_NAME);
    assert.equal(b.length, MAX_TOOL_NAME);
    assert.notEqual(a, b);
    assert.equal(a, namespacedName('server', 'x'.repeat(80)));
    assert.ok(a.startsWith('server__xxx'));
  });
});
