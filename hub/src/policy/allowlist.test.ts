import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideTool } from './allowlist.ts';
import { toolGlobToRegExp } from './glob.ts';

describe('tool allowlists', () => {
  const rules = { allow: ['fs__read_*', 'fs__list_dir', 'sql__*'], deny: ['sql__execute'] };

  it('allows by exact name and by glob', () => {
    assert.deepEqual(decideTool('role r', rules, 'fs__list_dir'), { allowed: true, rule: 'fs__list_dir' });
    assert.deepEqual(decideTool('role r', rules, 'fs__read_file'), { allowed: true, rule: 'fs__read_*' });
  });

  it('denies what no glob allows, naming the allowlist', () => {
    const decision = decideTool("role 'reader'", rules, 'fs__write_file');
    assert.equal(decision.allowed, false);
    assert.match(
      (decision as { reason: string }).reason,
      /role 'reader' may not call 'fs__write_file' \(allowed: fs__read_\*, fs__list_dir, sql__\*\)/,
    );
  });

  it('lets deny win over allow', () => {
    const decision = decideTool('r', rules, 'sql__execute');
    assert.equal(decision.allowed, false);
    assert.match((decision as { reason: string }).reason, /denied by 'sql__execute'/);
  });

  it('treats regex metacharacters in tool names literally and anchors the match', () => {
    assert.equal(toolGlobToRegExp('fs__read_file').test('xfs__read_file'), false);
    assert.equal(toolGlobToRegExp('fs__read_file').test('fs__read_file2'), false);
    assert.equal(toolGlobToRegExp('a.b').test('axb'), false);
    assert.equal(decideTool('r', { allow: [], deny: [] }, 'anything').allowed, false);
  });
});
