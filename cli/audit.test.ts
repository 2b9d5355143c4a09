import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRecord, parseTime, queryOf } from './audit.ts';
import { UsageError } from './usage.ts';

const now = Date.parse('2026-01-01T12:00:00Z');

describe('switchboard audit', () => {
  it('reads durations and dates for --since and --until', () => {
    assert.equal(parseTime('15m', '--since', now), now - 15 * 60_000);
    assert.equal(parseTime('2h', '--since', now), now - 2 * 3_600_000);
    assert.equal(parseTime('7d', '--since', now), now - 7 * 86_400_000);
    assert.equal(parseTime('2026-01-01T00:00:00Z', '--since', now), Date.parse('2026-01-01T00:00:00Z'));
    assert.throws(
      () => parseTime('yesterday', '--since', now),
      (e: Error) => e instanceof UsageError && /^--since: 'yesterday'/.test(e.message),
    );
  });

  it('turns flags into a query, refusing an unknown outcome or a bad limit', () => {
    assert.deepEqual(queryOf({ principal: 'key:ci', tool: 'fs__*', outcome: 'denied', since: '1h' }, now), {
      principal: 'key:ci',
      tool: 'fs__*',
      outcome: 'denied',
      since: now - 3_600_000,
      limit: 100,
    });
    assert.throws(() => queryOf({ outcome: 'maybe' }), /--outcome: must be one of unfinished, ok, error, denied, rate_limited/);
    assert.throws(() => queryOf({ limit: '0' }), /--limit/);
  });

  it('prints one line per record with the refusal rule', () => {
    const line = formatRecord({
      id: 'x',
      instance: 'i',
      startedAt: now,
      principal: 'agent:reader',
      role: 'reader',
      onBehalfOf: 'key:ci',
      tool: 'fs__write_file',
      argsDigest: 'sha256:0',
      argKeys: ['path'],
      correlationId: 'c1',
      depth: 1,
      outcome: 'denied',
      errorCode: 'ACL_DENIED',
      rule: 'roles/reader.yaml tools.allow',
      durationMs: 0,
    });
    assert.equal(
      line,
      '2026-01-01T12:00:00.000Z  denied        agent:reader (reader, for key:ci)  fs__write_file  ACL_DENIED  rule: roles/reader.yaml tools.allow  corr=c1',
    );
  });
});
