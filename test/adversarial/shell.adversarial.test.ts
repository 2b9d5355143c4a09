import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import { createLocalBackend, createRuntime, createServer, parsePolicy, ShellConfigSchema } from '@switchboard/server-shell';
import { type HostileCase, hostileSuite, structured } from './harness.ts';
import { settled, uniqueSeconds } from './processes.ts';
import { createSandbox, type Sandbox, SECRET } from './sandbox.ts';

type Run = { stdout: string; stderr: string; exitCode: number | null; timedOut: boolean; truncated: { stdout: boolean; stderr: boolean } };
const run = (result: CallToolResult) => structured<Run>(result);
const echoes = (text: string) => ({ contained: (result: CallToolResult) => assert.equal(run(result).stdout, `${text}\n`) });

/** The server's own environment: a secret and a preload that must never reach a command. */
const SERVER_ENV = { SECRET_TOKEN: SECRET, LD_PRELOAD: '/tmp/evil.so', PATH: '/usr/bin:/bin' };
const ALLOW = ['echo', 'cat', 'ls', 'git', 'find', 'tar', 'npm', 'npx', 'printenv', 'yes', 'sleep', 'sh', 'env', 'xargs', 'true'];

async function startShell(sandbox: Sandbox, policyYaml = '') {
  const config = ShellConfigSchema.parse({
    roots: [sandbox.root],
    allow: ALLOW,
    protect: [sandbox.protectedDir],
    policy: parsePolicy(`env: { callerMay: [GREETING] }\n${policyYaml}`),
    timeoutMs: 5000,
    maxTimeoutMs: 10_000,
    maxOutputBytes: 4096,
    maxStdinBytes: 1024,
    concurrency: 2,
  });
  const runtime = await createRuntime(config, { backend: createLocalBackend({ searchPath: '/usr/bin:/bin' }), serverEnv: SERVER_ENV });
  return { server: () => createServer(runtime).server, close: () => runtime.close() };
}

