// The hub's identity, policy, quota and audit layer end to end, in process: a real Hub over a real
// (counting) upstream, called through the real HTTP face with real tokens. The clock is injected,
// so quota windows move when the test says so.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type ConfigError, createHttpFace, Hub, hashApiKey, loadRoles, parseHubConfig } from '@switchboard/hub';
import { SignJWT } from 'jose';
import pino from 'pino';
import { cli, repoRoot } from './support/processes.ts';

const KEYS = {
  admin: 'sb_policy_test_admin_key_0123456789',
  dev: 'sb_policy_test_dev_key_0123456789',
  viewer: 'sb_policy_test_viewer_key_012345',
};
const JWT_SECRET = 'policy-test-hmac-secret-at-least-32-chars';
const SECRET_ARG = 'hunter2-do-not-log-this-value';
const fixture = join(repoRoot, 'test/fixtures/counting-server.ts');

type Result = { isError?: boolean; content: { type: string; text?: string }[]; _meta?: Record<string, unknown> };
const textOf = (r: Result) => r.content.map((b) => b.text ?? '').join('\n');
const errorOf = (r: Result) =>
  r._meta?.['switchboard/error'] as { code: string; rule?: string; field?: string; retryAfterMs?: number } | undefined;

describe('hub identities, policy, quotas and audit (in process, over HTTP)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-policy-'));
  const clock = {
    t: Date.parse('2026-01-01T00:00:00Z'),
    now() {
      return this.t;
    },
  };
  const logLines: string[] = [];
  let hub: Hub;
  let face: ReturnType<typeof createHttpFace>;
  const clients: Client[] = [];

  before(async () => {
    mkdirSync(join(dir, 'roles'));
    writeFileSync(
      join(dir, 'roles', 'scribe.yaml'),
      'name: scribe\ndescription: writes notes\ntools: { allow: [count__echo] }\narguments:\n  - { tools: count__echo, where: { path: { glob: "notes/**" } } }\n',
    );
    const yaml = `
hub: { name: policy-test }
roles: ./roles
upstreams:
  count: { command: ${JSON.stringify(process.execPath)}, args: [--import, tsx, ${JSON.stringify(fixture)}], cwd: ${JSON.stringify(repoRoot)} }
auth:
  apiKeys:
    - { id: admin, role: admin, sha256: ${hashApiKey(KEYS.admin)} }
    - { id: dev, role: dev, sha256: ${hashApiKey(KEYS.dev)} }
    - { id: viewer, role: viewer, sha256: ${hashApiKey(KEYS.viewer)} }
  jwt: { issuer: "https://issuer.test", audience: "http://127.0.0.1/mcp", secret: "${JWT_SECRET}" }
policy:
  roles:
    dev:
      tools: { allow: ["count__*", agent__scribe], deny: [count__big] }
      arguments:
        - { tools: count__echo, where: { path: { glob: "src/**" } } }
    viewer:
      tools: { allow: [count__hits] }
quotas:
  - { name: dev-echo-rate, principals: ["key:dev"], tools: [count__echo], callsPerMinute: 3 }
  - { name: one-sleeper, tools: [count__sleep], concurrent: 1 }
  - { name: admin-bytes, principals: ["key:admin"], tools: [count__big], bytesPerMinute: 5000 }
`;
    const config = parseHubConfig(yaml, 'policy-test.yaml', {});
    const loaded = { config, source: 'policy-test.yaml', baseDir: dir, rolesDir: join(dir, 'roles') };
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    hub = await Hub.start({ loaded, roles: loadRoles(loaded.rolesDir), logger, selfCommand: [process.execPath, cli], clock });
    face = createHttpFace(hub, '127.0.0.1');
  });

  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await face?.close();
    await hub?.close();
  });

  // In process there is no socket to add the Host header, and the face checks it (DNS rebinding).
  const fetchVia = (url: string | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('host', new URL(url).host);
    return face.app.fetch(new Request(url, { ...init, headers }));
  };
  async function client(token: string): Promise<Client> {
    const c = new Client({ name: 'policy-test', version: '1' });
    await c.connect(
      new StreamableHTTPClientTransport(new URL('http://127.0.0.1/mcp'), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
        fetch: fetchVia as typeof fetch,
      }),
    );
    clients.push(c);
    return c;
  }
  const call = async (c: Client, name: string, args: Record<string, unknown> = {}) =>
    (await c.callTool({ name, arguments: args })) as Result;
  const hits = async () => JSON.parse(textOf(await call(await client(KEYS.admin), 'count__hits'))).hits as number;

  it('shows each principal only the tools its role may call, with argument rules in the description', async () => {
    const names = async (token: string) => (await (await client(token)).listTools()).tools.map((t) => t.name).sort();
    const adminSees = await names(KEYS.admin); // admin also sees the hub's own tools (hub__*)
    assert.deepEqual(
      adminSees.filter((n) => !n.startsWith('hub__')),
      ['agent__scribe', 'count__big', 'count__echo', 'count__hits', 'count__sleep'],
    );
    assert.deepEqual(await names(KEYS.dev), ['agent__scribe', 'count__echo', 'count__hits', 'count__sleep']);
    assert.deepEqual(await names(KEYS.viewer), ['count__hits']);
    const echo = (await (await client(KEYS.dev)).listTools()).tools.find((t) => t.name === 'count__echo');
    assert.match(echo?.description ?? '', /Policy for role 'dev': 'path' must be a path matching src\/\*\*\.$/);
  });

  it('allows what the policy allows; a call denied by glob or by argument rule is an error naming the rule and never reaches the upstream', async () => {
    const before = await hits();
    const dev = await client(KEYS.dev);
    const byGlob = await call(dev, 'count__big', { n: 10 });
    assert.equal(byGlob.isError, true);
    assert.deepEqual(errorOf(byGlob)?.code, 'ACL_DENIED');
    assert.equal(errorOf(byGlob)?.rule, "policy.roles.dev tools.deny 'count__big'");
    const notListed = await call(await client(KEYS.viewer), 'count__echo', { path: 'src/a' });
    assert.match(
      textOf(notListed),
      /^ACL_DENIED: role 'viewer' may not call 'count__echo' \(allowed: count__hits\) \[rule: policy\.roles\.viewer tools\.allow\]$/,
    );
    const byArgument = await call(dev, 'count__echo', { path: 'src/../etc/passwd' });
    assert.equal(errorOf(byArgument)?.rule, 'policy.roles.dev arguments[0]');
    assert.equal(errorOf(byArgument)?.field, 'path');
    assert.equal(await hits(), before, 'no refused call reached the upstream');
    const allowed = await call(dev, 'count__echo', { path: 'src/app/main.ts' });
    assert.equal(allowed.isError, undefined, textOf(allowed));
    assert.equal(await hits(), before + 1);
  });

  it("runs an agent's tool calls under the agent's role, whose argument rules bind them", async () => {
    const dev = await client(KEYS.dev);
    const plan = (path: string) => ({ task: 'note', context: { steps: [{ tool: 'count__echo', arguments: { path } }] } });
    const inside = await call(dev, 'agent__scribe', plan('notes/today.md'));
    assert.equal(inside.isError, undefined, textOf(inside));
    const outside = await call(dev, 'agent__scribe', plan('src/a.ts')); // dev may write src/**, the scribe may not
    assert.equal(outside.isError, true);
    assert.match(
      textOf(outside),
      /^ACL_DENIED: count__echo failed: role 'scribe' may call 'count__echo' only when argument 'path' must be a path matching notes\/\*\*/,
    );
    const records = await hub.auditStore.query({ principal: 'agent:scribe' });
    assert.deepEqual(
      records.map((r) => [r.outcome, r.onBehalfOf, r.depth]),
      [
        ['denied', 'key:dev', 1],
        ['ok', 'key:dev', 1],
      ],
    );
  });

  it('limits calls per minute with a RATE_LIMITED error that says when to retry', async () => {
    clock.t += 61_000; // a fresh window
    const dev = await client(KEYS.dev);
    for (let i = 0; i < 3; i++) assert.equal((await call(dev, 'count__echo', { path: 'src/x' })).isError, undefined);
    const limited = await call(dev, 'count__echo', { path: 'src/x' });
    assert.equal(errorOf(limited)?.code, 'RATE_LIMITED');
    assert.equal(errorOf(limited)?.retryAfterMs, 60_000);
    assert.match(textOf(limited), /made 3 calls in the last minute \(limit 3\) \(quota 'dev-echo-rate'\); retry after 60 s$/);
    assert.equal((await call(await client(KEYS.admin), 'count__echo', { path: 'any' })).isError, undefined, 'the quota is key:dev only');
    clock.t += 60_000;
    assert.equal((await call(dev, 'count__echo', { path: 'src/x' })).isError, undefined);
  });

  it('limits concurrent calls', async () => {
    const admin = await client(KEYS.admin);
    const long = call(admin, 'count__sleep', { ms: 1500 });
    await waitFor(async () => (await hub.auditStore.query({ tool: 'count__sleep', outcome: 'unfinished' })).length === 1);
    const second = await call(await client(KEYS.admin), 'count__sleep', { ms: 0 }); // a second connection, same principal
    assert.equal(errorOf(second)?.code, 'RATE_LIMITED');
    assert.match(textOf(second), /has 1 calls running \(limit 1\) \(quota 'one-sleeper'\)/);
    assert.equal((await call(await client(KEYS.dev), 'count__sleep', { ms: 0 })).isError, undefined, 'budgets are per principal');
    assert.equal((await long).isError, undefined);
    assert.equal((await call(admin, 'count__sleep', { ms: 0 })).isError, undefined);
  });

  it('limits bytes returned per minute', async () => {
    const admin = await client(KEYS.admin);
    assert.equal((await call(admin, 'count__big', { n: 3000 })).isError, undefined);
    assert.equal((await call(admin, 'count__big', { n: 3000 })).isError, undefined, 'the call that crosses the limit still returns');
    const limited = await call(admin, 'count__big', { n: 10 });
    assert.equal(errorOf(limited)?.code, 'RATE_LIMITED');
    assert.match(textOf(limited), /received \d+ bytes in the last minute \(limit 5000\)/);
    clock.t += 60_001;
    assert.equal((await call(admin, 'count__big', { n: 10 })).isError, undefined);
  });

  it('audits every call, allowed or refused: N calls, N records', async () => {
    const viewer = await client(KEYS.viewer);
    const calls: [string, Record<string, unknown>][] = [
      ['count__hits', {}],
      ['count__echo', { path: 'src/a' }],
      ['count__hits', {}],
      ['count__big', { n: 1 }],
      ['count__nope', {}],
    ];
    const since = clock.t;
    for (const [name, args] of calls) await call(viewer, name, args);
    const records = await hub.auditStore.query({ principal: 'key:viewer', since });
    assert.equal(records.length, calls.length);
    assert.deepEqual(records.map((r) => [r.tool, r.outcome]).reverse(), [
      ['count__hits', 'ok'],
      ['count__echo', 'denied'],
      ['count__hits', 'ok'],
      ['count__big', 'denied'],
      ['count__nope', 'denied'],
    ]);
    const admin = await client(KEYS.admin);
    await assert.rejects(call(admin, 'count__nope'), /unknown tool 'count__nope'/);
    const [unknown] = await hub.auditStore.query({ principal: 'key:admin', tool: 'count__nope' });
    assert.deepEqual([unknown?.outcome, unknown?.errorCode], ['error', 'NOT_FOUND']);
  });

  it('keeps argument values and tokens out of the logs and the audit log', async () => {
    await call(await client(KEYS.dev), 'count__echo', { path: 'src/secret.txt', secret: SECRET_ARG });
    await call(await client(KEYS.viewer), 'count__echo', { path: 'src/secret.txt', secret: SECRET_ARG });
    const logs = logLines.join('');
    assert.match(logs, /"tool":"count__echo"/, 'the calls were logged');
    for (const secret of [SECRET_ARG, ...Object.values(KEYS), JWT_SECRET]) assert.ok(!logs.includes(secret), `the log holds ${secret}`);
    const files = ['audit.db', 'audit.db-wal'].map((f) => join(dir, 'data', f)).filter(existsSync);
    assert.ok(files.length > 0);
    for (const file of files) assert.ok(!readFileSync(file).includes(SECRET_ARG), `${file} holds the argument value`);
    const [record] = await hub.auditStore.query({ principal: 'key:dev', tool: 'count__echo', limit: 1 });
    assert.deepEqual(record?.argKeys, ['path', 'secret']);
    assert.match(record?.argsDigest ?? '', /^sha256:[0-9a-f]{64}$/);
  });

  describe('over HTTP without a good token', () => {
    const post = (headers: Record<string, string>, path = '/mcp') =>
      fetchVia(`http://127.0.0.1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });

    it('answers 401 with a WWW-Authenticate challenge naming the resource metadata', async () => {
      for (const headers of [{}, { Authorization: 'Bearer sb_not_a_key' }, { Authorization: `Basic ${KEYS.admin}` }] as Record<
        string,
        string
      >[]) {
        const response = await post(headers);
        assert.equal(response.status, 401, JSON.stringify(headers));
        assert.match(
          response.headers.get('www-authenticate') ?? '',
          /^Bearer error="invalid_token".*resource_metadata="http:\/\/127\.0\.0\.1\/\.well-known\/oauth-protected-resource\/mcp"/,
        );
      }
      const metadata = await fetchVia('http://127.0.0.1/.well-known/oauth-protected-resource/mcp');
      assert.equal(metadata.status, 200);
      assert.deepEqual(await metadata.json(), {
        resource: 'http://127.0.0.1/mcp',
        authorization_servers: ['https://issuer.test'],
        bearer_methods_supported: ['header'],
        resource_name: 'Switchboard hub',
      });
      assert.equal((await fetchVia('http://127.0.0.1/health')).status, 200, 'probes stay open');
    });

    it('refuses a token in the query string with a 401 challenge', async () => {
      const response = await post({}, `/mcp?access_token=${KEYS.admin}`);
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_token');
    });

    it('takes a JWT for its audience, and refuses one for another', async () => {
      const token = (aud: string) =>
        new SignJWT({ role: 'viewer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('carol')
          .setIssuer('https://issuer.test')
          .setAudience(aud)
          .setExpirationTime('2m')
          .sign(new TextEncoder().encode(JWT_SECRET));
      const carol = await client(await token('http://127.0.0.1/mcp'));
      assert.deepEqual(
        (await carol.listTools()).tools.map((t) => t.name),
        ['count__hits'],
      );
      await call(carol, 'count__hits');
      assert.equal((await hub.auditStore.query({ principal: 'jwt:carol' }))[0]?.role, 'viewer');
      const elsewhere = await post({ Authorization: `Bearer ${await token('https://other.example/mcp')}` });
      assert.equal(elsewhere.status, 401);
    });

    it('refuses to serve auth: none beyond loopback', () => {
      const open = parseHubConfig('auth: none', 'open.yaml', {});
      const fake = { authenticator: { mode: 'none' }, configSource: 'open.yaml', config: open } as unknown as Hub;
      assert.throws(
        () => createHttpFace(fake, '0.0.0.0'),
        (error: ConfigError) => error.key === 'auth' && /^open\.yaml: auth: none is allowed only on a loopback bind/.test(error.message),
      );
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
