import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { createLogger, ToolError, toolErrorResult } from '@switchboard/kit';
import { parseHubConfig } from '../config/index.ts';
import { type AuditStore, MemoryAuditStore } from './audit/index.ts';
import { CallGate } from './gate.ts';
import { Policy } from './policy.ts';
import type { Principal } from './principal.ts';
import { QuotaLimiter } from './quota.ts';

const config = parseHubConfig(
  `
policy:
  roles:
    dev:
      tools: { allow: ["fs__*"], deny: [fs__delete] }
      arguments: [{ tools: "fs__*", where: { path: { glob: "src/**" } } }]
quotas: [{ name: dev-rate, roles: [dev], callsPerMinute: 5 }]
`,
  'sw.yaml',
  {},
);
const dev: Principal = { id: 'key:dev', role: 'dev', kind: 'api-key' };

function gateWith(audit: AuditStore = new MemoryAuditStore()) {
  const clock = {
    t: 5_000_000,
    now() {
      return this.t;
    },
  };
  const gate = new CallGate({
    policy: Policy.fromConfig(config, [], 'sw.yaml'),
    quotas: new QuotaLimiter(config.quotas, clock),
    audit,
    clock,
    logger: createLogger('test', 'silent'),
  });
  let dispatched = 0;
  const ok = async (): Promise<CallToolResult> => {
    dispatched += 1;
    return { content: [{ type: 'text', text: 'done' }] };
  };
  const call = (tool: string, args: Record<string, unknown>, principal = dev) =>
    gate.run({ principal, tool, args, correlationId: `c-${tool}`, depth: 0 }, ok);
  return { gate, audit, clock, call, dispatched: () => dispatched };
}

