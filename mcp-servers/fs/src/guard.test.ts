import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { displayPath, isInside, resolveInsideRoot } from './guard.ts';

const roots = ['/srv/root', '/data/extra'];
const refused = (path: string, code: string) =>
  assert.throws(
    () => resolveInsideRoot(roots, path),
    (e: ToolError) => e.code === code && e.field === 'path',
  );

describe('resolveInsideRoot', () => {
  it('resolves relative paths against the first root', () => {
    assert.deepEqual(resolveInsideRoot(roots, 'a/b.txt'), { root: '/srv/root', absolute: '/srv/root/a/b.txt', relative: 'a/b.txt' });
    assert.equal(resolveInsideRoot(roots, '').absolute, '/srv/root');
    assert.equal(resolveInsideRoot(roots, '.').relative, '');
    assert.equal(resolveInsideRoot(roots, 'a/../b').absolute, '/srv/root/b');
  });

  it('accepts absolute paths under any root', () => {
    assert.equal(resolveInsideRoot(roots, '/data/extra/x').root, '/data/extra');
    assert.equal(resolveInsideRoot(roots, '/srv/root/').absolute, '/srv/root');
  });

  it('refuses escapes: dot-dot, absolute paths elsewhere, prefix confusion', () => {
    refused('../etc/passwd', 'ACL_DENIED');
    refused('a/../../root-evil/x', 'ACL_DENIED');
    refused('/etc/passwd', 'ACL_DENIED');
    refused('/srv/root-evil/x', 'ACL_DENIED');
    refused('/srv/rootx', 'ACL_DENIED');
    refused('/srv', 'ACL_DENIED');
  });

  it('refuses NUL bytes and backslashes', () => {
    refused('a\0.txt', 'INVALID_ARGUMENT');
    refused('..\\..\\windows', 'INVALID_ARGUMENT');
  });

  it('names the roots in the refusal so the caller can correct itself', () => {
    assert.throws(() => resolveInsideRoot(roots, '/etc/passwd'), /outside the allowed roots \(\/srv\/root, \/data\/extra\)/);
  });
});

describe('isInside and displayPath', () => {
  it('compares per segment', () => {
    assert.equal(isInside('/a/b', '/a/b'), true);
    assert.equal(isInside('/a/b', '/a/b/c'), true);
    assert.equal(isInside('/a/b', '/a/bc'), false);
    assert.equal(isInside('/', '/anything'), true);
  });

  it('shows first-root paths relative and others absolute', () => {
    assert.equal(displayPath(roots, resolveInsideRoot(roots, 'x/y')), 'x/y');
    assert.equal(displayPath(roots, resolveInsideRoot(roots, '.')), '.');
    assert.equal(displayPath(roots, resolveInsideRoot(roots, '/data/extra/z')), '/data/extra/z');
  });
});
