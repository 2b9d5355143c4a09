import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/server';
import { createRuntime, type ShellRuntime } from '../src/runtime.ts';
import { createServer } from '../src/server.ts';
import { code, field, SERVER_ENV, testConfig } from './fixture.ts';
import { sshdUnavailable, startSshd, type TestSshd } from './sshd.ts';

const reason = sshdUnavailable();
if (reason !== null && process.env.REQUIRE_SERVICES === '1') {
  it('sshd is available for the SSH tests', () => assert.fail(`REQUIRE_SERVICES=1 but ${reason}`));
} else if (reason !== null) process.stderr.write(`skipping SSH tests: ${reason}\n`);

/** Against a real OpenSSH server on loopback: pinned host keys, SFTP copies, remote confinement. */
describe('shell over SSH', { skip: reason ?? false }, () => {
  let sshd: TestSshd;
  let base: string;
  let runtime: ShellRuntime;
  let client: Client;
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  const local = (rel: string) => join(base, 'local', rel);
  const remote = (rel: string) => join(base, 'remote', rel);

  before(async () => {
    sshd = await startSshd();
    base = realpathSync(mkdtempSync(join(tmpdir(), 'sb-shell-ssh-')));
    for (const dir of ['local', 'remote/sub', 'outside']) mkdirSync(join(base, dir), { recursive: true });
    writeFileSync(join(base, 'outside', 'secret.txt'), 'top secret');
    symlinkSync(join(base, 'outside'), remote('out-link'));
    symlinkSync(join(base, 'outside', 'secret.txt'), remote('secret-link'));
    const host = (name: string, port: number, hostKey: string) =>
      `  ${name}:\n    host: 127.0.0.1\n    port: ${port}\n    user: ${sshd.user}\n    keyFile: ${sshd.userKeyFile}\n    hostKey: ${hostKey}\n    roots: [${remote('')}]\n    connectTimeoutMs: 5000\n`;
    const policy = `hosts:\n${host('test', sshd.port, sshd.hostKey)}${host('impostor', sshd.port, sshd.otherHostKey)}${host('down', 1, sshd.hostKey)}`;
    runtime = await createRuntime(testConfig([local('')], { maxCopyBytes: 64 }, policy), { serverEnv: SERVER_ENV });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await createServer(runtime).server.connect(b);
    client = new Client({ name: 't', version: '1' });
    await client.connect(a);
  });

  after(async () => {
    await client?.close();
    await runtime?.close();
    await sshd?.stop();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('refuses a host whose key does not match the pinned fingerprint, and says which', async () => {
    const result = await call('run', { host: 'impostor', argv: ['true'] });
    assert.equal(code(result), 'ACL_DENIED');
    assert.equal(field(result), 'host');
    assert.match(JSON.stringify(result.content), new RegExp(`is ${sshd.hostKey.replace(/[+/]/g, '\\$&')}, not the pinned`));
  });

  it('answers an unreachable host for itself; the other host still works', async () => {
    const down = await call('run', { host: 'down', argv: ['true'] });
    assert.equal(code(down), 'UPSTREAM_UNAVAILABLE');
    const ok = await call('run', { host: 'test', argv: ['pwd'] });
    assert.equal((ok.structuredContent as { stdout: string }).stdout, `${remote('')}\n`);
    assert.equal((ok.structuredContent as { host: string }).host, 'test');
  });

  it('copies files both ways over SFTP, atomically, inside both ends’ roots', async () => {
    writeFileSync(local('up.txt'), 'uploaded');
    const up = await call('copy_to', { host: 'test', path: 'up.txt', remotePath: 'sub/up.txt' });
    assert.deepEqual(up.structuredContent, { host: 'test', path: local('up.txt'), remotePath: remote('sub/up.txt'), size: 8 });
    assert.equal(readFileSync(remote('sub/up.txt'), 'utf8'), 'uploaded');
    writeFileSync(remote('down.txt'), 'downloaded');
    await call('copy_from', { host: 'test', remotePath: 'down.txt', path: 'down.txt' });
    assert.equal(readFileSync(local('down.txt'), 'utf8'), 'downloaded');
  });

  it('refuses copies that leave either end’s roots, follow symlinks, or exceed the limit', async () => {
    writeFileSync(local('small.txt'), 'x');
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['copy_to', { path: 'small.txt', remotePath: '/tmp/planted.txt' }, 'ACL_DENIED', 'remotePath'],
      ['copy_to', { path: 'small.txt', remotePath: '../outside/planted.txt' }, 'ACL_DENIED', 'remotePath'],
      ['copy_to', { path: 'small.txt', remotePath: 'out-link/planted.txt' }, 'ACL_DENIED', 'remotePath'],
      ['copy_to', { path: '/etc/passwd', remotePath: 'passwd' }, 'ACL_DENIED', 'path'],
      ['copy_from', { remotePath: 'secret-link', path: 'stolen.txt' }, 'ACL_DENIED', 'remotePath'],
      ['copy_from', { remotePath: 'out-link/secret.txt', path: 'stolen.txt' }, 'ACL_DENIED', 'remotePath'],
      ['copy_from', { remotePath: 'sub/up.txt', path: '../outside/planted.txt' }, 'ACL_DENIED', 'path'],
      ['copy_from', { remotePath: 'nothing.txt', path: 'x.txt' }, 'NOT_FOUND', 'remotePath'],
      ['copy_from', { remotePath: 'sub', path: 'x.txt' }, 'INVALID_ARGUMENT', 'remotePath'],
    ];
    for (const [tool, args, expected, name] of cases) {
      const result = await call(tool, { host: 'test', ...args });
      assert.equal(code(result), expected, `${tool} ${JSON.stringify(args)}`);
      assert.equal(field(result), name, `${tool} ${JSON.stringify(args)}`);
      assert.doesNotMatch(JSON.stringify(result), /top secret/);
    }
    writeFileSync(remote('big.bin'), Buffer.alloc(65));
    assert.equal(code(await call('copy_from', { host: 'test', remotePath: 'big.bin', path: 'big.bin' })), 'TOO_LARGE');
    assert.equal(existsSync(join(base, 'outside', 'planted.txt')), false);
    assert.equal(existsSync(local('stolen.txt')), false);
  });

  it('confines the remote cwd and path arguments through the host’s own symlinks', async () => {
    assert.equal(code(await call('run', { host: 'test', argv: ['ls'], cwd: 'out-link' })), 'ACL_DENIED');
    assert.equal(code(await call('run', { host: 'test', argv: ['cat', 'secret-link'] })), 'ACL_DENIED');
    assert.equal(code(await call('run', { host: 'test', argv: ['cat', '/etc/hostname'] })), 'ACL_DENIED');
  });
});
