import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyOf, encodeBody, jsonSafe } from './body.ts';
import { topicMatches } from './topic.ts';

describe('message bodies', () => {
  it('encodes text as content and other bytes as base64', () => {
    assert.deepEqual(encodeBody(new TextEncoder().encode('héllo'), 'auto'), { content: 'héllo' });
    assert.deepEqual(encodeBody(new Uint8Array([0xff]), 'auto'), { contentBase64: '/w==' });
    assert.deepEqual(encodeBody(new Uint8Array([0x61, 0]), 'auto'), { contentBase64: 'YQA=' });
    assert.deepEqual(encodeBody(new TextEncoder().encode('a'), 'base64'), { contentBase64: 'YQ==' });
    assert.throws(() => encodeBody(new Uint8Array([0xff]), 'utf8'), /encoding: base64/);
    assert.deepEqual(bodyOf({ contentBase64: 'YQ==' }), { data: new Uint8Array([0x61]), field: 'contentBase64' });
    assert.throws(() => bodyOf({ contentBase64: 'Y Q' }), /not valid base64/);
  });

  it('makes AMQP header tables JSON-safe', () => {
    assert.deepEqual(jsonSafe({ b: Buffer.from('hi'), d: new Date(0), n: 10n, nested: { list: [1, 'x'] }, u: undefined }), {
      b: { base64: 'aGk=' },
      d: '1970-01-01T00:00:00.000Z',
      n: '10',
      nested: { list: [1, 'x'] },
      u: null,
    });
  });
});

describe('topicMatches', () => {
  it('matches * as one word and # as zero or more', () => {
    assert.equal(topicMatches('orders.*', 'orders.eu'), true);
    assert.equal(topicMatches('orders.*', 'orders.eu.created'), false);
    assert.equal(topicMatches('orders.#', 'orders'), true);
    assert.equal(topicMatches('orders.#', 'orders.eu.created'), true);
    assert.equal(topicMatches('#.created', 'orders.eu.created'), true);
    assert.equal(topicMatches('orders.eu', 'orders.us'), false);
    assert.equal(topicMatches('#', ''), true);
  });
});
