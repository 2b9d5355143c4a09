import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/server';
import { createLocalBackend } from '../src/backend-local.ts';
import { createRuntime, type ShellRuntime } from '../src/runtime.ts';
import { createServer } from '../src/server.ts';
import { code, field, SERVER_ENV, testConfig } from './fixture.ts';

/** What only this machine's backend can show: symlinked arguments, protected paths, run_script, the concurrency limit. */
describe('shell server on this machine', () => {
  let base: string;
  let root: string;
  let runtime: ShellRuntime;
  let client: Client;
  let active = 0;
  let peak = 0;
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  const out = (result: CallToolResult) => result.structuredContent as { stdout: string; exitCode: number | null; durationMs: number };

  before(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'sb-shell-local-')));
    root = join(base, 'root');
    for (const dir of ['root/config', 'scripts', 'outside']) mkdirSync(join(base, dir), { recursive: true });
    writeFileSync(join(base, 'outside', 'secret.txt'), 'top secret');
    writeFileSync(join(root, 'config', 'switchboard.yaml'), 'roles: ../roles');
    writeFileSync(join(root, 'notes.txt'), 'inside');
    symlinkSync(join(base, 'outside'), join(root, 'out-link'));
    symlinkSync(join(base, 'outside', 'secret.txt'), join(root, 'secret-link'));
    writeFileSync(join(base, 'scripts', 'hello.sh'), 'echo "hello $1 from $(pwd)"\n');
    const config = testConfig(
      [root],
      { protect: [join(root, 'config')], concurrency: 1 },
      `scripts: { interpreter: /bin/sh, dir: ${join(base, 'scripts')} }\n`,
    );
    const backend = createLocalBackend({ searchPath: '/usr/bin:/bin' });
    const run = backend.run.bind(backend);
    // Counts commands in flight, to see the concurrency limit without timing anything.
    backend.run = async (spec) => {
      peak = Math.max(peak, ++active);
      try {
        return await run(spec);
      } finally {
        active--;
      }
    };
    runtime = await createRuntime(config, { backend, serverEnv: SERVER_ENV });
    const server = createServer(runtime).server;
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    client = new Client({ name: 't', version: '1' });
    await client.connect(a);
  });

  after(async () => {
    await client.close();
    await runtime.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('refuses arguments that reach outside through a symlink in the root', async () => {
    for (const argv of [
      ['cat', 'secret-link'],
      ['cat', 'out-link/secret.txt'],
      ['ls', 'out-link'],
    ]) {
      const result = await call('run', { argv });
      assert.equal(code(result), 'ACL_DENIED', argv.join(' '));
      assert.equal(field(result), 'argv.1');
      assert.doesNotMatch(JSON.stringify(result), /top secret/);
    }
    assert.equal(out(await call('run', { argv: ['cat', 'notes.txt'] })).stdout, 'inside');
    assert.equal(code(await call('run', { argv: ['ls'], cwd: 'out-link' })), 'ACL_DENIED');
  });

  it('keeps commands away from protected paths (the security configuration)', async () => {
    for (const [args, name] of [
      [{ argv: ['cat', 'config/switchboard.yaml'] }, 'argv.1'],
      [{ argv: ['ls', 'config'] }, 'argv.1'],
      [{ argv: ['cat', 'switchboard.yaml'], cwd: 'config' }, 'cwd'],
      [{ argv: ['git', 'add', `--pathspec-from-file=${root}/config/switchboard.yaml`] }, 'argv.2'],
    ] as const) {
      const result = await call('run', args);
      assert.equal(code(result), 'ACL_DENIED', JSON.stringify(args));
      assert.equal(field(result), name);
      assert.match(JSON.stringify(result.content), /protected/);
    }
  });

  it('runs vetted scripts by name only, from the script directory', async () => {
    const result = await call('run_script', { script: 'hello.sh', args: ['world'], cwd: '.' });
    assert.equal(out(result).stdout, `hello world from ${root}\n`);
    assert.equal(code(await call('run_script', { script: '../outside/secret.txt' })), 'ACL_DENIED');
    assert.equal(code(await call('run_script', { script: '/etc/passwd' })), 'INVALID_ARGUMENT');
    assert.equal(code(await call('run_script', { script: 'missing.sh' })), 'NOT_FOUND');
    assert.equal(code(await call('run_script', { script: 'hello.sh', args: ['/etc/passwd'] })), 'ACL_DENIED');
    // sh is not on the allowlist for run (its rule refuses it): the interpreter is for scripts only.
    assert.equal(code(await call('run', { argv: ['sh', `${base}/scripts/hello.sh`] })), 'ACL_DENIED');
  });

  it('runs at most `concurrency` commands at once; the rest wait their turn', async () => {
    peak = 0;
    const results = await Promise.all([0, 1, 2].map(() => call('run', { argv: ['sleep', '0.2'] })));
    for (const result of results) assert.equal(out(result).exitCode, 0);
    assert.equal(peak, 1);
  });
});
