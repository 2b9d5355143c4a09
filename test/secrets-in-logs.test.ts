// Secrets given as NAME_FILE never show up in any log line or in the audit log, even where they are
// used on the paths that fail: a database URL, a Redis URL and an AMQP URL with passwords pointing
// at a closed port (the servers report connection errors), and the JWT secret checked against forged
// tokens. Also checks that every log line of every process has the shared fields.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { hashApiKey } from '@switchboard/hub';
import { startUp, type UpProcess } from './support/up-process.ts';

const KEY = 'sb_secrets_test_admin_key_0123456789';
const PW = 'Pl4nted-pw-7f3a9c'; // a password inside each URL
const JWT_SECRET = 'Pl4nted-jwt-secret-2b8e-0123456789abcdef';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function jwt(secret: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: 'https://idp.test/', aud: 'switchboard', sub: 'mallory', role: 'admin', exp: 9e9 })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('secrets from *_FILE stay out of every log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-secrets-'));
  let up: UpProcess | undefined;
  after(() => {
    up?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plants secrets, exercises the failing paths at debug level, and finds them in no log or data file', async () => {
    const plant = (name: string, value: string) => {
      const path = join(dir, `${name}.secret`);
      writeFileSync(path, `${value}\n`, { mode: 0o600 });
      return path;
    };
    writeFileSync(
      join(dir, 'switchboard.yaml'),
      `hub: { name: secrets-test, http: { host: 127.0.0.1, port: 0 }, dataDir: ./data }
upstreams:
  sql: { server: sql, env: { DATABASE_URL: "\${PLANTED_DATABASE_URL}" } }
  redis: { server: redis, args: [--prefix, "app:"], env: { REDIS_URL: "\${PLANTED_REDIS_URL}" } }
  queue: { server: queue, args: [--queue, jobs], env: { AMQP_URL: "\${PLANTED_AMQP_URL}" } }
  fs: { server: fs, args: [--mock, --root, /srv/work] }
auth:
  apiKeys: [{ id: admin, role: admin, sha256: ${hashApiKey(KEY)} }]
  jwt: { issuer: https://idp.test/, audience: switchboard, secret: "\${PLANTED_JWT_SECRET}" }
`,
    );
    up = await startUp(['--config', 'switchboard.yaml'], dir, {
      LOG_LEVEL: 'debug',
      PLANTED_DATABASE_URL_FILE: plant('db', `postgres://svc:${PW}@127.0.0.1:1/app`),
      PLANTED_REDIS_URL_FILE: plant('redis', `redis://:${PW}@127.0.0.1:1/0`),
      PLANTED_AMQP_URL_FILE: plant('amqp', `amqp://svc:${PW}@127.0.0.1:1`),
      PLANTED_JWT_SECRET_FILE: plant('jwt', JWT_SECRET),
    });
    const base = up.hubUrl.replace(/\/mcp$/, '');

    // forged and wrong tokens against the JWT secret; a wrong API key
    for (const token of [jwt('not-the-secret-not-the-secret-0000'), 'garbage', `${KEY}x`]) {
      const refused = await fetch(`${base}/v1/tasks`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(refused.status, 401);
    }
    const accepted = await fetch(`${base}/v1/tasks`, { headers: { Authorization: `Bearer ${jwt(JWT_SECRET)}` } });
    assert.notEqual(accepted.status, 401, 'a token signed with the planted secret is accepted: the secret was read from its file');

    // calls that reach the servers whose backends are down
    const client = new Client({ name: 'secrets-test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(up.hubUrl), { requestInit: { headers: { Authorization: `Bearer ${KEY}` } } }),
    );
    const outcomes: string[] = [];
    for (const [name, args] of [
      ['sql__query', { sql: 'select 1' }],
      ['redis__get', { key: 'app:x' }],
      ['queue__publish', { queue: 'jobs', content: 'x' }],
      ['fs__list_dir', { path: '/srv/work' }],
    ] as const) {
      const result = await client.callTool({ name, arguments: args }).catch((error: Error) => ({ content: error.message }));
      outcomes.push(JSON.stringify(result));
    }
    await client.close();
    process.kill(up.child.pid as number, 'SIGTERM');
    assert.equal(await up.exit, 0, up.stderr());

    const logs = `${up.stdout()}\n${up.stderr()}\n${outcomes.join('\n')}`;
    assert.match(logs, /ECONNREFUSED|connect|unavailable|not connected|reconnecting/i, 'the failing paths were exercised');
    for (const secret of [PW, JWT_SECRET, encodeURIComponent(PW), Buffer.from(PW).toString('base64')]) {
      assert.ok(
        !logs.includes(secret),
        `a planted secret appears in the logs or results:\n${logs.split('\n').find((l) => l.includes(secret))}`,
      );
      for (const file of files(join(dir, 'data'))) assert.ok(!readFileSync(file).includes(secret), `a planted secret is stored in ${file}`);
    }

    // every line every process wrote is one JSON object with the shared fields
    const lines = up.stderr().split('\n').filter(Boolean);
    const services = new Set<string>();
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.match(String(entry.time), /^\d{4}-\d\d-\d\dT[\d:.]+Z$/, line);
      assert.ok(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].includes(String(entry.level)), line);
      assert.equal(typeof entry.msg, 'string', line);
      assert.equal(typeof entry.service, 'string', line);
      services.add(String(entry.service));
    }
    for (const service of ['hub', 'sql', 'redis', 'queue', 'fs']) assert.ok(services.has(service), `no log line from ${service}`);
    const call = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.msg === 'tool call' && e.tool === 'fs__list_dir');
    assert.ok(call, 'the hub logs each call');
    for (const field of ['correlationId', 'principal', 'tool', 'durationMs']) assert.ok(field in call, `tool call line lacks ${field}`);
  });
});
