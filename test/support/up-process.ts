import { type ChildProcess, spawn } from 'node:child_process';
import { cli } from './processes.ts';

export interface UpProcess {
  child: ChildProcess;
  hubUrl: string;
  /** name → { url, pid } from the summary `up` prints. */
  servers: Map<string, { url: string; pid: number }>;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
  /** SIGKILL to the process group, for cleanup after a failure. */
  kill(): void;
}

/** Starts `switchboard up <args>` in `cwd` and resolves once it has printed where everything listens. */
export function startUp(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, waitMs = 120_000): Promise<UpProcess> {
  const child = spawn(process.execPath, [cli, 'up', ...args], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`switchboard up did not print its summary within ${waitMs} ms:\n${out}\n${err}`));
    }, waitMs);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`switchboard up exited with ${code}:\n${out}\n${err}`));
    });
    const poll = setInterval(() => {
      if (!out.includes('Ctrl-C stops them all.')) return;
      clearInterval(poll);
      clearTimeout(timer);
      const servers = new Map<string, { url: string; pid: number }>();
      let hubUrl = '';
      for (const match of out.matchAll(/^ {2}(\S+)\s+(http:\/\/\S+)\s+pid (\d+)/gm)) {
        const [, name = '', url = '', pid = '0'] = match;
        if (name === 'hub') hubUrl = url;
        else servers.set(name, { url, pid: Number(pid) });
      }
      resolve({ child, hubUrl, servers, stdout: () => out, stderr: () => err, exit, kill });
    }, 50);
  });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
