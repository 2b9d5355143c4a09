import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { checkArgv, deniedFlag } from './argv-guard.ts';
import { DEFAULT_RULES, effectiveRule } from './default-rules.ts';
import { CommandRuleSchema } from './policy.ts';

const refused = (argv: string[], field: string, rule = effectiveRule(argv[0] as string, DEFAULT_RULES[argv[0] as string])) =>
  assert.throws(
    () => checkArgv(argv, argv[0] as string, rule),
    (e: ToolError) => e.code === 'ACL_DENIED' && e.field === field,
    argv.join(' '),
  );
const passes = (argv: string[]) => checkArgv(argv, argv[0] as string, effectiveRule(argv[0] as string, DEFAULT_RULES[argv[0] as string]));

describe('deniedFlag', () => {
  it('matches long flags exactly, with =value, and abbreviated', () => {
    const denied = ['--upload-pack', '--checkpoint-action'];
    assert.equal(deniedFlag('--upload-pack', denied), '--upload-pack');
    assert.equal(deniedFlag('--upload-pack=id', denied), '--upload-pack');
    assert.equal(deniedFlag('--upload-pa', denied), '--upload-pack');
    assert.equal(deniedFlag('--checkpoint-act=exec=id', denied), '--checkpoint-action');
    assert.equal(deniedFlag('--checkpoint', denied, ['--checkpoint']), undefined);
    assert.equal(deniedFlag('--u', denied), undefined);
    assert.equal(deniedFlag('--uploader', denied), undefined);
  });

  it('matches a single-letter flag alone, stuck to a value, or inside a cluster', () => {
    assert.equal(deniedFlag('-c', ['-c']), '-c');
    assert.equal(deniedFlag('-ccore.pager=id', ['-c']), '-c');
    assert.equal(deniedFlag('-xIf', ['-I']), '-I');
    assert.equal(deniedFlag('-xvf', ['-I']), undefined);
    assert.equal(deniedFlag('--c', ['-c']), undefined);
  });

  it('matches single-dash long flags exactly', () => {
    assert.equal(deniedFlag('-exec', ['-exec']), '-exec');
    assert.equal(deniedFlag('-executable', ['-exec']), undefined);
    assert.equal(deniedFlag('exec', ['-exec']), undefined);
    assert.equal(deniedFlag('-', ['-c']), undefined);
    assert.equal(deniedFlag('--', ['--exec']), undefined);
  });
});

describe('checkArgv with the built-in rules', () => {
  it('keeps git to its subcommands, first, and refuses its exec-capable flags', () => {
    passes(['git', 'status']);
    passes(['git', 'log', '--oneline', '-n', '5']);
    passes(['git', 'commit', '-m', 'fix: handle -c in messages? no: a message is an argument']);
    refused(['git'], 'argv.1');
    refused(['git', '-c', 'core.pager=id', 'log'], 'argv.1');
    refused(['git', '-C', '/etc', 'status'], 'argv.1');
    refused(['git', '--git-dir=/x', 'status'], 'argv.1');
    refused(['git', 'submodule', 'foreach', 'id'], 'argv.1');
    refused(['git', 'log', '--output=/tmp/x'], 'argv.2');
    refused(['git', 'diff', '--ext-diff'], 'argv.2');
    refused(['git', 'grep', '--open-files-in-pager=id', 'x'], 'argv.2');
    refused(['git', 'commit', '--no-verify', '-m', 'x'], 'argv.2');
  });

  it('refuses find, tar, npm and npx ways of running programs', () => {
    passes(['find', '.', '-name', '*.ts']);
    refused(['find', '.', '-exec', 'id', ';'], 'argv.2');
    refused(['find', '.', '-okdir', 'id', ';'], 'argv.2');
    refused(['find', '.', '-fprintf', '/tmp/x', '%p'], 'argv.2');
    passes(['tar', '-czf', 'out.tgz', '--checkpoint=100', 'src']);
    refused(['tar', '--use-compress-prog=id', '-cf', 'x', '.'], 'argv.1');
    refused(['tar', '-xPf', 'x.tar'], 'argv.1');
    passes(['npm', 'ls']);
    passes(['npm', 'view', 'zod', 'version']);
    refused(['npm', 'run-script', 'x'], 'argv.1');
    refused(['npm', 'ci'], 'argv.1');
    refused(['npm', 'ls', '--script-shell=/bin/sh'], 'argv.2');
    refused(['npx', 'anything'], 'argv.0');
  });

  it('lets a policy rule with allowScripts bring npm scripts and npx back', () => {
    const rule = CommandRuleSchema.parse({ allowScripts: true, denySubcommands: ['run', 'publish'] });
    checkArgv(['npm', 'test'], 'npm', effectiveRule('npm', rule));
    refused(['npm', 'publish'], 'argv.1', effectiveRule('npm', rule));
    const npx = effectiveRule('npx', CommandRuleSchema.parse({ allowScripts: true }));
    checkArgv(['npx', 'tsc'], 'npx', npx);
  });

  it('refuses shells, launchers and program-running text tools by default', () => {
    for (const name of ['sh', 'bash', 'env', 'xargs', 'sudo', 'nohup', 'timeout', 'sed', 'awk']) refused([name, 'x'], 'argv.0');
    refused(['node', '-e', 'process.exit()'], 'argv.1');
    refused(['node', '--import=data:text/javascript,1', 'x.js'], 'argv.1');
    refused(['python3', '-c', 'import os'], 'argv.1');
    passes(['node', 'script.js', '--flag']);
  });

  it('checks argv shape whatever the rule: NUL, sizes, counts', () => {
    assert.throws(
      () => checkArgv(['echo', 'a\0b'], 'echo', undefined),
      (e: ToolError) => e.code === 'INVALID_ARGUMENT' && e.field === 'argv.1',
    );
    assert.throws(
      () => checkArgv(['echo', 'x'.repeat(200_000)], 'echo', undefined),
      (e: ToolError) => e.code === 'TOO_LARGE' && e.field === 'argv.1',
    );
    assert.throws(
      () => checkArgv(['echo', ...Array(20).fill('y'.repeat(100_000))], 'echo', undefined),
      (e: ToolError) => e.code === 'TOO_LARGE' && e.field === 'argv',
    );
    assert.throws(
      () => checkArgv(['echo', ...Array(5000).fill('z')], 'echo', undefined),
      (e: ToolError) => e.code === 'TOO_LARGE',
    );
    checkArgv(['echo', '; rm -rf / $(id) `id` | x'], 'echo', undefined);
  });
});
