import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { parsePolicy } from './policy.ts';

const bad = (yaml: string, key: RegExp) =>
  assert.throws(
    () => parsePolicy(yaml, 'policy.yaml'),
    (e: ToolError) => e.code === 'INVALID_CONFIG' && key.test(e.message),
    yaml,
  );

describe('policy file', () => {
  it('parses a full policy with defaults filled in', () => {
    const policy = parsePolicy(
      [
        'allow: [git, /opt/tools/bin/lint]',
        'commands:',
        '  git: { subcommands: [status, log], denyFlags: [-c] }',
        'env: { pass: [LANG], set: { GIT_AUTHOR_NAME: agent }, callerMay: [DEBUG] }',
        'limits: { timeoutMs: 1000, concurrency: 2 }',
        'protect: [/etc/switchboard]',
        'scripts: { interpreter: python3, dir: /srv/scripts }',
        'hosts:',
        '  web1: { host: 10.0.0.5, user: deploy, keyFile: /etc/sb/keys/web1, hostKey: "SHA256:0000000000000000000000000000000000000000000", roots: [/srv/app] }',
      ].join('\n'),
    );
    assert.deepEqual(policy.allow, ['git', '/opt/tools/bin/lint']);
    assert.deepEqual(policy.commands.git?.denySubcommands, []);
    assert.equal(policy.hosts.web1?.port, 22);
    assert.equal(policy.limits.concurrency, 2);
  });

  it('names the file and the key at fault', () => {
    bad('commands:\n  git: { denyFlags: [c] }', /policy\.yaml: commands\.git\.denyFlags\.0: a flag/);
    bad('commands:\n  git: { subcomands: [x] }', /commands\.git: unknown key subcomands/);
    bad('allow: [../bin/sh]', /allow\.0/);
    bad('hosts:\n  web1: { host: h, user: u, keyFile: k, hostKey: x, roots: [/a] }', /hosts\.web1\.keyFile: an absolute path/);
    bad('hosts:\n  web1: { host: h, user: u, keyFile: /k, hostKey: "MD5:aa", roots: [/a] }', /hosts\.web1\.hostKey: an OpenSSH SHA256/);
    bad('limits: { concurrency: 0 }', /limits\.concurrency/);
    bad('surprise: 1', /unknown key surprise/);
    bad('allow: [unclosed', /not valid YAML/);
  });

  it('refuses to let callers set, or the server pass, variables that change what programs load', () => {
    for (const name of [
      'LD_PRELOAD',
      'LD_AUDIT',
      'DYLD_INSERT_LIBRARIES',
      'NODE_OPTIONS',
      'PATH',
      'GIT_SSH_COMMAND',
      'GIT_CONFIG_COUNT',
      'BASH_ENV',
      'HOME',
      'npm_config_script_shell',
    ]) {
      bad(`env: { callerMay: [${name}] }`, /env\.callerMay\.0: may not be passed or set by callers/);
      bad(`env: { pass: [${name}] }`, /env\.pass\.0/);
    }
    assert.equal(parsePolicy('env: { set: { PATH: /opt/bin } }').env.set.PATH, '/opt/bin');
  });
});
