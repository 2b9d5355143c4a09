import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { deniedBy, displayPath, isInside, protectedBy, protectedWithin, resolveInsideRoot } from './guard.ts';

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

  it('refuses NUL bytes, backslashes, control characters, drive letters and ~', () => {
    refused('a\0.txt', 'INVALID_ARGUMENT');
    refused('..\\..\\windows', 'INVALID_ARGUMENT');
    refused('a\nb', 'INVALID_ARGUMENT');
    refused('a\x1b[31m', 'INVALID_ARGUMENT');
    refused('C:/Windows', 'INVALID_ARGUMENT');
    refused('c:', 'INVALID_ARGUMENT');
    refused('~/.ssh/id_rsa', 'INVALID_ARGUMENT');
    refused('~root/x', 'INVALID_ARGUMENT');
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

describe('deny globs and protected paths', () => {
  const globs = ['**/.git/**', '.env', '*.pem', 'private/**', 'build/*.map'];

  it('matches a path, any of its ancestors, and X itself for X/**', () => {
    assert.equal(deniedBy(globs, '.git'), '**/.git/**');
    assert.equal(deniedBy(globs, '.git/config'), '**/.git/**');
    assert.equal(deniedBy(globs, 'vendor/lib/.git/hooks/pre-commit'), '**/.git/**');
    assert.equal(deniedBy(globs, 'app/.env'), '.env');
    assert.equal(deniedBy(globs, '.env/inside'), '.env');
    assert.equal(deniedBy(globs, 'certs/server.pem'), '*.pem');
    assert.equal(deniedBy(globs, 'private'), 'private/**');
    assert.equal(deniedBy(globs, 'private/a/b'), 'private/**');
    assert.equal(deniedBy(globs, 'build/app.js.map'), 'build/*.map');
  });

  it('leaves look-alikes and the root alone', () => {
    for (const path of [
      '',
      '.gitignore',
      '.github/workflows/ci.yml',
      'env',
      '.envrc',
      'x.pem.txt',
      'privateer/x',
      'sub/private/x',
      'build/deep/a.map',
    ]) {
      assert.equal(deniedBy(globs, path), undefined, path);
    }
  });

  it('knows what is protected and what would carry a protected path along', () => {
    const protect = ['/srv/hub/switchboard.yaml', '/srv/hub/roles'];
    assert.equal(protectedBy(protect, '/srv/hub/roles/coder.yaml'), '/srv/hub/roles');
    assert.equal(protectedBy(protect, '/srv/hub/switchboard.yaml'), '/srv/hub/switchboard.yaml');
    assert.equal(protectedBy(protect, '/srv/hub/switchboard.yaml.bak'), undefined);
    assert.equal(protectedWithin(protect, '/srv/hub'), '/srv/hub/switchboard.yaml');
    assert.equal(protectedWithin(protect, '/srv'), '/srv/hub/switchboard.yaml');
    assert.equal(protectedWithin(protect, '/srv/hub/roles'), undefined);
    assert.equal(protectedWithin(protect, '/srv/other'), undefined);
  });
});
