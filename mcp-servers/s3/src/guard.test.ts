import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { bucketRule, checkKey, checkObject, keyInScope, listingPrefix, parseBucketSpecs } from './guard.ts';

const rules = parseBucketSpecs(['docs', 'shared:team/', 'shared:public', 'logs:app/']);
const refused = (action: () => unknown, code: string, field: string) =>
  assert.throws(action, (e: ToolError) => e.code === code && e.field === field);

describe('checkKey', () => {
  it('accepts ordinary keys, unicode and folder markers', () => {
    for (const key of ['a.txt', 'docs/2024/report.pdf', 'with space/ü.txt', 'dir/', 'a..b/c', '.hidden', 'x/.env']) checkKey(key);
  });

  it('refuses dot segments, leading slashes, backslashes and empty segments', () => {
    for (const key of ['..', '../x', 'a/../b', 'a/..', './a', 'a/./b', '/etc/passwd', '//x', 'a//b', 'a\\..\\b', 'a\\b']) {
      refused(() => checkKey(key), 'INVALID_ARGUMENT', 'key');
    }
  });

  it('refuses control characters anywhere, empty keys and keys over 1024 bytes', () => {
    for (const key of ['a\0b', 'a\nb', 'tab\there', 'del\u007f', 'c1\u0085', '', 'x'.repeat(1025), 'é'.repeat(513)]) {
      refused(() => checkKey(key, 'sourceKey'), 'INVALID_ARGUMENT', 'sourceKey');
    }
    checkKey('x'.repeat(1024));
  });
});

describe('bucket and prefix scope', () => {
  it('parses specs: prefixes end in a slash, specs for one bucket merge, a bare name opens it whole', () => {
    assert.deepEqual(rules, [
      { name: 'docs', prefixes: [] },
      { name: 'shared', prefixes: ['public/', 'team/'] },
      { name: 'logs', prefixes: ['app/'] },
    ]);
    assert.deepEqual(parseBucketSpecs(['bk1:x/', 'bk1']), [{ name: 'bk1', prefixes: [] }]);
  });

  it('refuses bad bucket names and bad prefixes in the config', () => {
    for (const spec of ['UPPER', 'a', 'bad_name', 'ok-bucket:../x', 'ok-bucket:/abs']) {
      refused(() => parseBucketSpecs([spec]), 'INVALID_CONFIG', 'buckets');
    }
  });

  it('refuses buckets outside the allowlist, naming the allowed ones', () => {
    assert.throws(() => bucketRule(rules, 'secrets'), /bucket 'secrets' is not allowed \(allowed: docs, shared, logs\)/);
    refused(() => checkObject(rules, 'secrets', 'a.txt'), 'ACL_DENIED', 'bucket');
  });

  it('keeps keys inside their prefixes, per segment', () => {
    checkObject(rules, 'shared', 'team/a.txt');
    checkObject(rules, 'docs', 'anything/at/all');
    refused(() => checkObject(rules, 'shared', 'private/a.txt'), 'ACL_DENIED', 'key');
    refused(() => checkObject(rules, 'shared', 'team-evil/a.txt'), 'ACL_DENIED', 'key');
    refused(() => checkObject(rules, 'shared', 'team'), 'ACL_DENIED', 'key');
    refused(() => checkObject(rules, 'shared', 'team/../private/a.txt'), 'INVALID_ARGUMENT', 'key');
    refused(() => checkObject(rules, 'logs', 'x', { bucket: 'sourceBucket', key: 'sourceKey' }), 'ACL_DENIED', 'sourceKey');
    assert.equal(keyInScope({ name: 'x', prefixes: [] }, 'any'), true);
  });

  it('scopes listings: a lone prefix is the default, others must sit under an allowed prefix', () => {
    const shared = bucketRule(rules, 'shared');
    const logs = bucketRule(rules, 'logs');
    assert.equal(listingPrefix(logs, undefined), 'app/');
    assert.equal(listingPrefix(logs, 'app/2024/'), 'app/2024/');
    assert.equal(listingPrefix(bucketRule(rules, 'docs'), 'a'), 'a');
    refused(() => listingPrefix(shared, undefined), 'ACL_DENIED', 'prefix');
    refused(() => listingPrefix(logs, 'ap'), 'ACL_DENIED', 'prefix');
    refused(() => listingPrefix(logs, 'app/../x'), 'INVALID_ARGUMENT', 'prefix');
    refused(() => listingPrefix(logs, '/app/'), 'INVALID_ARGUMENT', 'prefix');
  });
});
