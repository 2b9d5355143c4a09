import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { checkAnswerBytes, checkKey, checkKeys, checkValue, confinePattern, defaultPattern, listWindow, MAX_KEY_BYTES } from './guard.ts';

const prefixes = ['app:', 'cache:'];
const refused = (fn: () => unknown, code: string, field: string) =>
  assert.throws(fn, (e: ToolError) => e.code === code && e.field === field, `${code} ${field}`);

describe('checkKey', () => {
  it('accepts keys under an allowed prefix', () => {
    assert.equal(checkKey('app:user:1', prefixes), 'app:user:1');
    assert.equal(checkKey('cache:x', prefixes), 'cache:x');
    assert.equal(checkKey('anything', []), 'anything');
  });

  it('refuses keys outside every prefix, naming the field and the prefixes', () => {
    for (const key of ['other', 'ap:x', 'APP:x', ' app:x', 'app', 'cache', 'xapp:1'])
      refused(() => checkKey(key, prefixes), 'ACL_DENIED', 'key');
    assert.throws(() => checkKey('secret', prefixes), /outside the allowed prefixes \(app:, cache:\)/);
  });

  it('refuses empty and oversized keys even without prefixes', () => {
    refused(() => checkKey('', []), 'INVALID_ARGUMENT', 'key');
    refused(() => checkKey('k'.repeat(MAX_KEY_BYTES + 1), []), 'INVALID_ARGUMENT', 'key');
    refused(() => checkKey(`app:${'é'.repeat(MAX_KEY_BYTES / 2)}`, prefixes), 'INVALID_ARGUMENT', 'key');
  });

  it('names the index of the bad key in a list', () => {
    assert.deepEqual(checkKeys(['app:a', 'cache:b'], prefixes), ['app:a', 'cache:b']);
    refused(() => checkKeys(['app:a', 'evil'], prefixes), 'ACL_DENIED', 'keys.1');
  });
});

describe('confinePattern', () => {
  it('accepts patterns whose literal start is inside a prefix', () => {
    for (const pattern of ['app:*', 'app:user:?', 'cache:[ab]*', 'app:\\*literal', 'app\\:*', 'app:']) {
      assert.equal(confinePattern(pattern, prefixes), pattern);
    }
  });

  it('refuses patterns that could match outside the prefixes', () => {
    for (const pattern of ['*', '?pp:*', 'app*', 'ap[p]:*', '[a]pp:*', 'a*', 'app\\*', 'other:*', '\\*']) {
      refused(() => confinePattern(pattern, prefixes), 'ACL_DENIED', 'pattern');
    }
    assert.throws(() => confinePattern('*', ['a*b:']), /e\.g\. 'a\\\*b:\*'/);
  });

  it('allows any pattern without prefixes but never an empty one', () => {
    assert.equal(confinePattern('*', []), '*');
    refused(() => confinePattern('', []), 'INVALID_ARGUMENT', 'pattern');
  });

  it('defaults to the single prefix, escaped, and asks for a pattern with several', () => {
    assert.equal(defaultPattern([]), '*');
    assert.equal(defaultPattern(['app:']), 'app:*');
    assert.equal(defaultPattern(['we*rd[']), 'we\\*rd\\[*');
    refused(() => defaultPattern(prefixes), 'INVALID_ARGUMENT', 'pattern');
  });
});

describe('value limits', () => {
  it('counts UTF-8 bytes, not characters', () => {
    assert.equal(checkValue('abcd', 4), 'abcd');
    refused(() => checkValue('ééé', 4), 'TOO_LARGE', 'value');
    refused(() => checkValue('x'.repeat(5), 4, 'values.2'), 'TOO_LARGE', 'values.2');
  });

  it('bounds a whole answer', () => {
    checkAnswerBytes(['ab', null, 'cd'], 4, 'keys', 'ask for fewer');
    refused(() => checkAnswerBytes(['ab', 'cde'], 4, 'keys', 'ask for fewer'), 'TOO_LARGE', 'keys');
  });
});

describe('listWindow', () => {
  it('follows LRANGE index rules', () => {
    assert.deepEqual(listWindow(0, -1, 5, 100), { start: 0, stop: 4, truncated: false });
    assert.deepEqual(listWindow(-2, -1, 5, 100), { start: 3, stop: 4, truncated: false });
    assert.deepEqual(listWindow(-100, 100, 5, 100), { start: 0, stop: 4, truncated: false });
    assert.deepEqual(listWindow(1, 2, 5, 100), { start: 1, stop: 2, truncated: false });
    assert.equal(listWindow(3, 1, 5, 100), undefined);
    assert.equal(listWindow(5, 10, 5, 100), undefined);
    assert.equal(listWindow(0, -1, 0, 100), undefined);
    assert.equal(listWindow(0, -6, 5, 100), undefined);
  });

  it('cuts to the limit and says so', () => {
    assert.deepEqual(listWindow(0, -1, 5, 2), { start: 0, stop: 1, truncated: true });
    assert.deepEqual(listWindow(2, 3, 5, 2), { start: 2, stop: 3, truncated: false });
  });
});
