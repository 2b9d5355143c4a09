import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from '@switchboard/kit';

export interface ServerSpec {
  server: string;
  args: string[];
  cwd?: string | undefined;
  env: Record<string, string>;
}

/** One built-in server that `switchboard up` runs as its own process, over HTTP on loopback. */
export interface ManagedServer {
  name: string;
  url: string;
  /** The bearer token this server requires (fresh per run): only the hub is given it. */
  token: string;
  pid: () => number | undefined;
  restarts: () => number;
}

const START_TIMEOUT_MS = 90_000;

/**
 * Starts, restarts (with backoff) and stops the servers. Each runs in its own process group, so a
 * Ctrl-C in the terminal reaches only `up`, which drains the hub before it stops them; each also exits
 * when `up` dies, even by SIGKILL (its stdin closes: SWITCHBOARD_EXIT_WITH_STDIN).
 */
export class ServerSupervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(
    private readonly selfCommand: string[],
    private readonly baseDir: string,
    private readonly logger: Logger,
  ) {}

  /** Resolves once the server answers /health; rejects with its last output if it exits first. */
  async start(name: string, spec: ServerSpec): Promise<ManagedServer> {
    const token = randomBytes(24).toString('base64url');
    let restarts = 0;
    let first: ChildProcess | undefined;
    let port = 0;
    // A free port is picked here and handed to the server; another process may take it in between: try again.
    for (let attempt = 1; first === undefined; attempt++) {
      port = await freePort();
      try {
        first = await this.spawnOnce(name, spec, token, port);
      } catch (error) {
        if (attempt >= 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
      }
    }
    const url = `http://127.0.0.1:${port}/mcp`;
    const server: ManagedServer = { name, url, token, pid: () => this.children.get(name)?.pid, restarts: () => restarts };
    let delay = 500;
    const watch = (child: ChildProcess, since: number) => {
      child.once('exit', (code, signal) => {
        if (this.stopping) return;
        if (Date.now() - since > 60_000) delay = 500;
        this.logger.warn({ server: name, code, signal, retryInMs: delay }, 'server exited; restarting it');
        setTimeout(() => {
          if (this.stopping) return;
          this.spawnOnce(name, spec, token, port).then(
            (again) => {
              restarts++;
              watch(again, Date.now());
            },
            (error: Error) => this.logger.error({ server: name, err: error.message }, 'server restart failed'),
          );
          delay = Math.min(delay * 2, 30_000);
        }, delay).unref();
      });
    };
    watch(first, Date.now());
    return server;
  }

  private async spawnOnce(name: string, spec: ServerSpec, token: string, port: number): Promise<ChildProcess> {
    const [command, ...prefix] = this.selfCommand;
    const args = [...prefix, 'server', spec.server, ...spec.args, '--transport', 'http', '--host', '127.0.0.1', '--port', String(port)];
    const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, SWITCHBOARD_SERVER_TOKEN: token, SWITCHBOARD_EXIT_WITH_STDIN: '1' };
    delete env.SWITCHBOARD_SERVER_TOKEN_FILE;
    const child = spawn(command as string, args, {
      cwd: resolve(this.baseDir, spec.cwd ?? '.'),
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
      detached: true,
    });
    this.children.set(name, child);
    const tail: string[] = [];
    let buffered = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        process.stderr.write(`${line}\n`); // the server's own JSON log line, passed through
        tail.push(line);
        if (tail.length > 5) tail.shift();
      }
    });
    let exited: string | undefined;
    child.once('exit', (code, signal) => (exited = signal ?? `code ${code}`));
    child.once('error', (error) => (exited = error.message));
    const until = Date.now() + START_TIMEOUT_MS;
    while (!(await healthy(port))) {
      const why =
        exited !== undefined ? `exited (${exited}) before listening` : Date.now() > until ? 'did not answer /health in time' : undefined;
      if (why !== undefined) {
        child.kill('SIGKILL');
        throw new Error(`server '${name}' ${why}${tail.length ? `:\n${tail.join('\n')}` : ''}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    return child;
  }

  /** SIGTERM to every server, SIGKILL to any still running after `graceMs`. */
  async stopAll(graceMs = 5000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.children.values()].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}
