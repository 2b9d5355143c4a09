import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { createRuntime, createServer, parsePolicy, ShellConfigSchema } from '@switchboard/server-shell';
import { sshdUnavailable, startSshd, type TestSshd } from '@switchboard/server-shell/testing';
import { type HostileCase, hostileSuite, structured } from './harness.ts';
import { settled, uniqueSeconds } from './processes.ts';
import type { Sandbox } from './sandbox.ts';

const reason = sshdUnavailable();
if (reason !== null && process.env.REQUIRE_SERVICES === '1') it('sshd is available', () => assert.fail(`REQUIRE_SERVICES=1 but ${reason}`));
else if (reason !== null) process.stderr.write(`skipping SSH adversarial cases: ${reason}\n`);

type Run = { stdout: string; timedOut: boolean };
const run = (result: CallToolResult) => structured<Run>(result);
const echoes = (text: string) => ({ contained: (result: CallToolResult) => assert.equal(run(result).stdout, `${text}\n`) });
const onHost = (args: Record<string, unknown>) => ({ host: 'web', ...args });
const tree = uniqueSeconds();

/** Hostile inputs sent to a real OpenSSH server on loopback: the remote shell must only ever see quoted words. */
const cases: HostileCase[] = [
  {
    name: 'breaking out of single quotes',
    tool: 'run',
    args: onHost({ argv: ['echo', "'; touch ../outside/pwned; '"] }),
    expect: echoes("'; touch ../outside/pwned; '"),
  },
  {
    name: "quote-juggling with '\"'\"'",
    tool: 'run',
    args: onHost({ argv: ['echo', `'"'"'$(touch ../outside/pwned)'"'"'`] }),
    expect: echoes(`'"'"'$(touch ../outside/pwned)'"'"'`),
  },
  {
    name: '$( ) for the remote shell',
    tool: 'run',
    args: onHost({ argv: ['echo', '$(touch ../outside/pwned)'] }),
    expect: echoes('$(touch ../outside/pwned)'),
  },
  {
    name: 'backslash-newline and a second command',
    tool: 'run',
    args: onHost({ argv: ['echo', 'x\\\ntouch ../outside/pwned'] }),
    expect: echoes('x\\\ntouch ../outside/pwned'),
  },
  { name: 'semicolon and glob for the remote shell', tool: 'run', args: onHost({ argv: ['echo', '*;', 'id'] }), expect: echoes('*; id') },
  {
    name: 'an environment value that tries to end its quotes',
    tool: 'run',
    args: onHost({ argv: ['printenv', 'GREETING'], env: { GREETING: "x' ; touch ../outside/pwned ; '" } }),
    expect: echoes("x' ; touch ../outside/pwned ; '"),
  },
  {
    name: 'a cwd whose name carries a quote and a $( )',
    tool: 'run',
    arrange: (s) => {
      mkdirSync(join(s.root, "it's $(id)"), { recursive: true });
    },
    args: onHost({ argv: ['pwd'], cwd: "it's $(id)" }),
    expect: { contained: (result, s) => assert.equal(run(result).stdout, `${join(s.root, "it's $(id)")}\n`) },
  },
  {
    name: 'remote cwd climbing out',
    tool: 'run',
    args: onHost({ argv: ['ls'], cwd: '../outside' }),
    expect: { refused: 'ACL_DENIED', field: 'cwd' },
  },
  {
    name: 'remote path argument outside',
    tool: 'run',
    args: onHost({ argv: ['cat', '/etc/shadow'] }),
    expect: { refused: 'ACL_DENIED', field: 'argv.1' },
  },
  {
    name: 'remote argument through a symlink out',
    tool: 'run',
    arrange: (s) => symlinkSync(s.outside, join(s.root, 'out')),
    args: onHost({ argv: ['cat', 'out/secret.txt'] }),
    expect: { refused: 'ACL_DENIED', field: 'argv.1' },
  },
  {
    name: 'copy_to a remote path outside the host roots',
    tool: 'copy_to',
    args: { host: 'web', path: 'config-free.txt', remotePath: '../outside/pwned' },
    expect: { refused: 'ACL_DENIED', field: 'remotePath' },
  },
  {
    name: 'copy_from through a remote symlink out',
    tool: 'copy_from',
    args: { host: 'web', remotePath: 'out/secret.txt', path: 'stolen.txt' },
    expect: { refused: 'ACL_DENIED', field: 'remotePath' },
  },
  {
    name: 'copy_from onto the protected hub config',
    tool: 'copy_from',
    args: { host: 'web', remotePath: 'anything.txt', path: 'config/switchboard.yaml' },
    expect: { refused: 'ACL_DENIED', field: 'path' },
  },
  {
    name: 'a host whose key is not the pinned one',
    tool: 'run',
    args: { host: 'impostor', argv: ['true'] },
    expect: { refused: 'ACL_DENIED', field: 'host' },
  },
  {
    name: 'remote fork tree ignoring SIGTERM, past its timeout: the host kills the whole group',
    tool: 'run',
    args: onHost({
      argv: ['sh', '-c', `trap '' TERM HUP; b() { if [ "$1" -gt 0 ]; then b $(($1 - 1)) & b $(($1 - 1)) & fi; sleep ${tree}; }; b 4`],
      timeoutMs: 1500,
    }),
    expect: {
      contained: async (result) => {
        assert.equal(run(result).timedOut, true);
        // The host is this machine: nothing of the tree may be left on it.
        assert.deepEqual(await settled(tree), []);
      },
    },
  },
];

let sshd: TestSshd | undefined;
hostileSuite(
  'ssh (real OpenSSH on loopback)',
  async (sandbox: Sandbox) => {
    sshd = await startSshd();
    const host = (name: string, key: string) =>
      `  ${name}: { host: 127.0.0.1, port: ${sshd?.port}, user: ${sshd?.user}, keyFile: ${sshd?.userKeyFile}, hostKey: "${key}", roots: [${sandbox.root}], protect: [${sandbox.protectedDir}] }\n`;
    const policy = parsePolicy(
      `env: { callerMay: [GREETING] }\ncommands:\n  sh: {}\nhosts:\n${host('web', sshd.hostKey)}${host('impostor', sshd.otherHostKey)}`,
    );
    const config = ShellConfigSchema.parse({
      roots: [sandbox.root],
      allow: ['echo', 'printenv', 'pwd', 'ls', 'cat', 'sh', 'true'],
      protect: [sandbox.protectedDir],
      policy,
      maxTimeoutMs: 10_000,
    });
    const runtime = await createRuntime(config, { serverEnv: { PATH: '/usr/bin:/bin' } });
    return {
      server: () => createServer(runtime).server,
      close: async () => {
        await runtime.close();
        await sshd?.stop();
        assert.equal(existsSync(join(sandbox.outside, 'pwned')), false);
      },
    };
  },
  cases,
  { skip: reason ?? false },
);