const errorMeta = (result: CallToolResult) => result._meta?.['switchboard/error'] as Record<string, unknown>;
const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe('call gate', () => {
  it('runs an allowed call and audits it from begin to end', async () => {
    const { call, audit, dispatched } = gateWith();
    const result = await call('fs__read_file', { path: 'src/a.ts' });
    assert.equal(result.isError, undefined);
    assert.equal(dispatched(), 1);
    const [record] = await audit.query({});
    assert.equal(record?.outcome, 'ok');
    assert.equal(record?.principal, 'key:dev');
    assert.equal(record?.role, 'dev');
    assert.equal(record?.bytes, Buffer.byteLength(JSON.stringify(result)));
    assert.deepEqual(record?.argKeys, ['path']);
  });

  it('refuses a denied tool or argument with ACL_DENIED naming the rule; nothing is dispatched', async () => {
    const { call, audit, dispatched } = gateWith();
    const byGlob = await call('fs__delete', { path: 'src/a.ts' });
    assert.equal(byGlob.isError, true);
    assert.equal(errorMeta(byGlob).code, 'ACL_DENIED');
    assert.equal(errorMeta(byGlob).rule, "policy.roles.dev tools.deny 'fs__delete'");
    assert.match(
      text(byGlob),
      /^ACL_DENIED: role 'dev' may not call 'fs__delete' \(denied by 'fs__delete'\) \[rule: policy\.roles\.dev tools\.deny 'fs__delete'\]$/,
    );
    const byArgument = await call('fs__write_file', { path: '../etc/cron.d/x', content: 'x' });
    assert.equal(errorMeta(byArgument).rule, 'policy.roles.dev arguments[0]');
    assert.equal(errorMeta(byArgument).field, 'path');
    assert.match(text(byArgument), /argument 'path' must be a path matching src\/\*\*.*\(field 'path'\)$/);
    assert.equal(dispatched(), 0);
    const records = await audit.query({ outcome: 'denied' });
    assert.equal(records.length, 2);
    assert.deepEqual(
      records.map((r) => r.errorCode),
      ['ACL_DENIED', 'ACL_DENIED'],
    );
  });

  it('refuses over quota with RATE_LIMITED and a retry-after, and audits it', async () => {
    const { call, audit, clock, dispatched } = gateWith();
    for (let i = 0; i < 5; i++) {
      await call('fs__read_file', { path: 'src/a' });
      clock.t += 1000;
    }
    const limited = await call('fs__read_file', { path: 'src/a' });
    assert.equal(errorMeta(limited).code, 'RATE_LIMITED');
    assert.equal(errorMeta(limited).retryAfterMs, 55_000);
    assert.equal(errorMeta(limited).rule, 'dev-rate');
    assert.match(
      text(limited),
      /^RATE_LIMITED: principal 'key:dev' made 5 calls in the last minute \(limit 5\) \(quota 'dev-rate'\); retry after 55 s$/,
    );
    assert.equal(dispatched(), 5);
    assert.equal((await audit.query({ outcome: 'rate_limited' })).length, 1);
  });

  it('N calls make N records, whatever their outcome', async () => {
    const { gate, audit } = gateWith();
    const principal = dev;
    const outcomes = [
      () =>
        gate.run({ principal, tool: 'fs__read_file', args: { path: 'src/a' }, correlationId: 'n1', depth: 0 }, async () => ({
          content: [],
        })),
      () =>
        gate.run({ principal, tool: 'fs__read_file', args: { path: 'x' }, correlationId: 'n2', depth: 0 }, async () => ({ content: [] })),
      () =>
        gate.run({ principal, tool: 'fs__stat', args: { path: 'src' }, correlationId: 'n3', depth: 0 }, async () =>
          toolErrorResult(new ToolError('NOT_FOUND', 'no such file')),
        ),
      () =>
        gate
          .run({ principal, tool: 'fs__stat', args: { path: 'src' }, correlationId: 'n4', depth: 0 }, async () => {
            throw Object.assign(new Error('unknown tool'), { code: 'NOT_FOUND' });
          })
          .catch(() => undefined),
    ];
    for (const run of outcomes) await run();
    const records = await audit.query({});
    assert.equal(records.length, outcomes.length);
    assert.deepEqual(records.map((r) => [r.correlationId, r.outcome, r.errorCode]).reverse(), [
      ['n1', 'ok', undefined],
      ['n2', 'denied', 'ACL_DENIED'],
      ['n3', 'error', 'NOT_FOUND'],
      ['n4', 'error', 'NOT_FOUND'],
    ]);
  });

  it('keeps argument values out of the audit log: a digest and the names only', async () => {
    const { call, audit } = gateWith();
    await call('fs__write_file', { path: 'src/.env', content: 'API_TOKEN=hunter2-very-secret' });
    await call('fs__write_file', { path: 'nope/.env', content: 'API_TOKEN=hunter2-very-secret' });
    const records = await audit.query({});
    assert.equal(records.length, 2);
    const dump = JSON.stringify(records);
    assert.doesNotMatch(dump, /hunter2/);
    assert.match(records[0]?.argsDigest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(records[0]?.argKeys, ['content', 'path']);
  });

  it('records a bounded prefix of an absurdly long tool name', async () => {
    const { call, audit } = gateWith();
    await call(`fs__${'x'.repeat(100_000)}`, { path: 'src/a' });
    const [record] = await audit.query({});
    assert.equal(record?.tool.length, 257);
    assert.equal(record?.outcome, 'ok');
  });

  it('does not run a call the audit log cannot record', async () => {
    const broken: AuditStore = Object.assign(new MemoryAuditStore(), {
      begin: async () => {
        throw new Error('disk full');
      },
    });
    const { call, dispatched } = gateWith(broken);
    const result = await call('fs__read_file', { path: 'src/a' });
    assert.equal(errorMeta(result).code, 'INTERNAL');
    assert.match(text(result), /audit log could not record this call, so it was not run/);
    assert.equal(dispatched(), 0);
  });

  it('writes the record before dispatching, so a call still running shows unfinished', async () => {
    const { gate, audit } = gateWith();
    let seenDuringCall: string | undefined;
    await gate.run({ principal: dev, tool: 'fs__read_file', args: { path: 'src/a' }, correlationId: 'live', depth: 0 }, async () => {
      seenDuringCall = (await audit.query({ correlationId: 'live' }))[0]?.outcome;
      return { content: [] };
    });
    assert.equal(seenDuringCall, 'unfinished');
    assert.equal((await audit.query({ correlationId: 'live' }))[0]?.outcome, 'ok');
  });
});
