import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fingerprintOf } from '../src/backend-ssh.ts';

export const SSHD = '/usr/sbin/sshd';

/** A throwaway OpenSSH server on a loopback port, for the SSH tests. */
export interface TestSshd {
  port: number;
  user: string;
  /** Private key accepted by the server. */
  userKeyFile: string;
  /** The server's host key fingerprint, as a policy pins it. */
  hostKey: string;
  /** A valid fingerprint of some other key: for the mismatch test. */
  otherHostKey: string;
  dir: string;
  stop(): Promise<void>;
}

/** Why the SSH tests cannot run here, or null. With REQUIRE_SERVICES=1 the tests fail instead of skipping. */
export function sshdUnavailable(): string | null {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (Debian: apt-get install -y openssh-server)`;
  if (process.getuid?.() !== 0) return 'sshd must be started as root for a loopback test server';
  if (!existsSync('/usr/bin/ssh-keygen')) return 'ssh-keygen is not installed';
  return null;
}

function keygen(file: string): string {
  execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'switchboard-test', '-f', file]);
  const blob = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/)[1] as string;
  return fingerprintOf(Buffer.from(blob, 'base64'));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts sshd -D on a free loopback port with a fresh host key and user key; stop() kills it and removes everything. */
export async function startSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sshd-'));
  const hostKey = keygen(join(dir, 'host_key'));
  keygen(join(dir, 'user_key'));
  const otherHostKey = keygen(join(dir, 'other_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')), { mode: 0o600 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation directory
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'Subsystem sftp internal-sftp',
      'MaxSessions 64',
      'MaxStartups 64',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config, '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`sshd exited at start: ${stderr}`);
    }
    if (await accepting(port)) break;
    if (attempt > 100) {
      await stop();
      throw new Error(`sshd did not listen on ${port} within 10 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, user: userInfo().username, userKeyFile: join(dir, 'user_key'), hostKey, otherHostKey, dir, stop };
}
