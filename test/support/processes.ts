import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const cli = join(repoRoot, 'bin', 'switchboard.mjs');

export interface Started {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `switchboard <args>` and resolves with the URL from its `listening` log line. Rejects with
 * the child's stderr if it exits or stays silent for `waitMs`.
 */
export function startListening(args: string[], waitMs = 30_000, env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`switchboard ${args.join(' ')} did not listen within ${waitMs} ms:\n${err}`));
    }, waitMs);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      err += chunk;
      for (const line of chunk.split('\n')) {
        if (!line.includes('"listening"')) continue;
        try {
          const url = JSON.parse(line).url as string | undefined;
          if (url) {
            clearTimeout(timer);
            resolve({ child, url, stderr: () => err, stop });
          }
        } catch {}
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`switchboard ${args.join(' ')} exited with ${code}:\n${err}`));
    });
  });
}

/** Runs `switchboard <args>` to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
