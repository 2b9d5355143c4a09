import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { delimiter, join, posix } from 'node:path';
import { errnoError, type FileAccess, type RunOutcome, type RunSpec, type ShellBackend } from './backend.ts';
import { CappedOutput } from './output.ts';
import { killGroup, killMarked, RUN_MARKER } from './process-sweep.ts';

/** How long stdout/stderr may stay open after the command exits (a leftover holding them) before we stop reading. */
const DRAIN_MS = 2000;

/**
 * This machine. Commands are spawned as argv (no shell), each in a new session and process group
 * (detached), with exactly the environment given. On timeout, cancellation and exit alike the whole
 * group gets SIGKILL and any process still carrying the run's marker is hunted down, so nothing a
 * command started outlives it.
 */
export function createLocalBackend(options: { searchPath?: string } = {}): ShellBackend {
  const searchPath = options.searchPath ?? process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  return {
    kind: 'local',
    async resolveExecutable(name) {
      if (name.startsWith('/')) return (await isExecutable(name)) ? name : undefined;
      for (const dir of searchPath.split(delimiter)) {
        // Relative PATH entries ('.', '') would make the answer depend on the cwd: never.
        if (!dir.startsWith('/')) continue;
        const candidate = join(dir, name);
        if (await isExecutable(candidate)) return candidate;
      }
      return undefined;
    },
    realpath: (path) => realpath(path),
    isDirectory: async (path) => (await stat(path).catch(() => undefined))?.isDirectory() ?? false,
    run: runLocal,
    files: localFiles,
    close: async () => {},
  };
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function runLocal(spec: RunSpec): Promise<RunOutcome> {
  const id = randomBytes(12).toString('hex');
  const started = performance.now();
  const stdout = new CappedOutput(spec.maxOutputBytes);
  const stderr = new CappedOutput(spec.maxOutputBytes);
  return new Promise((resolve, reject) => {
    const child = spawn(spec.file, spec.argv.slice(1), {
      argv0: spec.argv[0],
      cwd: spec.cwd,
      // The marker first: the sweep reads only the head of each process's environment.
      env: { [RUN_MARKER]: id, ...spec.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      shell: false,
      windowsHide: true,
    });
    let timedOut = false;
    let settled = false;
    const stop = () => {
      killGroup(child.pid);
      killMarked(id);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, spec.timeoutMs);
    const onAbort = () => stop();
    spec.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {}); // EPIPE: the command did not read its stdin, which is its right
    child.stdin.end(spec.stdin ?? '');
    child.once('error', (error) => {
      clearTimeout(timer);
      spec.signal.removeEventListener('abort', onAbort);
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
    child.once('exit', (exitCode, signal) => {
      clearTimeout(timer);
      spec.signal.removeEventListener('abort', onAbort);
      // The command is done; whatever it left in its process group goes with it, now.
      killGroup(child.pid);
      const finish = () => {
        child.stdout.destroy();
        child.stderr.destroy();
        if (settled) return;
        settled = true;
        resolve({
          exitCode,
          signal,
          stdout: stdout.text(),
          stderr: stderr.text(),
          truncated: { stdout: stdout.truncated, stderr: stderr.truncated },
          timedOut,
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        });
      };
      const drained = new Promise<void>((done) => {
        let open = (child.stdout.readableEnded ? 0 : 1) + (child.stderr.readableEnded ? 0 : 1);
        if (open === 0) return done();
        const closed = () => {
          if (--open === 0) done();
        };
        child.stdout.once('close', closed);
        child.stderr.once('close', closed);
      });
      const wait = (ms: number) => new Promise<'late'>((done) => setTimeout(() => done('late'), ms).unref());
      void (async () => {
        // Pipes still open shortly after the exit: a stray that left the group holds them. Sweep,
        // then give the pipes a moment to close before answering with what was read.
        if ((await Promise.race([drained.then(() => 'drained' as const), wait(100)])) === 'late') {
          killMarked(id);
          await Promise.race([drained, wait(DRAIN_MS)]);
          return finish();
        }
        finish();
        // Strays that closed their pipes (setsid daemons) are swept right after the answer: the
        // sweep reads every process's environment, which is most of a short command's cost.
        setImmediate(() => killMarked(id));
      })();
    });
  });
}

/** copy_to / copy_from on this machine's side: size-capped reads, temp + rename writes, no final-symlink following. */
const localFiles: FileAccess = {
  async readFile(path, maxBytes) {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
      (error: NodeJS.ErrnoException) => {
        throw error.code === 'ELOOP' ? errnoError('ESYMLINK', path) : error;
      },
    );
    try {
      const stats = await handle.stat();
      if (stats.isDirectory()) throw errnoError('EISDIR', path);
      if (!stats.isFile()) throw errnoError('ENOTREG', path);
      if (stats.size > maxBytes) throw errnoError('EFBIG', path, { size: stats.size });
      const data = await handle.readFile();
      if (data.byteLength > maxBytes) throw errnoError('EFBIG', path, { size: data.byteLength });
      return new Uint8Array(data);
    } finally {
      await handle.close();
    }
  },
  async writeFile(path, data) {
    const existing = await lstat(path).catch(() => undefined);
    if (existing?.isDirectory()) throw errnoError('EISDIR', path);
    const temp = posix.join(posix.dirname(path), `.sb-${randomBytes(8).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
      await handle.close();
      await rename(temp, path);
    } catch (error) {
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw error;
    }
  },
};
