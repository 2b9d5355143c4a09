import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ConfigError, parseHubConfig, parseRole } from '../config/index.ts';
import { Policy } from './policy.ts';
import type { Principal } from './principal.ts';

const reader = parseRole(
  'name: reader\ndescription: reads\ntools: { allow: [fs__read_file, fs__list_dir], deny: [] }\n',
  'roles/reader.yaml',
);
const config = parseHubConfig(
  `
policy:
  roles:
    dev:
      tools: { allow: ["fs__*", "sql__*"], deny: [fs__delete, "sql__exec*"] }
      arguments:
        - { tools: "fs__*", where: { path: { glob: "src/**" } } }
        - { tools: sql__query, where: { readOnly: { equals: true } } }
`,
  'sw.yaml',
  {},
);
const policy = Policy.fromConfig(config, [reader], 'sw.yaml');
const dev: Principal = { id: 'key:dev', role: 'dev', kind: 'api-key' };
const admin: Principal = { id: 'local:me', role: 'admin', kind: 'local' };

describe('policy', () => {
  it('allows a tool its role allows, with arguments inside the rules', () => {
    assert.deepEqual(policy.check(dev, 'fs__read_file', { path: 'src/index.ts' }), { allowed: true });
    assert.deepEqual(policy.check(dev, 'sql__query', { sql: 'select 1', readOnly: true }), { allowed: true });
    assert.deepEqual(policy.check(admin, 'anything__at_all', {}), { allowed: true }, 'built-in admin may call everything');
  });

  it('denies by glob, naming the rule: not allowed, or denied (deny wins)', () => {
    const notAllowed = policy.check(dev, 'redis__get', { key: 'k' });
    assert.equal(notAllowed.allowed, false);
    assert.equal((notAllowed as { rule: string }).rule, 'policy.roles.dev tools.allow');
    const denied = policy.check(dev, 'sql__execute', { sql: 'drop table x', readOnly: true });
    assert.equal((denied as { rule: string }).rule, "policy.roles.dev tools.deny 'sql__exec*'");
    assert.match((denied as { reason: string }).reason, /role 'dev' may not call 'sql__execute' \(denied by 'sql__exec\*'\)/);
    const yaml = policy.check({ id: 'agent:reader', role: 'reader', kind: 'agent' }, 'fs__write_file', { path: 'x' });
    assert.equal((yaml as { rule: string }).rule, 'roles/reader.yaml tools.allow');
  });

  it('denies by argument rule, naming the rule and the field', () => {
    const outside = policy.check(dev, 'fs__write_file', { path: 'etc/passwd', content: 'x' });
    assert.deepEqual(outside, {
      allowed: false,
      rule: 'policy.roles.dev arguments[0]',
      field: 'path',
      reason: "role 'dev' may call 'fs__write_file' only when argument 'path' must be a path matching src/**",
    });
    const writable = policy.check(dev, 'sql__query', { sql: 'update t set x = 1', readOnly: false });
    assert.equal((writable as { rule: string }).rule, 'policy.roles.dev arguments[1]');
  });

  it('shows in tools/list only what the role may call, with argument rules in words', () => {
    assert.equal(policy.canSee(dev, 'fs__read_file'), true);
    assert.equal(policy.canSee(dev, 'fs__delete'), false);
    assert.equal(policy.canSee(dev, 'redis__get'), false);
    assert.equal(policy.describeScope(dev, 'fs__read_file'), "Policy for role 'dev': 'path' must be a path matching src/**.");
    assert.equal(policy.describeScope(dev, 'sql__tables'), undefined);
  });

  it('a principal whose role does not exist may do nothing', () => {
    const ghost: Principal = { id: 'jwt:x', role: 'ghost', kind: 'jwt' };
    assert.equal(policy.check(ghost, 'fs__read_file', { path: 'src/a' }).allowed, false);
    assert.equal(policy.canSee(ghost, 'fs__read_file'), false);
  });

  it('refuses config that names a role nobody defines, or defines a role twice', () => {
    const badKey = parseHubConfig(`auth: { apiKeys: [{ id: ci, role: nope, sha256: "${'a'.repeat(64)}" }] }`, 'sw.yaml', {});
    assert.throws(
      () => Policy.fromConfig(badKey, [reader], 'sw.yaml'),
      (error: ConfigError) => error.key === 'auth.apiKeys[0].role' && /no role 'nope' \(roles: admin, reader\)/.test(error.message),
    );
    const badLocal = parseHubConfig('principals: { local: { role: nope } }', 'sw.yaml', {});
    assert.throws(() => Policy.fromConfig(badLocal, [], 'sw.yaml'), /principals\.local\.role: no role 'nope'/);
    const twice = parseHubConfig('policy: { roles: { reader: { tools: { allow: ["*"] } } } }', 'sw.yaml', {});
    assert.throws(
      () => Policy.fromConfig(twice, [reader], 'sw.yaml'),
      /policy\.roles\.reader: role 'reader' is already defined by roles\/reader\.yaml/,
    );
  });

  it('lets the config redefine the built-in admin role', () => {
    const narrow = parseHubConfig('policy: { roles: { admin: { tools: { allow: ["fs__*"] } } } }', 'sw.yaml', {});
    const p = Policy.fromConfig(narrow, [], 'sw.yaml');
    assert.equal(p.check(admin, 'sql__query', {}).allowed, false);
    assert.equal(p.check(admin, 'fs__stat', {}).allowed, true);
  });
});
