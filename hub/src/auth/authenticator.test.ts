import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { createLogger } from '@switchboard/kit';
import { SignJWT } from 'jose';
import pino from 'pino';
import { parseHubConfig } from '../config/index.ts';
import { Policy, type Principal } from '../policy/index.ts';
import { generateApiKey, hashApiKey } from './api-keys.ts';
import { Authenticator } from './authenticator.ts';

const SECRET = 'an-hmac-secret-of-at-least-32-characters!';
const ISSUER = 'https://issuer.example';
const AUDIENCE = 'http://127.0.0.1:7700/mcp';
const apiKey = generateApiKey();
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function authenticator(jwt: string): Authenticator {
  const config = parseHubConfig(
    `
auth:
  apiKeys: [{ id: ci, role: admin, sha256: ${hashApiKey(apiKey)} }]
  ${jwt}
policy: { roles: { dev: { tools: { allow: ["fs__*"] } } } }
`,
    'sw.yaml',
    {},
  );
  const local: Principal = { id: 'local:me', role: 'admin', kind: 'local' };
  const logger = createLogger('test', 'silent');
  return new Authenticator({
    auth: config.auth,
    policy: Policy.fromConfig(config, [], 'sw.yaml'),
    localPrincipal: local,
    baseDir: '.',
    source: 'sw.yaml',
    logger,
  });
}
const hmacAuth = authenticator(`jwt: { issuer: "${ISSUER}", audience: "${AUDIENCE}", secret: "${SECRET}" }`);
const rsaAuth = authenticator(`jwt: { issuer: "${ISSUER}", audience: "${AUDIENCE}", publicKey: ${JSON.stringify(publicPem)} }`);

const request = (headers: Record<string, string> = {}, path = '/mcp') =>
  new Request(`http://127.0.0.1:7700${path}`, { method: 'POST', headers });
const bearer = (token: string) => request({ Authorization: `Bearer ${token}` });

