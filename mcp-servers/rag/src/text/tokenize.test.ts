import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terms, words } from './tokenize.ts';

describe('tokenizer', () => {
  it('lowercases words and drops punctuation', () => {
    assert.deepEqual(words('Hello, World! 42 times.'), ['hello', 'world', '42', 'times']);
  });

  it('splits identifiers and keeps the whole', () => {
    assert.deepEqual(words('parseHTTPHeader'), ['parsehttpheader', 'parse', 'http', 'header']);
  });

  it('keeps letters of other scripts', () => {
    assert.deepEqual(words('Größe café'), ['größe', 'café']);
  });

  it('removes stopwords and stems', () => {
    assert.deepEqual(terms('What are the effects of connecting the wings?'), ['effect', 'connect', 'wing']);
  });

  it('cuts overlong runs', () => {
    assert.equal(words('x'.repeat(500))[0]?.length, 40);
  });
});
