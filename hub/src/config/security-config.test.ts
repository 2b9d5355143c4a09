import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './errors.ts';
import { loadHubConfig, parseHubConfig } from './load-config.ts';
import { isLoopbackHost } from './loopback.ts';

function configError(text: string): ConfigError {
  try {
    parseHubConfig(text, 'sw.yaml', {});
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('security config', () => {
  it('requires tokens unless told otherwise, maps the local user to admin, audits to SQLite', () => {
    const config = parseHubConfig('upstreams: {}', 'sw.yaml', {});
    assert.deepEqual(config.auth, { mode: 'required', apiKeys: [] });
    assert.deepEqual(config.principals, { local: { role: 'admin' } });
    assert.deepEqual(config.audit, { store: 'sqlite', table: 'switchboard_audit' });
    assert.equal(config.hub.dataDir, './data');
  });

  it('accepts auth: none on a loopback bind only, naming the key otherwise', () => {
    assert.equal(parseHubConfig('auth: none', 'sw.yaml', {}).auth.mode, 'none');
    assert.equal(parseHubConfig('auth: none\nhub: { http: { host: "::1" } }', 'sw.yaml', {}).auth.mode, 'none');
    const wide = configError('auth: none\nhub: { http: { host: 0.0.0.0 } }');
    assert.equal(wide.key, 'auth');
    assert.match(wide.message, /^sw\.yaml: auth: none is allowed only on a loopback bind .* not on '0\.0\.0\.0'/);
    assert.equal(configError('auth: none\nhub: { http: { host: 192.168.1.5 } }').key, 'auth');
  });

  it('names the key of a bad API key entry, JWT setting, quota or audit store', () => {
    assert.equal(configError('auth: { apiKeys: [{ id: ci, role: admin, sha256: sb_plaintext_key }] }').key, 'auth.apiKeys[0].sha256');
    assert.equal(configError('auth: { jwt: { issuer: i, audience: a } }').key, 'auth.jwt');
    assert.equal(configError('auth: { jwt: { issuer: i, audience: a, secret: short } }').key, 'auth.jwt.secret');
    assert.equal(
      configError(`auth: { jwt: { issuer: i, audience: a, secret: "${'s'.repeat(32)}", algorithms: [RS256] } }`).key,
      'auth.jwt.algorithms',
    );
    assert.equal(configError('auth: { tokens: [] }').key, 'auth.tokens');
    assert.equal(configError('quotas: [{ tools: ["*"] }]').key, 'quotas[0]');
    assert.equal(configError('audit: { store: postgres }').key, 'audit.url');
    assert.equal(
      configError('policy: { roles: { dev: { tools: { allow: [x] }, arguments: [{ tools: x, where: {} }] } } }').key,
      'policy.roles.dev.arguments[0].where',
    );
    assert.equal(
      configError(
        'policy: { roles: { dev: { tools: { allow: [x] }, arguments: [{ tools: x, where: { path: { glob: a, equals: b } } }] } } }',
      ).key,
      'policy.roles.dev.arguments[0].where.path',
    );
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])
      assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1', '::2', 'localhost.evil.com'])
      assert.equal(isLoopbackHost(host), false, host);
  });
});

describe('shipped configs', () => {
  const repo = join(import.meta.dirname, '../../..');
  const hash = 'c'.repeat(64);

  it('the test config requires tokens over HTTP and maps the local user to admin', () => {
    const { config } = loadHubConfig({ file: join(repo, 'config/switchboard.test.yaml'), env: {} });
    assert.equal(config.auth.mode, 'required');
    assert.deepEqual(
      config.auth.apiKeys.map((k) => [k.id, k.role]),
      [
        ['test-admin', 'admin'],
        ['test-reader', 'reader'],
      ],
    );
    assert.equal(config.principals.local.role, 'admin');
  });

  it('the prod and example configs take the API key hash from the environment, and name it when unset', () => {
    // The prod config also needs its backends' addresses; only the key hash is left out below.
    const backends = {
      SQL_DATABASE_URL: 'postgres://switchboard_ro@db/app',
      REDIS_URL: 'redis://redis:6379',
      KAFKA_BROKERS: 'kafka:9092',
      S3_ENDPOINT: 'http://minio:9000',
      MONGODB_URL: 'mongodb://mongo:27017',
      AMQP_URL: 'amqp://rabbitmq',
      DATABASE_URL: 'postgres://switchboard@db/switchboard',
    };
    for (const file of ['config/switchboard.prod.yaml', 'config/switchboard.example.yaml']) {
      const { config } = loadHubConfig({ file: join(repo, file), env: { ...backends, SWITCHBOARD_API_KEY_SHA256: hash } });
      assert.equal(config.auth.mode, 'required', file);
      assert.equal(config.auth.apiKeys[0]?.sha256, hash, file);
      assert.throws(
        () => loadHubConfig({ file: join(repo, file), env: backends }),
        /auth\.apiKeys\[0\]\.sha256: environment variable SWITCHBOARD_API_KEY_SHA256 is not set/,
      );
    }
  });
});

describe('embedded defaults', () => {
  it('run without tokens on loopback, or with the admin key SWITCHBOARD_API_KEY_SHA256 names', () => {
    const open = loadHubConfig({ cwd: '/nonexistent-dir', env: {} });
    assert.equal(open.config.auth.mode, 'none');
    const keyed = loadHubConfig({ cwd: '/nonexistent-dir', env: { SWITCHBOARD_API_KEY_SHA256: 'd'.repeat(64) } });
    assert.equal(keyed.config.auth.mode, 'required');
    assert.deepEqual(keyed.config.auth.apiKeys, [{ id: 'default', role: 'admin', sha256: 'd'.repeat(64) }]);
    assert.throws(
      () => loadHubConfig({ cwd: '/nonexistent-dir', env: { SWITCHBOARD_API_KEY_SHA256: 'plaintext' } }),
      /<embedded defaults>: auth\.apiKeys\[0\]\.sha256/,
    );
  });
});
