import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { parseShellArgs } from './main.ts';

describe('shell server flags', () => {
  it('takes roots, a comma list of commands, limits and protected paths', () => {
    const { config } = parseShellArgs(
      ['--mock', '--root', '/w', '--allow', 'git,ls', '--allow', 'node', '--timeout-ms', '100', '--protect', '/etc/sb'],
      {
        SWITCHBOARD_PROTECT: '/srv/hub/roles',
      },
    );
    assert.deepEqual(config.roots, ['/w']);
    assert.deepEqual(config.allow, ['git', 'ls', 'node']);
    assert.equal(config.timeoutMs, 100);
    assert.deepEqual(config.protect, ['/etc/sb', '/srv/hub/roles']);
  });

  it('reads SHELL_ROOTS and SHELL_ALLOW when no flags are given', () => {
    const { config } = parseShellArgs(['--mock'], { SHELL_ROOTS: '/a:/b', SHELL_ALLOW: 'ls,cat' });
    assert.deepEqual(config.roots, ['/a', '/b']);
    assert.deepEqual(config.allow, ['ls', 'cat']);
  });

  it('merges a policy file: its allowlist, its limits under the flags, and protects the file itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-shell-main-'));
    try {
      const file = join(dir, 'policy.yaml');
      writeFileSync(file, 'allow: [cat]\nlimits: { timeoutMs: 7000, concurrency: 3 }\n');
      const { config } = parseShellArgs(['--mock', '--root', '/w', '--allow', 'ls', '--policy', file, '--concurrency', '1'], {});
      assert.deepEqual(config.allow, ['ls', 'cat']);
      assert.equal(config.timeoutMs, 7000);
      assert.equal(config.concurrency, 1);
      assert.equal(config.policyFile, file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing root or allowlist, unknown flags, bad numbers and unreadable policies, naming them', () => {
    const refuses = (argv: string[], pattern: RegExp) =>
      assert.throws(
        () => parseShellArgs(argv, {}),
        (e: ToolError) => e.code === 'INVALID_CONFIG' && pattern.test(e.message),
        argv.join(' '),
      );
    refuses(['--allow', 'ls'], /--root/);
    refuses(['--root', '/w'], /--allow/);
    refuses(['--root', '/w', '--allow', 'ls', '--allwo', 'x'], /--allwo/);
    refuses(['--root', '/w', '--allow', 'ls', '--concurrency', 'many'], /--concurrency/);
    refuses(
      ['--root', '/w', '--allow', 'ls', '--policy', '/nonexistent/policy.yaml'],
      /--policy '\/nonexistent\/policy\.yaml' cannot be read/,
    );
    refuses(['--root', '/w', '--allow', 'ls', '--script', '/x.yaml'], /--script works only with --mock/);
  });
});
