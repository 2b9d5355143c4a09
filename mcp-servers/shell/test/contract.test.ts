import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { contractSuite } from '@switchboard/kit/contract';
import { createLocalBackend } from '../src/backend-local.ts';
import { MockShellBackend } from '../src/backend-mock.ts';
import { createRuntime } from '../src/runtime.ts';
import { createServer } from '../src/server.ts';
import { code, field, SERVER_ENV, testConfig } from './fixture.ts';
import { sshdUnavailable, startSshd } from './sshd.ts';

interface Fixture {
  /** The root commands are confined to. */
  root: string;
  /** Added to every call: `{ host }` for the SSH backend. */
  where: Record<string, unknown>;
}

type Run = {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: { stdout: boolean; stderr: boolean };
  durationMs: number;
};
const out = (result: CallToolResult) => result.structuredContent as Run;

function tempRoot(): { base: string; root: string } {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'sb-shell-contract-')));
  const root = join(base, 'root');
  mkdirSync(join(root, 'sub'), { recursive: true });
  return { base, root };
}

await contractSuite<Fixture>(
  'shell',
  [
    {
      name: 'mock',
      setup: async () => {
        const config = testConfig(['/srv/work'], { mock: true });
        const runtime = await createRuntime(config, { backend: new MockShellBackend(config.roots), serverEnv: SERVER_ENV });
        return { factory: () => createServer(runtime).server, teardown: () => runtime.close(), fixture: { root: '/srv/work', where: {} } };
      },
    },
    {
      name: 'local',
      setup: async () => {
        const { base, root } = tempRoot();
        const runtime = await createRuntime(testConfig([root]), {
          backend: createLocalBackend({ searchPath: '/usr/bin:/bin' }),
          serverEnv: SERVER_ENV,
        });
        return {
          factory: () => createServer(runtime).server,
          teardown: async () => {
            await runtime.close();
            rmSync(base, { recursive: true, force: true });
          },
          fixture: { root, where: {} },
        };
      },
    },
    {
      name: 'ssh',
      unavailable: async () => sshdUnavailable(),
      setup: async () => {
        const sshd = await startSshd();
        const { base, root } = tempRoot();
        const hosts = `hosts:\n  test:\n    host: 127.0.0.1\n    port: ${sshd.port}\n    user: ${sshd.user}\n    keyFile: ${sshd.userKeyFile}\n    hostKey: ${sshd.hostKey}\n    roots: [${root}]\n`;
        const runtime = await createRuntime(testConfig([root], {}, hosts), { serverEnv: SERVER_ENV });
        return {
          factory: () => createServer(runtime).server,
          teardown: async () => {
            await runtime.close();
            await sshd.stop();
            rmSync(base, { recursive: true, force: true });
          },
          fixture: { root, where: { host: 'test' } },
        };
      },
    },
  ],
  (h) => {
    const run = (args: Record<string, unknown>) => h.call('run', { ...h.fixture.where, ...args });

    it('passes shell metacharacters to the program as literal argv', async () => {
      const hostile = [
        '; rm -rf / && echo pwned',
        '$(id)',
        '`id`',
        'a | cat /etc/passwd',
        'line1\nline2',
        'it\'s "quoted"',
        '*',
        '$HOME',
        '&& true',
        '> /tmp/x',
      ];
      const result = await run({ argv: ['echo', ...hostile] });
      assert.equal(result.isError, undefined, JSON.stringify(result.content));
      assert.equal(out(result).stdout, `${hostile.join(' ')}\n`);
      assert.equal(out(result).exitCode, 0);
    });

    it('reports exit codes as results, not errors', async () => {
      assert.equal(out(await run({ argv: ['true'] })).exitCode, 0);
      const failed = await run({ argv: ['false'] });
      assert.equal(failed.isError, undefined);
      assert.equal(out(failed).exitCode, 1);
    });

    it('runs only allowlisted executables, and shells only by explicit policy', async () => {
      for (const argv of [
        ['rm', '-rf', '.'],
        ['/bin/sh', '-c', 'id'],
        ['bash'],
        ['./evil'],
        ['sh', '-c', 'id'],
        ['LD_PRELOAD=/x.so', 'ls'],
      ]) {
        const result = await run({ argv });
        assert.equal(code(result), 'ACL_DENIED', argv.join(' '));
        assert.equal(field(result), 'argv.0', argv.join(' '));
      }
    });

    it('enforces per-command argument rules, naming the argument', async () => {
      const cases: [string[], string][] = [
        [['git', '-c', 'core.pager=id', 'log'], 'argv.1'],
        [['git', 'log', '-c', 'x'], 'argv.2'],
        [['git', 'fetch', '--upload-pack=id', 'origin'], 'argv.1'],
        [['git', 'log', '--upload-pa=id'], 'argv.2'],
        [['git', 'log', '--output=x.txt'], 'argv.2'],
        [['git', 'grep', '-O', 'x'], 'argv.2'],
        [['git', 'config', 'core.pager', 'id'], 'argv.1'],
        [['find', '.', '-exec', 'id', ';'], 'argv.2'],
        [['find', '.', '-execdir', 'id', ';'], 'argv.2'],
        [['find', '.', '-delete'], 'argv.2'],
        [['tar', '-cf', 'x.tar', '--checkpoint=1', '--checkpoint-action=exec=id', '.'], 'argv.4'],
        [['tar', '--checkpoint-act=exec=id', '-cf', 'x.tar', '.'], 'argv.1'],
        [['tar', '-xIf', 'id', 'x.tar'], 'argv.1'],
        [['tar', '--to-command=id', '-xf', 'x.tar'], 'argv.1'],
        [['npm', 'run', 'build'], 'argv.1'],
        [['npm', 'install'], 'argv.1'],
        [['npm', 'test'], 'argv.1'],
        [['npx', 'cowsay', 'hi'], 'argv.0'],
      ];
      for (const [argv, name] of cases) {
        const result = await run({ argv });
        assert.equal(code(result), 'ACL_DENIED', argv.join(' '));
        assert.equal(field(result), name, argv.join(' '));
      }
    });

    it('confines the working directory to the roots', async () => {
      for (const cwd of ['..', '/', '/etc', `${h.fixture.root}/../..`, `${h.fixture.root}-evil`]) {
        const result = await run({ argv: ['pwd'], cwd });
        assert.equal(code(result), 'ACL_DENIED', cwd);
        assert.equal(field(result), 'cwd');
      }
      assert.equal(code(await run({ argv: ['pwd'], cwd: 'missing-dir/deeper' })), h.backend === 'mock' ? undefined : 'NOT_FOUND');
      assert.equal(out(await run({ argv: ['pwd'], cwd: 'sub' })).stdout, `${h.fixture.root}/sub\n`);
      assert.equal(out(await run({ argv: ['pwd'] })).stdout, `${h.fixture.root}\n`);
    });

    it('refuses path arguments that leave the roots, in every spelling', async () => {
      const cases: [string[], string][] = [
        [['cat', '/etc/passwd'], 'argv.1'],
        [['cat', '../../../../etc/passwd'], 'argv.1'],
        [['cat', 'sub/../../outside'], 'argv.1'],
        [['ls', '--directory=/etc'], 'argv.1'],
        [['ls', '-d/etc'], 'argv.1'],
        [['cat', '~/.ssh/id_rsa'], 'argv.1'],
        [['ls', '.', '/root'], 'argv.2'],
      ];
      for (const [argv, name] of cases) {
        const result = await run({ argv });
        assert.equal(code(result), 'ACL_DENIED', argv.join(' '));
        assert.equal(field(result), name, argv.join(' '));
      }
    });

    it('kills a command at its timeout and says so', async () => {
      const result = await run({ argv: ['sleep', '30'], timeoutMs: 500 });
      assert.equal(result.isError, undefined);
      const r = out(result);
      assert.equal(r.timedOut, true);
      assert.equal(r.exitCode, null);
      assert.equal(r.signal, 'SIGKILL');
      assert.ok(r.durationMs < 25_000, `${r.durationMs}`);
      assert.equal(code(await run({ argv: ['true'], timeoutMs: 20_001 })), 'INVALID_ARGUMENT');
    });

    it('caps endless output, flags the truncation, and still ends at the timeout', async () => {
      // 3 s, not less: over SSH on a loaded machine the session alone can take a second before `yes` writes.
      const r = out(await run({ argv: ['yes', 'spam'], timeoutMs: 3000 }));
      assert.equal(r.truncated.stdout, true);
      assert.equal(r.truncated.stderr, false);
      assert.equal(Buffer.byteLength(r.stdout), 1000);
      assert.match(r.stdout, /^(spam\n)+spa/);
      assert.equal(r.timedOut, true);
    });

    it('builds the environment from the allowlist: no server secrets, no injection', async () => {
      const env = out(await run({ argv: ['printenv'] })).stdout;
      assert.doesNotMatch(env, /hunter2|SECRET_TOKEN|LD_PRELOAD|evil\.so/);
      assert.match(env, /^SB_TEST_PASS=passed-through$/m);
      assert.match(env, /^PATH=\/usr\/local\/bin:\/usr\/bin:\/bin$/m);
      assert.doesNotMatch(env, /^HOME=\/root$/m);
      // Exactly the built environment: nothing of the server's, or of the remote login session's.
      const names = env
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(0, line.indexOf('=')))
        .filter((name) => name !== 'SWITCHBOARD_RUN_ID')
        .sort();
      assert.deepEqual(names, ['GIT_CONFIG_NOSYSTEM', 'GIT_TERMINAL_PROMPT', 'HOME', 'LANG', 'NO_COLOR', 'PATH', 'SB_TEST_PASS']);
      const greeting = await run({ argv: ['printenv', 'GREETING'], env: { GREETING: 'hello; $(id)' } });
      assert.equal(out(greeting).stdout, 'hello; $(id)\n');
      for (const name of ['LD_PRELOAD', 'PATH', 'NODE_OPTIONS', 'GIT_SSH_COMMAND', 'BASH_ENV', 'OTHER']) {
        const refused = await run({ argv: ['true'], env: { [name]: '/tmp/evil' } });
        assert.equal(code(refused), 'ACL_DENIED', name);
        assert.equal(field(refused), `env.${name}`);
      }
    });

    it('feeds stdin, within its limit', async () => {
      assert.equal(out(await run({ argv: ['cat'], stdin: 'piped $(in)\n' })).stdout, 'piped $(in)\n');
      assert.equal(out(await run({ argv: ['cat'] })).stdout, '');
      const big = await run({ argv: ['cat'], stdin: 'x'.repeat(101) });
      assert.equal(code(big), 'TOO_LARGE');
      assert.equal(field(big), 'stdin');
    });

    it('validates input, naming the field', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ argv: [] }, 'INVALID_ARGUMENT', 'argv'],
        [{ argv: 'ls -la' }, 'INVALID_ARGUMENT', 'argv'],
        [{ argv: ['echo', 'a\0b'] }, 'INVALID_ARGUMENT', 'argv.1'],
        [{ argv: ['echo'], shell: true }, 'INVALID_ARGUMENT', 'shell'],
        [{ argv: ['echo'], timeoutMs: -1 }, 'INVALID_ARGUMENT', 'timeoutMs'],
        [{ argv: ['echo', 'x'.repeat(200_000)] }, 'TOO_LARGE', 'argv.1'],
      ];
      for (const [args, expected, name] of cases) {
        const result = await run(args);
        assert.equal(code(result), expected, JSON.stringify(args).slice(0, 80));
        assert.equal(field(result), name, JSON.stringify(args).slice(0, 80));
      }
    });

    it('which lists what may run, where it resolved, and the rules', async () => {
      const result = await h.call('which', { ...h.fixture.where });
      const which = result.structuredContent as {
        commands: { name: string; path: string | null; refused?: string; denyFlags?: string[] }[];
        roots: string[];
      };
      assert.deepEqual(which.roots, [h.fixture.root]);
      const git = which.commands.find((c) => c.name === 'git');
      assert.ok(git?.path?.startsWith('/'));
      assert.ok(git?.denyFlags?.includes('--upload-pack'));
      assert.match(which.commands.find((c) => c.name === 'sh')?.refused ?? '', /is a shell/);
      const tools = (await h.client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(tools, h.backend === 'ssh' ? ['copy_from', 'copy_to', 'run', 'which'] : ['run', 'which']);
    });
  },
);
