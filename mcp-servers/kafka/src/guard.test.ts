import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { checkGroup, checkHeaders, checkTopic, checkTopicName, matchesAllowlist } from './guard.ts';

const refused = (action: () => unknown, code: string, field: string) =>
  assert.throws(action, (e: ToolError) => e.code === code && e.field === field);

const lists = { produceTopics: ['orders', 'events.*'], consumeTopics: ['orders', 'audit'] };

describe('topic names and allowlists', () => {
  it('matches exact names and trailing-star prefixes only', () => {
    assert.equal(matchesAllowlist(['orders', 'events.*'], 'orders'), true);
    assert.equal(matchesAllowlist(['orders', 'events.*'], 'orders2'), false);
    assert.equal(matchesAllowlist(['orders', 'events.*'], 'events.eu'), true);
    assert.equal(matchesAllowlist(['orders', 'events.*'], 'eventsX'), false);
    assert.equal(matchesAllowlist(['*'], 'anything'), true);
    assert.equal(matchesAllowlist([], 'orders'), false);
  });

  it('keeps produce and consume allowlists apart', () => {
    checkTopic(lists, 'events.eu', ['produce']);
    refused(() => checkTopic(lists, 'events.eu', ['consume']), 'ACL_DENIED', 'topic');
    checkTopic(lists, 'audit', ['consume']);
    refused(() => checkTopic(lists, 'audit', ['produce']), 'ACL_DENIED', 'topic');
    checkTopic(lists, 'audit', ['produce', 'consume']);
    assert.throws(
      () => checkTopic(lists, 'payroll', ['produce']),
      /topic 'payroll' is not allowed for produce \(allowed: orders, events\.\*\)/,
    );
    assert.throws(() => checkTopic(lists, 'payroll', ['produce', 'consume']), /not allowed \(allowed: orders, events\.\*, audit\)/);
    refused(() => checkTopic({ produceTopics: [], consumeTopics: [] }, 'x', ['consume']), 'ACL_DENIED', 'topic');
  });

  it('refuses the cluster’s internal topics even under a wildcard', () => {
    const all = { produceTopics: ['*'], consumeTopics: ['*'] };
    refused(() => checkTopic(all, '__consumer_offsets', ['produce']), 'ACL_DENIED', 'topic');
    refused(() => checkTopic(all, '__transaction_state', ['consume']), 'ACL_DENIED', 'topic');
    checkTopic(all, '_schemas', ['consume']);
  });

  it('refuses names Kafka would refuse: empty, too long, dots alone, other characters', () => {
    for (const bad of ['', '.', '..', 'a'.repeat(250), 'has space', 'slash/x', 'nl\n', 'ü', 'star*'])
      refused(() => checkTopicName(bad), 'INVALID_ARGUMENT', 'topic');
    checkTopicName('a'.repeat(249));
    checkTopicName('Orders_v2.eu-west');
  });
});

describe('consumer groups', () => {
  it('checks the group allowlist and the name', () => {
    checkGroup(['*'], 'anything');
    checkGroup(['agents-*'], 'agents-reporting');
    refused(() => checkGroup(['agents-*'], 'billing-service'), 'ACL_DENIED', 'group');
    refused(() => checkGroup(['*'], ''), 'INVALID_ARGUMENT', 'group');
    refused(() => checkGroup(['*'], 'g\u0000'), 'INVALID_ARGUMENT', 'group');
    refused(() => checkGroup(['*'], 'g'.repeat(256)), 'INVALID_ARGUMENT', 'group');
  });
});

describe('headers', () => {
  const at = 'messages.0.headers';

  it('accepts ordinary headers and counts their bytes', () => {
    assert.equal(checkHeaders(undefined, at), 0);
    assert.equal(checkHeaders({ traceparent: '00-abc-01', 'content-type': 'application/json' }, at), 48);
  });

  it('refuses malformed names and values, naming the header', () => {
    refused(() => checkHeaders({ 'bad name': 'v' }, at), 'INVALID_ARGUMENT', `${at}.bad name`);
    refused(() => checkHeaders({ '': 'v' }, at), 'INVALID_ARGUMENT', `${at}.`);
    refused(() => checkHeaders({ 'n\r\nx': 'v' }, at), 'INVALID_ARGUMENT', `${at}.n\r\nx`);
    refused(() => checkHeaders({ crlf: 'a\r\nb' }, at), 'INVALID_ARGUMENT', `${at}.crlf`);
    refused(() => checkHeaders({ nul: 'a\u0000' }, at), 'INVALID_ARGUMENT', `${at}.nul`);
    refused(() => checkHeaders({ __TypeId__: 'com.evil.Gadget' }, at), 'INVALID_ARGUMENT', `${at}.__TypeId__`);
    refused(() => checkHeaders({ '__connect.errors.topic': 'x' }, at), 'INVALID_ARGUMENT', `${at}.__connect.errors.topic`);
  });

  it('bounds header sizes and counts', () => {
    refused(() => checkHeaders({ big: 'x'.repeat(4097) }, at), 'TOO_LARGE', `${at}.big`);
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`h${i}`, 'v']));
    refused(() => checkHeaders(many, at), 'TOO_LARGE', at);
    const wide = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`h${i}`, 'x'.repeat(4000)]));
    refused(() => checkHeaders(wide, at), 'TOO_LARGE', at);
  });
});
