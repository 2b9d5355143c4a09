import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { DEFAULT_DENY } from './config.ts';
import { parseFsArgs } from './main.ts';
import { parseRootSpec } from './root-spec.ts';

describe('fs server flags', () => {
  it('takes several roots, read-only and limits', () => {
    const { config, transport } = parseFsArgs(['--root', '/tmp', '--root', '/nonexistent-x', '--read-only', '--max-read-bytes', '10'], {});
    assert.equal(config.roots.length, 2);
    assert.deepEqual(config.roots[1], { path: '/nonexistent-x', readOnly: false, deny: [] });
    assert.equal(config.readOnly, true);
    assert.equal(config.maxReadBytes, 10);
    assert.equal(transport.transport, 'stdio');
  });

  it('reads roots from FS_ROOTS when no flag is given', () => {
    assert.deepEqual(
      parseFsArgs(['--mock'], { FS_ROOTS: '/a:/b' }).config.roots.map((r) => r.path),
      ['/a', '/b'],
    );
  });

  it('takes per-root read-only and deny globs, global deny globs, and protected paths from flags and env', () => {
    const { config } = parseFsArgs(
      ['--mock', '--root', '/w:deny=dist/**,*.log', '--root', '/docs:ro', '--deny', 'secrets/**', '--protect', '/etc/sb'],
      { SWITCHBOARD_PROTECT: '/srv/hub/switchboard.yaml:/srv/hub/roles' },
    );
    assert.deepEqual(config.roots, [
      { path: '/w', readOnly: false, deny: ['dist/**', '*.log'] },
      { path: '/docs', readOnly: true, deny: [] },
    ]);
    assert.deepEqual(config.deny, [...DEFAULT_DENY, 'secrets/**']);
    assert.deepEqual(config.protect, ['/etc/sb', '/srv/hub/switchboard.yaml', '/srv/hub/roles']);
    assert.deepEqual(parseFsArgs(['--mock', '--root', '/w', '--no-default-deny'], {}).config.deny, []);
  });

  it('parses root specs from the end, so colons inside a directory name survive', () => {
    assert.deepEqual(parseRootSpec('/a:b/c:ro'), { path: '/a:b/c', readOnly: true, deny: [] });
    assert.deepEqual(parseRootSpec('/x:ro:deny=.cache/**'), { path: '/x', readOnly: true, deny: ['.cache/**'] });
    assert.deepEqual(parseRootSpec('/plain'), { path: '/plain', readOnly: false, deny: [] });
    assert.throws(() => parseRootSpec(':ro'), /the directory is missing/);
  });

  it('refuses a missing root, a bad limit and --seed without --mock, naming the flag', () => {
    assert.throws(
      () => parseFsArgs([], {}),
      (e: ToolError) => e.code === 'INVALID_CONFIG' && /--root/.test(e.message),
    );
    assert.throws(() => parseFsArgs(['--root', '/tmp', '--max-write-bytes', 'lots'], {}), /--max-write-bytes/);
    assert.throws(() => parseFsArgs(['--root', '/tmp', '--max-read-many-bytes', '-1'], {}), /--max-read-many-bytes/);
    assert.throws(() => parseFsArgs(['--root', '/tmp', '--seed', '/tmp'], {}), /--seed works only with --mock/);
  });
});
