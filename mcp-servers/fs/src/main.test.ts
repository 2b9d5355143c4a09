import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { parseFsArgs } from './main.ts';

describe('fs server flags', () => {
  it('takes several roots, read-only and limits', () => {
    const { config, transport } = parseFsArgs(['--root', '/tmp', '--root', '/nonexistent-x', '--read-only', '--max-read-bytes', '10'], {});
    assert.equal(config.roots.length, 2);
    assert.equal(config.roots[1], '/nonexistent-x');
    assert.equal(config.readOnly, true);
    assert.equal(config.maxReadBytes, 10);
    assert.equal(transport.transport, 'stdio');
  });

  it('reads roots from FS_ROOTS when no flag is given', () => {
    assert.deepEqual(parseFsArgs(['--mock'], { FS_ROOTS: '/a:/b' }).config.roots, ['/a', '/b']);
  });

  it('refuses a missing root, a bad limit and --seed without --mock, naming the flag', () => {
    assert.throws(
      () => parseFsArgs([], {}),
      (e: ToolError) => e.code === 'INVALID_CONFIG' && /--root/.test(e.message),
    );
    assert.throws(() => parseFsArgs(['--root', '/tmp', '--max-write-bytes', 'lots'], {}), /--max-write-bytes/);
    assert.throws(() => parseFsArgs(['--root', '/tmp', '--seed', '/tmp'], {}), /--seed works only with --mock/);
  });
});