const strict: HostileCase[] = [
  {
    name: 'semicolon command chaining as an argument',
    tool: 'run',
    args: { argv: ['echo', '; rm -rf ..'] },
    expect: echoes('; rm -rf ..'),
  },
  {
    name: '$( ) substitution as an argument',
    tool: 'run',
    args: { argv: ['echo', '$(touch ../outside/pwned)'] },
    expect: echoes('$(touch ../outside/pwned)'),
  },
  {
    name: 'backtick substitution as an argument',
    tool: 'run',
    args: { argv: ['echo', '`touch ../outside/pwned`'] },
    expect: echoes('`touch ../outside/pwned`'),
  },
  {
    name: '&& chaining as an argument',
    tool: 'run',
    args: { argv: ['echo', 'x && cat ../outside/secret.txt'] },
    expect: echoes('x && cat ../outside/secret.txt'),
  },
  {
    name: 'pipe as an argument',
    tool: 'run',
    args: { argv: ['echo', 'x | tee ../outside/pwned'] },
    expect: echoes('x | tee ../outside/pwned'),
  },
  {
    name: 'newline injection as an argument',
    tool: 'run',
    args: { argv: ['echo', 'x\ntouch ../outside/pwned'] },
    expect: echoes('x\ntouch ../outside/pwned'),
  },
  { name: 'redirection as an argument', tool: 'run', args: { argv: ['echo', 'x', '>', 'pwned'] }, expect: echoes('x > pwned') },
  {
    name: 'a whole command line as argv[0]',
    tool: 'run',
    args: { argv: ['ls -la; id'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.0' },
  },
  {
    name: 'a shell by name (allowlisted, refused by its rule)',
    tool: 'run',
    args: { argv: ['sh', '-c', 'touch ../outside/pwned'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.0' },
  },
  {
    name: 'a shell by absolute path',
    tool: 'run',
    args: { argv: ['/bin/sh', '-c', 'id'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.0' },
  },
  {
    name: 'an executable outside the allowlist',
    tool: 'run',
    args: { argv: ['rm', '-rf', '.'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.0' },
  },
  {
    name: 'PATH hijack: a planted ./ls in the cwd',
    tool: 'run',
    arrange: (s) => {
      writeFileSync(join(s.root, 'ls'), `#!/bin/sh\ntouch ${s.outside}/pwned\n`);
      chmodSync(join(s.root, 'ls'), 0o755);
    },
    args: { argv: ['ls'] },
    // /usr/bin/ls, resolved at start, lists the planted file; the planted file never runs.
    expect: { contained: (result, s) => assert.ok(run(result).stdout.split('\n').includes('ls') && !existsSync(join(s.outside, 'pwned'))) },
  },
  {
    name: 'env injection: LD_PRELOAD from the caller',
    tool: 'run',
    args: { argv: ['true'], env: { LD_PRELOAD: '/tmp/evil.so' } },
    expect: { refused: 'ACL_DENIED', field: 'env.LD_PRELOAD' },
  },
  {
    name: 'env injection: PATH from the caller',
    tool: 'run',
    args: (s) => ({ argv: ['ls'], env: { PATH: s.root } }),
    expect: { refused: 'ACL_DENIED', field: 'env.PATH' },
  },
  {
    name: 'env injection through the env launcher',
    tool: 'run',
    args: { argv: ['env', 'LD_PRELOAD=/tmp/evil.so', 'ls'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.0' },
  },
  {
    name: "the server's secrets and LD_PRELOAD are not inherited",
    tool: 'run',
    args: { argv: ['printenv'] },
    expect: { contained: (result) => assert.doesNotMatch(run(result).stdout, /SECRET_TOKEN|LD_PRELOAD/) },
  },
  {
    name: 'git -c core.pager (config injection)',
    tool: 'run',
    args: { argv: ['git', '-c', 'core.pager=touch ../outside/pwned', 'log'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.1' },
  },
  {
    name: 'git --upload-pack, abbreviated',
    tool: 'run',
    args: { argv: ['git', 'log', '--upload-pa=touch /tmp/x'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.2' },
  },
  {
    name: 'git -C to another repository',
    tool: 'run',
    args: { argv: ['git', '-C', '/', 'status'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.1' },
  },
  {
    name: 'git log --output writing outside',
    tool: 'run',
    args: { argv: ['git', 'log', '--output=../outside/pwned'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.2' },
  },
  {
    name: 'find -exec',
    tool: 'run',
    args: { argv: ['find', '.', '-exec', 'touch', '../outside/pwned', ';'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.2' },
  },
  { name: 'find -delete', tool: 'run', args: { argv: ['find', '.', '-delete'] }, expect: { refused: 'ACL_DENIED', field: 'argv.2' } },
  {
    name: 'tar --checkpoint-action=exec',
    tool: 'run',
    args: { argv: ['tar', '-cf', 'a.tar', '--checkpoint=1', '--checkpoint-action=exec=id', '.'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.4' },
  },
  {
    name: 'tar -I hidden in a flag cluster',
    tool: 'run',
    args: { argv: ['tar', '-xIf', 'id', 'a.tar'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.1' },
  },
  {
    name: 'npm run (package scripts)',
    tool: 'run',
    args: { argv: ['npm', 'run', 'postinstall'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.1' },
  },
  { name: 'npx (package code)', tool: 'run', args: { argv: ['npx', 'some-package'] }, expect: { refused: 'ACL_DENIED', field: 'argv.0' } },
  {
    name: 'xargs launching another program',
    tool: 'run',
    args: { argv: ['xargs', 'rm'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.0' },
  },
  {
    name: 'cwd climbing out of the root',
    tool: 'run',
    args: { argv: ['ls'], cwd: '../outside' },
    expect: { refused: 'ACL_DENIED', field: 'cwd' },
  },
  {
    name: 'cwd through a planted symlink',
    tool: 'run',
    arrange: (s) => symlinkSync(s.outside, join(s.root, 'out')),
    args: { argv: ['ls'], cwd: 'out' },
    expect: { refused: 'ACL_DENIED', field: 'cwd' },
  },
  {
    name: 'absolute path argument outside',
    tool: 'run',
    args: { argv: ['cat', '/etc/shadow'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.1' },
  },
  {
    name: 'dot-dot argument after --',
    tool: 'run',
    args: { argv: ['cat', '--', '../outside/secret.txt'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.2' },
  },
  {
    name: 'path hidden in --opt=value',
    tool: 'run',
    args: (s) => ({ argv: ['ls', `--hide=${s.secret}`] }),
    expect: { refused: 'ACL_DENIED', field: 'argv.1' },
  },
  {
    name: 'argument through a planted symlink',
    tool: 'run',
    args: { argv: ['cat', 'out/secret.txt'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.1' },
  },
  {
    name: 'the protected hub config as an argument',
    tool: 'run',
    args: { argv: ['cat', 'config/switchboard.yaml'] },
    expect: { refused: 'ACL_DENIED', field: 'argv.1' },
  },
  {
    name: 'endless stdout (yes) is capped, flagged and killed',
    tool: 'run',
    args: { argv: ['yes'], timeoutMs: 500 },
    expect: {
      contained: (result) =>
        assert.deepEqual([run(result).stdout.length, run(result).truncated.stdout, run(result).timedOut], [4096, true, true]),
    },
  },
  {
    name: 'oversized stdin',
    tool: 'run',
    args: { argv: ['cat'], stdin: 'x'.repeat(1025) },
    expect: { refused: 'TOO_LARGE', field: 'stdin' },
  },
  {
    name: 'oversized argument',
    tool: 'run',
    args: { argv: ['echo', 'x'.repeat(200_000)] },
    expect: { refused: 'TOO_LARGE', field: 'argv.1' },
  },
  {
    name: 'NUL byte in an argument',
    tool: 'run',
    args: { argv: ['cat', 'notes\0../../etc/passwd'] },
    expect: { refused: 'INVALID_ARGUMENT', field: 'argv.1' },
  },
  {
    name: 'timeout beyond the maximum',
    tool: 'run',
    args: { argv: ['sleep', '1'], timeoutMs: 3_600_000 },
    expect: { refused: 'INVALID_ARGUMENT', field: 'timeoutMs' },
  },
  {
    name: 'asking for a shell explicitly',
    tool: 'run',
    args: { argv: ['echo', 'x'], shell: true },
    expect: { refused: 'INVALID_ARGUMENT', field: 'shell' },
  },
];

hostileSuite('shell (local, default rules)', (sandbox) => startShell(sandbox), strict);

const bomb = uniqueSeconds();
const daemon = uniqueSeconds();
const permissive: HostileCase[] = [
  {
    name: 'fork bomb (bounded fork tree ignoring SIGTERM) under a timeout: the whole tree dies',
    tool: 'run',
    // 2^7 shells each ignoring TERM/HUP and sleeping: bounded, because this machine is shared.
    args: {
      argv: ['sh', '-c', `trap '' TERM HUP INT; b() { if [ "$1" -gt 0 ]; then b $(($1 - 1)) & b $(($1 - 1)) & fi; sleep ${bomb}; }; b 6`],
      timeoutMs: 1500,
    },
    expect: {
      contained: async (result) => {
        assert.equal(run(result).timedOut, true);
        assert.deepEqual(await settled(bomb), []);
      },
    },
  },
  {
    name: 'a daemon escaping the process group with setsid is swept when the command ends',
    tool: 'run',
    args: { argv: ['sh', '-c', `setsid sleep ${daemon} >/dev/null 2>&1 < /dev/null & echo started`] },
    expect: {
      contained: async (result) => {
        assert.equal(run(result).stdout, 'started\n');
        assert.deepEqual(await settled(daemon), []);
      },
    },
  },
  {
    name: 'a background job that would write outside after the call returns',
    tool: 'run',
    args: (s) => ({ argv: ['sh', '-c', `(sleep 1; echo late > ${s.outside}/late) & echo done`] }),
    expect: {
      contained: async (result, s) => {
        assert.equal(run(result).stdout, 'done\n');
        await new Promise((resolve) => setTimeout(resolve, 1500));
        assert.equal(existsSync(join(s.outside, 'late')), false);
      },
    },
  },
  {
    name: 'endless stderr is capped and flagged',
    tool: 'run',
    args: { argv: ['sh', '-c', 'yes >&2'], timeoutMs: 500 },
    expect: {
      contained: (result) =>
        assert.deepEqual([run(result).stderr.length, run(result).truncated.stderr, run(result).stdout], [4096, true, '']),
    },
  },
];

hostileSuite('shell (local, sh allowed by policy)', (sandbox) => startShell(sandbox, 'commands:\n  sh: {}\n'), permissive);

it('a flood of parallel calls: two run, eight wait, the rest are refused, nothing is left behind', async () => {
  const sandbox = createSandbox('shell-flood');
  const target = await startShell(sandbox);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await target.server().connect(b);
  const client = new Client({ name: 'flood', version: '1' });
  await client.connect(a);
  const marker = uniqueSeconds();
  try {
    mkdirSync(join(sandbox.root, 'sub'), { recursive: true });
    const before = sandbox.surroundings();
    const results = (await Promise.all(
      Array.from({ length: 20 }, () => client.callTool({ name: 'run', arguments: { argv: ['sleep', `1.${marker}`] } })),
    )) as CallToolResult[];
    const codes = results.map((result) => errorOfResult(result)?.code ?? 'ok');
    assert.equal(codes.filter((c) => c === 'ok').length, 10);
    assert.equal(codes.filter((c) => c === 'LIMIT_EXCEEDED').length, 10);
    assert.deepEqual(await settled(`1.${marker}`), []);
    assert.equal(sandbox.surroundings(), before);
  } finally {
    await client.close();
    await target.close();
    sandbox.remove();
  }
});