function hmacToken(
  claims: Record<string, unknown> = {},
  options: { exp?: string | number; iss?: string; aud?: string; secret?: string } = {},
) {
  return new SignJWT({ role: 'dev', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setExpirationTime(options.exp ?? '5m')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

async function refused(
  auth: Authenticator,
  req: Request,
  status = 401,
): Promise<{ challenge: string; body: { error: string; error_description: string } }> {
  const outcome = await auth.authenticate(req);
  assert.ok(outcome instanceof Response, 'expected the request to be refused');
  assert.equal(outcome.status, status);
  return {
    challenge: outcome.headers.get('www-authenticate') ?? '',
    body: (await outcome.json()) as { error: string; error_description: string },
  };
}

async function accepted(auth: Authenticator, req: Request): Promise<Principal> {
  const outcome = await auth.authenticate(req);
  if (outcome instanceof Response) assert.fail(`refused: ${outcome.status} ${await outcome.text()}`);
  return outcome.principal;
}

describe('HTTP authentication', () => {
  it('refuses a request without a token: 401 and a Bearer challenge pointing at the resource metadata', async () => {
    const { challenge, body } = await refused(hmacAuth, request());
    assert.match(challenge, /^Bearer error="invalid_token", error_description="Missing Authorization header"/);
    assert.match(challenge, /resource_metadata="http:\/\/127\.0\.0\.1:7700\/\.well-known\/oauth-protected-resource\/mcp"/);
    assert.equal(body.error, 'invalid_token');
  });

  it('accepts a configured API key as its principal and refuses an unknown one', async () => {
    assert.deepEqual(await accepted(hmacAuth, bearer(apiKey)), { id: 'key:ci', role: 'admin', kind: 'api-key' });
    const { body } = await refused(hmacAuth, bearer(`${apiKey}x`));
    assert.equal(body.error_description, 'unknown API key');
    await refused(hmacAuth, request({ Authorization: `Basic ${Buffer.from(`u:${apiKey}`).toString('base64')}` }));
  });

  it('accepts a valid JWT, with its subject and the role from its claim', async () => {
    assert.deepEqual(await accepted(hmacAuth, bearer(await hmacToken())), { id: 'jwt:alice', role: 'dev', kind: 'jwt' });
    assert.equal(
      (await accepted(hmacAuth, bearer(await hmacToken({ role: ['ghost', 'admin'] })))).role,
      'admin',
      'first known role in a list',
    );
  });

  it('refuses a JWT for another audience or issuer', async () => {
    const audience = await refused(hmacAuth, bearer(await hmacToken({}, { aud: 'https://other.example/mcp' })));
    assert.equal(audience.body.error_description, 'token audience is not this hub');
    assert.match(audience.challenge, /error="invalid_token"/);
    const issuer = await refused(hmacAuth, bearer(await hmacToken({}, { iss: 'https://evil.example' })));
    assert.equal(issuer.body.error_description, 'token issuer is not trusted');
  });

  it('refuses an expired JWT and one without an expiry', async () => {
    const expired = await refused(hmacAuth, bearer(await hmacToken({}, { exp: Math.floor(Date.now() / 1000) - 3600 })));
    assert.equal(expired.body.error_description, 'token has expired');
    const forever = await new SignJWT({ role: 'dev' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(new TextEncoder().encode(SECRET));
    assert.match((await refused(hmacAuth, bearer(forever))).body.error_description, /claim 'exp'/);
  });

  it('refuses a JWT with a wrong signature', async () => {
    const forged = await refused(hmacAuth, bearer(await hmacToken({}, { secret: 'another-secret-also-32-characters-long!!' })));
    assert.equal(forged.body.error_description, 'token signature is not valid');
    const tampered = (await hmacToken()).split('.');
    tampered[1] = Buffer.from(JSON.stringify({ sub: 'alice', role: 'admin', iss: ISSUER, aud: AUDIENCE, exp: 9e9 })).toString('base64url');
    assert.equal((await refused(hmacAuth, bearer(tampered.join('.')))).body.error_description, 'token signature is not valid');
  });

  it('refuses alg none, and an HMAC token signed with the RSA public key (algorithm confusion)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'alice', role: 'admin', iss: ISSUER, aud: AUDIENCE, exp: 9e9 })).toString(
      'base64url',
    );
    const unsigned = `${header}.${payload}.`;
    assert.equal((await refused(hmacAuth, bearer(unsigned))).body.error_description, 'token algorithm is not accepted');
    assert.equal((await refused(rsaAuth, bearer(unsigned))).body.error_description, 'token algorithm is not accepted');
    const confused = await hmacToken({}, { secret: publicPem });
    assert.equal((await refused(rsaAuth, bearer(confused))).body.error_description, 'token algorithm is not accepted');
  });

  it('verifies RS256 tokens against the configured public key only', async () => {
    const sign = (key: typeof rsa.privateKey) =>
      new SignJWT({ role: 'dev' })
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject('bob')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(key);
    assert.deepEqual(await accepted(rsaAuth, bearer(await sign(rsa.privateKey))), { id: 'jwt:bob', role: 'dev', kind: 'jwt' });
    assert.equal((await refused(rsaAuth, bearer(await sign(otherRsa.privateKey)))).body.error_description, 'token signature is not valid');
  });

  it('refuses a JWT whose role claim names no role of this hub (no defaultRole)', async () => {
    const { body } = await refused(hmacAuth, bearer(await hmacToken({ role: 'superuser' })));
    assert.equal(body.error_description, "token's 'role' claim names no role of this hub");
  });

  it('refuses a token in the query string, even alongside a valid header', async () => {
    const url = new Request(`http://127.0.0.1:7700/mcp?access_token=${apiKey}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    const { body, challenge } = await refused(hmacAuth, url, 401);
    assert.equal(body.error, 'invalid_token');
    assert.match(challenge, /^Bearer error="invalid_token".*resource_metadata=/);
    assert.match(body.error_description, /tokens in the URL query string are refused; send Authorization: Bearer/);
  });

  it('with auth none, every HTTP caller is the local user', async () => {
    const config = parseHubConfig('auth: none', 'sw.yaml', {});
    const local: Principal = { id: 'local:me', role: 'admin', kind: 'local' };
    const none = new Authenticator({
      auth: config.auth,
      policy: Policy.fromConfig(config, [], 'sw.yaml'),
      localPrincipal: local,
      baseDir: '.',
      source: 'sw.yaml',
      logger: createLogger('t', 'silent'),
    });
    assert.deepEqual(await accepted(none, request()), local);
  });

  it('logs why a request was refused, never the token', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const config = parseHubConfig(`auth: { apiKeys: [{ id: ci, role: admin, sha256: ${hashApiKey(apiKey)} }] }`, 'sw.yaml', {});
    const local: Principal = { id: 'local:me', role: 'admin', kind: 'local' };
    const auth = new Authenticator({
      auth: config.auth,
      policy: Policy.fromConfig(config, [], 'sw.yaml'),
      localPrincipal: local,
      baseDir: '.',
      source: 'sw.yaml',
      logger,
    });
    const wrong = `${apiKey.slice(0, -4)}XXXX`;
    await refused(auth, bearer(wrong));
    await refused(auth, new Request(`http://127.0.0.1:7700/mcp?access_token=${wrong}`), 401);
    await accepted(auth, bearer(apiKey));
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /"reason":"unknown API key"/);
    for (const line of lines) {
      assert.ok(!line.includes(wrong) && !line.includes(apiKey.slice(3, 20)), `a log line holds the token: ${line}`);
    }
  });

  it('describes itself as an OAuth protected resource (RFC 9728)', () => {
    assert.deepEqual(hmacAuth.protectedResourceMetadata(request()), {
      resource: 'http://127.0.0.1:7700/mcp',
      authorization_servers: [ISSUER],
      bearer_methods_supported: ['header'],
      resource_name: 'Switchboard hub',
    });
  });
});
