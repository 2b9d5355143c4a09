import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeGlob, literalPrefix, redisGlobMatch } from './redis-glob.ts';

describe('redisGlobMatch', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['app:*', 'app:x', true],
    ['app:*', 'apple', false],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hallo', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['*:*:end', 'x:y:end', true],
    ['*:*:end', 'x:end', false],
    ['a**b', 'ab', true],
    ['tail\\', 'tail\\', true],
  ];
  for (const [pattern, text, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${text}`, () => assert.equal(redisGlobMatch(pattern, text), expected));
  }
});

describe('literalPrefix and escapeGlob', () => {
  it('reads the literal start, unescaping', () => {
    assert.equal(literalPrefix('app:*'), 'app:');
    assert.equal(literalPrefix('app\\:x?'), 'app:x');
    assert.equal(literalPrefix('[a]pp'), '');
    assert.equal(literalPrefix('plain'), 'plain');
  });

  it('escapes so a text matches only itself', () => {
    const text = 'a*b?[c]\\d';
    assert.equal(redisGlobMatch(escapeGlob(text), text), true);
    assert.equal(redisGlobMatch(escapeGlob(text), 'axb?[c]\\d'), false);
    assert.equal(literalPrefix(`${escapeGlob(text)}*`), text);
  });
});
