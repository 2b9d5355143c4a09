import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertErrorCode, assertIdempotent, errorCodeOf } from './tool-result.ts';

describe('errorCodeOf', () => {
  it('prefers _meta switchboard/error', () => {
    assert.equal(
      errorCodeOf({ isError: true, text: 'OTHER: x', meta: { 'switchboard/error': { code: 'ACL_DENIED', message: 'm' } } }),
      'ACL_DENIED',
    );
  });

  it('falls back to the text prefix before the colon', () => {
    assert.equal(errorCodeOf({ isError: true, text: 'TIMEOUT: took too long' }), 'TIMEOUT');
    assert.equal(errorCodeOf({ isError: true, text: 'something broke' }), undefined);
  });

  it('is undefined for a successful result', () => {
    assert.equal(errorCodeOf({ isError: false, text: 'ACL_DENIED: looks like one' }), undefined);
  });
});

describe('assertErrorCode', () => {
  it('passes on the expected code and fails on another or on success', () => {
    assert.equal(assertErrorCode('s', 'ACL_DENIED', { isError: true, text: 'ACL_DENIED: no' }).passed, true);
    const other = assertErrorCode('s', 'ACL_DENIED', { isError: true, text: 'TIMEOUT: slow' });
    assert.equal(other.passed, false);
    assert.equal(other.actual, 'TIMEOUT');
    const success = assertErrorCode('s', 'ACL_DENIED', { isError: false, text: 'fine' });
    assert.equal(success.passed, false);
    assert.equal(success.message, 'the result is not an error');
    assert.equal(success.name, 's errorCode is ACL_DENIED');
  });
});

describe('assertIdempotent', () => {
  const first = { isError: false, text: 'a', structuredContent: { n: 1, list: [1, 2] } };

  it('passes when isError, text and structuredContent repeat (meta may differ)', () => {
    assert.equal(
      assertIdempotent('s', first, { ...first, structuredContent: { list: [1, 2], n: 1 }, meta: { traceId: 'x' } }).passed,
      true,
    );
  });

  it('fails naming what differs', () => {
    const failed = assertIdempotent('s', first, { isError: false, text: 'b', structuredContent: { n: 2, list: [1, 2] } });
    assert.equal(failed.passed, false);
    assert.equal(failed.message, 'differs in text, structuredContent');
    assert.equal(assertIdempotent('s', first, { ...first, isError: true }).message, 'differs in isError');
  });

  it('treats a missing structuredContent on both sides as equal', () => {
    assert.equal(assertIdempotent('s', { isError: false, text: 'a' }, { isError: false, text: 'a' }).passed, true);
  });
});
