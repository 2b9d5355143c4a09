import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';
import { Client, type ClientChannel, type SFTPWrapper } from 'ssh2';
import { errnoError, type FileAccess, type RunOutcome, type RunSpec, type ShellBackend } from './backend.ts';
import { CappedOutput } from './output.ts';
import type { HostConfig } from './policy.ts';
import { remoteCommand, shQuote } from './quote.ts';

/** OpenSSH's fingerprint of a raw public key blob: `SHA256:` + unpadded base64 of its SHA-256. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function samePrint(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** SFTP status codes as errno codes, so the confinement code treats both places alike. */
function sftpError(error: unknown, path: string): unknown {
  const code = (error as { code?: number | string }).code;
  if (code === 2) return errnoError('ENOENT', path);
  if (code === 3) return errnoError('EACCES', path);
  return error;
}

const call = <T>(path: string, body: (done: (error: Error | undefined | null, value?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => body((error, value) => (error ? reject(sftpError(error, path)) : resolve(value as T))));

/**
 * A named host over SSH. The host key must match the pinned fingerprint (no trust on first use).
 * Commands go as one POSIX-quoted line: `cd -- 'cwd' && exec /usr/bin/env -i 'K=V'… [timeout -s KILL N]
 * 'file' 'arg'…`, so the remote shell only ever sees quoted words. Files move over SFTP.
 */
export class SshBackend implements ShellBackend {
  readonly kind = 'ssh';
  readonly files: FileAccess;
  private sftpSession: Promise<SFTPWrapper> | undefined;
  private closed = false;
  /** Absolute path of GNU timeout on the host, found at connect; it kills the command's whole process group. */
  timeoutPath: string | undefined;

  private constructor(
    readonly name: string,
    private readonly client: Client,
  ) {
    client.on('close', () => {
      this.closed = true;
    });
    this.files = { readFile: (path, max) => this.readRemote(path, max), writeFile: (path, data) => this.writeRemote(path, data) };
  }

  get alive(): boolean {
    return !this.closed;
  }

  static async connect(name: string, host: HostConfig, env: NodeJS.ProcessEnv = process.env): Promise<SshBackend> {
    let privateKey: Buffer;
    try {
      privateKey = readFileSync(host.keyFile);
    } catch {
      throw new ToolError('INVALID_CONFIG', `host '${name}': keyFile cannot be read`, 'host');
    }
    const client = new Client();
    let seen: string | undefined;
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (error) => {
        if (seen !== undefined && !samePrint(seen, host.hostKey)) {
          reject(
            new ToolError(
              'ACL_DENIED',
              `host key of '${name}' (${host.host}:${host.port}) is ${seen}, not the pinned ${host.hostKey}; refusing to connect (if the host was re-keyed on purpose, update hostKey in the policy)`,
              'host',
            ),
          );
        } else
          reject(
            new ToolError('UPSTREAM_UNAVAILABLE', `cannot reach host '${name}' (${host.host}:${host.port}): ${error.message}`, 'host'),
          );
      });
      client.connect({
        host: host.host,
        port: host.port,
        username: host.user,
        privateKey,
        ...(host.passphraseEnv ? { passphrase: env[host.passphraseEnv] } : {}),
        readyTimeout: host.connectTimeoutMs,
        keepaliveInterval: 15_000,
        hostVerifier: (key: Buffer) => {
          seen = fingerprintOf(key);
          return samePrint(seen, host.hostKey);
        },
      });
    });
    const backend = new SshBackend(name, client);
    backend.timeoutPath = await backend.resolveExecutable('timeout');
    return backend;
  }

  async resolveExecutable(name: string): Promise<string | undefined> {
    return (await this.resolveExecutables([name]))[0];
  }

  /**
   * One round trip for the whole allowlist: each name searched on the host's PATH, one line each.
   * Not `command -v`: it answers shell builtins (echo, true, pwd) by name, and we need the file.
   */
  async resolveExecutables(names: readonly string[]): Promise<(string | undefined)[]> {
    const absolute = names.map((name) => (name.startsWith('/') ? name : undefined));
    const list = names.map((name) => shQuote(name)).join(' ');
    const script = `IFS=:; for n in ${list}; do f=; for d in $PATH; do if [ -f "$d/$n" ] && [ -x "$d/$n" ]; then f="$d/$n"; break; fi; done; printf '%s\\n' "$f"; done`;
    const { stdout } = await this.exec(script, 20_000);
    const lines = stdout.split('\n');
    return names.map((_, index) => absolute[index] ?? (lines[index]?.startsWith('/') ? lines[index] : undefined));
  }

  async realpath(path: string): Promise<string> {
    const sftp = await this.sftp();
    const real = await call<string>(path, (done) => sftp.realpath(path, done));
    // OpenSSH answers a missing last component too; the contract is ENOENT, as realpath(3).
    await call(path, (done) => sftp.lstat(real, done));
    return real;
  }

  async isDirectory(path: string): Promise<boolean> {
    const sftp = await this.sftp();
    return call<{ isDirectory(): boolean }>(path, (done) => sftp.stat(path, done)).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
  }

  async run(spec: RunSpec): Promise<RunOutcome> {
    const command = remoteCommand({
      cwd: spec.cwd,
      file: spec.file,
      args: spec.argv.slice(1),
      env: spec.env,
      ...(this.timeoutPath ? { timeout: { path: this.timeoutPath, seconds: spec.timeoutMs / 1000 } } : {}),
    });
    return this.exec(command, spec.timeoutMs, spec.maxOutputBytes, spec.stdin, spec.signal);
  }

  async close(): Promise<void> {
    this.client.end();
  }

  private exec(command: string, timeoutMs: number, maxOutputBytes = 1 << 20, stdin?: string, signal?: AbortSignal): Promise<RunOutcome> {
    const started = performance.now();
    const stdout = new CappedOutput(maxOutputBytes);
    const stderr = new CappedOutput(maxOutputBytes);
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel: ClientChannel) => {
        if (error) return reject(new ToolError('UPSTREAM_UNAVAILABLE', `host '${this.name}': ${error.message}`, 'host'));
        let fired = false;
        let exitCode: number | null = null;
        let exitSignal: string | null = null;
        const kill = () => {
          // Belt and braces: the remote `timeout` kills the process group; this ends the session.
          channel.signal('KILL');
          channel.close();
        };
        const timer = setTimeout(() => {
          fired = true;
          kill();
        }, timeoutMs + 1000);
        const onAbort = () => kill();
        signal?.addEventListener('abort', onAbort, { once: true });
        channel.on('data', (chunk: Buffer) => stdout.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        channel.on('exit', (code: number | null, name?: string) => {
          exitCode = typeof code === 'number' ? code : null;
          exitSignal = name ? (name.startsWith('SIG') ? name : `SIG${name}`) : null;
        });
        channel.on('close', () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
          const timedOut = fired || (exitSignal === 'SIGKILL' && durationMs >= timeoutMs - 100);
          resolve({
            exitCode,
            signal: exitSignal ?? (fired ? 'SIGKILL' : null),
            stdout: stdout.text(),
            stderr: stderr.text(),
            truncated: { stdout: stdout.truncated, stderr: stderr.truncated },
            timedOut,
            durationMs,
          });
        });
        channel.end(stdin ?? '');
      });
    });
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpSession ??= new Promise((resolve, reject) =>
      this.client.sftp((error, sftp) =>
        error ? reject(new ToolError('UPSTREAM_UNAVAILABLE', `host '${this.name}': SFTP: ${error.message}`, 'host')) : resolve(sftp),
      ),
    );
    return this.sftpSession;
  }

  private async readRemote(path: string, maxBytes: number): Promise<Uint8Array> {
    const sftp = await this.sftp();
    const stats = await call<{ isSymbolicLink(): boolean; isDirectory(): boolean; isFile(): boolean; size: number }>(path, (done) =>
      sftp.lstat(path, done),
    );
    if (stats.isSymbolicLink()) throw errnoError('ESYMLINK', path);
    if (stats.isDirectory()) throw errnoError('EISDIR', path);
    if (!stats.isFile()) throw errnoError('ENOTREG', path);
    if (stats.size > maxBytes) throw errnoError('EFBIG', path, { size: stats.size });
    const handle = await call<Buffer>(path, (done) => sftp.open(path, 'r', done));
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buffer = Buffer.alloc(Math.min(32 * 1024, maxBytes + 1 - total));
        const read = await call<number>(path, (done) =>
          sftp.read(handle, buffer, 0, buffer.length, total, (error, bytes) => done(error, bytes)),
        );
        if (!read) break;
        total += read;
        if (total > maxBytes) throw errnoError('EFBIG', path, { size: total });
        chunks.push(buffer.subarray(0, read));
      }
      return new Uint8Array(Buffer.concat(chunks, total));
    } finally {
      await call(path, (done) => sftp.close(handle, done)).catch(() => {});
    }
  }

  private async writeRemote(path: string, data: Uint8Array): Promise<void> {
    const sftp = await this.sftp();
    const existing = await call<{ isDirectory(): boolean }>(path, (done) => sftp.lstat(path, done)).catch(() => undefined);
    if (existing?.isDirectory()) throw errnoError('EISDIR', path);
    const temp = posix.join(posix.dirname(path), `.sb-${randomBytes(8).toString('hex')}.tmp`);
    // 'wx': O_CREAT|O_EXCL on the host, so a planted symlink at the temp name is never followed.
    const handle = await call<Buffer>(temp, (done) => sftp.open(temp, 'wx', { mode: 0o644 }, done));
    try {
      const buffer = Buffer.from(data);
      for (let offset = 0; offset < buffer.length; offset += 32 * 1024) {
        const length = Math.min(32 * 1024, buffer.length - offset);
        await call(temp, (done) => sftp.write(handle, buffer, offset, length, offset, done));
      }
      await call(temp, (done) => sftp.close(handle, done));
      // posix-rename@openssh.com replaces the target atomically (plain SFTP rename refuses to).
      await call(path, (done) => sftp.ext_openssh_rename(temp, path, done));
    } catch (error) {
      await call(temp, (done) => sftp.unlink(temp, done)).catch(() => {});
      throw error;
    }
  }
}
