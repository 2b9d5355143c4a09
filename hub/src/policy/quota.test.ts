import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHubConfig } from '../config/index.ts';
import type { Principal } from './principal.ts';
import { type QuotaDecision, QuotaLimiter, type QuotaTicket } from './quota.ts';

function limiter(yaml: string) {
  const clock = {
    t: 1_000_000,
    now() {
      return this.t;
    },
  };
  return { quotas: new QuotaLimiter(parseHubConfig(yaml, 'sw.yaml', {}).quotas, clock), clock };
}
const alice: Principal = { id: 'key:alice', role: 'admin', kind: 'api-key' };
const bob: Principal = { id: 'key:bob', role: 'reader', kind: 'api-key' };
const ticket = (d: QuotaDecision): QuotaTicket => {
  assert.ok(d.ok, d.ok ? '' : d.reason);
  return d.ticket;
};
const refusal = (d: QuotaDecision) => {
  assert.equal(d.ok, false, 'expected a refusal');
  return d as Extract<QuotaDecision, { ok: false }>;
};

describe('quotas', () => {
  it('limits calls per minute per principal, and says when room opens', () => {
    const { quotas, clock } = limiter('quotas: [{ name: per-minute, callsPerMinute: 3 }]');
    for (let i = 0; i < 3; i++) {
      ticket(quotas.acquire(alice, 'fs__read_file')).release(0);
      clock.t += 10_000;
    }
    const refused = refusal(quotas.acquire(alice, 'fs__read_file'));
    assert.equal(refused.rule, 'per-minute');
    assert.match(refused.reason, /principal 'key:alice' made 3 calls in the last minute \(limit 3\) \(quota 'per-minute'\)/);
    assert.equal(refused.retryAfterMs, 30_000, 'the first call (at t0) leaves the window at t0 + 60 s; now is t0 + 30 s');
    ticket(quotas.acquire(bob, 'fs__read_file')).release(0); // bob has his own budget
    clock.t += 30_000;
    ticket(quotas.acquire(alice, 'fs__read_file'));
  });

  it('limits concurrent calls until one ends', () => {
    const { quotas } = limiter('quotas: [{ concurrent: 2 }]');
    const first = ticket(quotas.acquire(alice, 't'));
    ticket(quotas.acquire(alice, 't'));
    const refused = refusal(quotas.acquire(alice, 't'));
    assert.match(refused.reason, /has 2 calls running \(limit 2\)/);
    assert.equal(refused.retryAfterMs, 1000);
    first.release(0);
    first.release(0); // a double release frees nothing more
    ticket(quotas.acquire(alice, 't'));
    refusal(quotas.acquire(alice, 't'));
  });

  it('limits bytes returned per minute, counted when calls end', () => {
    const { quotas, clock } = limiter('quotas: [{ bytesPerMinute: 1000 }]');
    ticket(quotas.acquire(alice, 't')).release(600);
    clock.t += 5_000;
    ticket(quotas.acquire(alice, 't')).release(600); // crosses the limit; this call still completes
    clock.t += 5_000;
    const refused = refusal(quotas.acquire(alice, 't'));
    assert.match(refused.reason, /received 1200 bytes in the last minute \(limit 1000\)/);
    assert.equal(refused.retryAfterMs, 50_000, 'once the first 600 bytes leave the window, 600 < 1000');
    clock.t += 50_000;
    ticket(quotas.acquire(alice, 't'));
  });

  it('applies a rule only to the tools, principals and roles it names', () => {
    const { quotas } = limiter(`quotas:
  - { tools: ["sql__*"], callsPerMinute: 1 }
  - { principals: ["key:b*"], callsPerMinute: 1 }
  - { roles: [admin], tools: [fs__write_file], callsPerMinute: 1 }`);
    ticket(quotas.acquire(alice, 'sql__query')).release(0);
    refusal(quotas.acquire(alice, 'sql__tables'));
    ticket(quotas.acquire(alice, 'fs__read_file')).release(0);
    ticket(quotas.acquire(alice, 'fs__read_file')).release(0);
    ticket(quotas.acquire(alice, 'fs__write_file')).release(0);
    refusal(quotas.acquire(alice, 'fs__write_file'));
    ticket(quotas.acquire(bob, 'fs__write_file')).release(0); // bob is not admin…
    refusal(quotas.acquire(bob, 'fs__read_file')); // …but key:b* allows him one call in all
  });

  it('shares one budget among all matching principals with per: all', () => {
    const { quotas } = limiter('quotas: [{ name: upstream-guard, tools: [slow__*], per: all, concurrent: 1 }]');
    ticket(quotas.acquire(alice, 'slow__op'));
    const refused = refusal(quotas.acquire(bob, 'slow__op'));
    assert.match(refused.reason, /^all matching principals has 1 calls running/);
  });

  it('a refused call takes nothing from the budgets', () => {
    const { quotas } = limiter('quotas: [{ callsPerMinute: 5 }, { concurrent: 1 }]');
    const held = ticket(quotas.acquire(alice, 't'));
    for (let i = 0; i < 10; i++) refusal(quotas.acquire(alice, 't'));
    held.release(0);
    for (let i = 0; i < 4; i++) ticket(quotas.acquire(alice, 't')).release(0);
    assert.match(refusal(quotas.acquire(alice, 't')).reason, /made 5 calls/);
  });
});
