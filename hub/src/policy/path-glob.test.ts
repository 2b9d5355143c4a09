import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalisePathArgument, pathGlobToRegExp } from './path-glob.ts';

const matches = (glob: string, path: string) => {
  const normal = normalisePathArgument(path);
  return normal !== undefined && pathGlobToRegExp(glob).test(normal);
};

describe('path globs for argument rules', () => {
  it('** spans directories, * and ? stay inside one segment', () => {
    assert.equal(matches('src/**', 'src/a/b/c.ts'), true);
    assert.equal(matches('src/**', 'src'), true, 'dir/** covers the directory itself');
    assert.equal(matches('src/*', 'src/a.ts'), true);
    assert.equal(matches('src/*', 'src/a/b.ts'), false);
    assert.equal(matches('src/**/*.ts', 'src/x/y/a.ts'), true);
    assert.equal(matches('src/**/*.ts', 'src/a.ts'), true);
    assert.equal(matches('src/**/*.ts', 'src/a.js'), false);
    assert.equal(matches('**/*.md', 'a/b/c.md'), true);
    assert.equal(matches('file?.txt', 'file1.txt'), true);
    assert.equal(matches('file?.txt', 'file/.txt'), false);
  });

  it('does not let a look-alike prefix through', () => {
    assert.equal(matches('src/**', 'srcevil/x'), false);
    assert.equal(matches('src/**', 'other/src/x'), false);
    assert.equal(matches('src/**', '/src/x'), false, 'absolute paths are not relative ones');
  });

  it('normalises before matching, so .. cannot climb out of the allowed tree', () => {
    assert.equal(matches('src/**', 'src/../etc/passwd'), false);
    assert.equal(matches('src/**', 'src/../src/ok.ts'), true);
    assert.equal(matches('src/**', './src/a.ts'), true);
    assert.equal(matches('src/**', 'src/a/'), true);
    assert.equal(normalisePathArgument('../x'), undefined);
    assert.equal(normalisePathArgument('src/../../x'), undefined);
    assert.equal(normalisePathArgument('src/\0x'), undefined);
    assert.equal(normalisePathArgument(''), undefined);
  });

  it('treats regex metacharacters literally', () => {
    assert.equal(matches('a.b/**', 'axb/c'), false);
    assert.equal(matches('(x)/**', '(x)/y'), true);
  });
});
