import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { checkAllowed, checkHeaders, checkName, checkRoutingKey, matchesAllowlist } from './guard.ts';

const refused = (action: () => unknown, code: string, field: string) =>
  assert.throws(action, (e: ToolError) => e.code === code && e.field === field);

describe('queue and exchange names', () => {
  it('matches exact names and trailing-star prefixes only', () => {
    assert.equal(matchesAllowlist(['jobs', 'events.*'], 'jobs'), true);
    assert.equal(matchesAllowlist(['jobs', 'events.*'], 'jobs2'), false);
    assert.equal(matchesAllowlist(['jobs', 'events.*'], 'events.orders'), true);
    assert.equal(matchesAllowlist(['jobs', 'events.*'], 'eventsX'), false);
    assert.equal(matchesAllowlist(['*'], 'anything'), true);
    assert.equal(matchesAllowlist([], 'jobs'), false);
  });

  it('refuses names outside the allowlist, naming the allowed ones', () => {
    assert.throws(() => checkAllowed(['jobs'], 'secrets', 'queue', 'queue'), /queue 'secrets' is not allowed \(allowed: jobs\)/);
    refused(() => checkAllowed(['jobs'], 'jobs-evil', 'queue', 'queue'), 'ACL_DENIED', 'queue');
    refused(() => checkAllowed([], 'x', 'exchange', 'exchange'), 'ACL_DENIED', 'exchange');
    refused(() => checkAllowed(['*'], 'amq.gen-123', 'queue', 'queue'), 'ACL_DENIED', 'queue');
    checkAllowed(['amq.topic'], 'amq.topic', 'exchange', 'exchange');
  });

  it('refuses empty, overlong and control-character names and routing keys', () => {
    refused(() => checkName('', 'queue', 'queue'), 'INVALID_ARGUMENT', 'queue');
    refused(() => checkName('q'.repeat(256), 'queue', 'queue'), 'INVALID_ARGUMENT', 'queue');
    refused(() => checkName('jobs\n', 'queue', 'queue'), 'INVALID_ARGUMENT', 'queue');
    refused(() => checkRoutingKey('a\0b'), 'INVALID_ARGUMENT', 'routingKey');
    refused(() => checkRoutingKey('k'.repeat(256)), 'INVALID_ARGUMENT', 'routingKey');
    checkRoutingKey('orders.eu.created');
  });
});

describe('checkHeaders', () => {
  it('accepts ordinary scalar headers', () => {
    checkHeaders({ 'trace-id': 'abc', attempt: 2, urgent: true, 'app:kind': 'x.y' });
    checkHeaders(undefined);
  });

  it('refuses malformed names and values, naming the header', () => {
    refused(() => checkHeaders({ 'bad name': 'x' }), 'INVALID_ARGUMENT', 'headers.bad name');
    refused(() => checkHeaders({ '': 'x' }), 'INVALID_ARGUMENT', 'headers.');
    refused(() => checkHeaders({ ok: 'line\r\nbreak' }), 'INVALID_ARGUMENT', 'headers.ok');
    refused(() => checkHeaders({ n: Number.NaN }), 'INVALID_ARGUMENT', 'headers.n');
    refused(() => checkHeaders({ big: 'v'.repeat(4097) }), 'TOO_LARGE', 'headers.big');
  });

  it('refuses broker-reserved x- headers and CC/BCC, which would route copies past the allowlist', () => {
    for (const name of ['x-delay', 'X-Match', 'x-death', 'CC', 'BCC', 'cc', 'Bcc']) {
      refused(() => checkHeaders({ [name]: 'secrets' }), 'INVALID_ARGUMENT', `headers.${name}`);
    }
  });

  it('bounds the headers as a whole', () => {
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`h${i}`, 'v'.repeat(2000)]));
    refused(() => checkHeaders(many), 'TOO_LARGE', 'headers');
  });
});
