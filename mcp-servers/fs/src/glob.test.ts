import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globMatcher, pathGlobToRegExp } from './glob.ts';

describe('path globs', () => {
  it('matches names anywhere when the glob has no slash', () => {
    const md = globMatcher('*.md');
    assert.equal(md('notes/plan.md'), true);
    assert.equal(md('plan.md'), true);
    assert.equal(md('plan.mdx'), false);
  });

  it('matches relative paths with ** and {a,b}', () => {
    const ts = globMatcher('src/**/*.{ts,tsx}');
    assert.equal(ts('src/a.ts'), true);
    assert.equal(ts('src/x/y/b.tsx'), true);
    assert.equal(ts('lib/a.ts'), false);
  });

  it('keeps regex metacharacters literal and * inside a segment', () => {
    assert.equal(pathGlobToRegExp('a.b').test('axb'), false);
    assert.equal(pathGlobToRegExp('a/*').test('a/b/c'), false);
    assert.equal(pathGlobToRegExp('(x)+?').test('(x)+y'), true);
  });
});
