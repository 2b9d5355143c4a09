// The load run behind bench/load.bench.ts and its CI variant (test/load.test.ts): a fixed number of
// calls from N concurrent MCP clients (2025-era sessions over Streamable HTTP) to a cheap `echo`
// tool, once straight to the upstream (bench/echo-upstream.ts) and once through the hub fronting
// that same process, so the difference is the hub's own cost (policy, quota, audit, breaker,
// metrics, a log line per call). Halves alternate (direct, hub, direct, hub) so machine noise hits both.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { percentile } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');

/**
 * Starts a program that logs `"url":"…","msg":"listening"` and returns that URL. Its stderr goes to
 * a file, as a production log would, not into this process: reading the hub's log line per call here
 * would load the load generator with work the direct side does not have.
 */
export async function startListening(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const logDir = mkdtempSync(join(tmpdir(), 'sb-load-log-'));
  const logFile = join(logDir, 'stderr.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', fd],
  });
  closeSync(fd);
  child.once('exit', () => rmSync(logDir, { recursive: true, force: true }));
  const tail = () => readFileSync(logFile, 'utf8').slice(-2000);
  const url = await new Promise<string>((resolve, reject) => {
    const deadline = Date.now() + 120_000;
    const poll = setInterval(() => {
      const found = /"url":"(http:[^"]+)","msg":"listening"/.exec(readFileSync(logFile, 'utf8'));
      if (found?.[1]) {
        clearInterval(poll);
        resolve(found[1]);
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        child.kill('SIGKILL');
        reject(new Error(`${args.join(' ')} did not start:\n${tail()}`));
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`${args.join(' ')} exited (${code})`));
    });
  });
  return { child, url };
}

async function connectClients(url: string, n: number): Promise<Client[]> {
  const clients: Client[] = [];
  // In slices: 200 initialize requests at once would measure the handshake, not the calls.
  for (let i = 0; i < n; i += 25) {
    const slice = await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, async (_, j) => {
        const client = new Client({ name: `load-${i + j}`, version: '1' });
        await client.connect(new StreamableHTTPClientTransport(new URL(url)));
        return client;
      }),
    );
    clients.push(...slice);
  }
  return clients;
}

export interface Phase {
  latencies: number[];
  errors: number;
  firstError?: string;
  seconds: number;
}

/** The clients share `total` calls: each calls again as soon as its previous call is answered. */
async function callMany(clients: Client[], tool: string, total: number): Promise<Phase> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (issued < total) {
        issued++;
        const t0 = performance.now();
        try {
          const result = await client.callTool({ name: tool, arguments: { text: 'ping' } });
          if (result.isError) throw new Error(JSON.stringify(result.content).slice(0, 300));
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
        }
      }
    }),
  );
  return { latencies, errors, ...(firstError ? { firstError } : {}), seconds: (performance.now() - started) / 1000 };
}

function merge(a: Phase, b: Phase): Phase {
  const firstError = a.firstError ?? b.firstError;
  return {
    latencies: [...a.latencies, ...b.latencies],
    errors: a.errors + b.errors,
    ...(firstError ? { firstError } : {}),
    seconds: a.seconds + b.seconds,
  };
}

export interface SideFigures {
  calls: number;
  answered: number;
  errors: number;
  firstError?: string;
  callsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface ProfileResult {
  calls: number;
  clients: number;
  direct: SideFigures;
  hub: SideFigures;
  /** hub p95 − direct p95, ms. */
  overheadP95Ms: number;
  /** The hub's CPU time per call through it (ms), where /proc tells. */
  hubCpuMsPerCall?: number;
}

/** user + system CPU time of a process so far, in ms (Linux /proc; clock ticks are 10 ms). */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function figuresOf(phase: Phase, calls: number): SideFigures {
  return {
    calls,
    answered: phase.latencies.length + phase.errors,
    errors: phase.errors,
    ...(phase.firstError ? { firstError: phase.firstError } : {}),
    callsPerSec: phase.latencies.length / phase.seconds,
    p50Ms: percentile(phase.latencies, 50),
    p95Ms: percentile(phase.latencies, 95),
    p99Ms: percentile(phase.latencies, 99),
  };
}

export interface LoadStack {
  upstreamUrl: string;
  hubUrl: string;
  /** CPU time (ms) the hub process has used so far; undefined where /proc is missing. */
  hubCpuMs(): number | undefined;
  close(): Promise<void>;
}

/** The echo upstream over HTTP and a hub (auth none, in-memory audit) fronting it as `echo__echo`. */
export async function startLoadStack(): Promise<LoadStack> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-load-'));
  const upstream = await startListening(['--import', 'tsx', join(import.meta.dirname, 'echo-upstream.ts')]);
  let hub: { child: ChildProcess; url: string } | undefined;
  try {
    const config = join(dir, 'switchboard.yaml');
    writeFileSync(
      config,
      `hub:\n  name: load\n  http: { host: 127.0.0.1, port: 0 }\n  dataDir: ${dir}\nauth: none\naudit: { store: ${process.env.BENCH_AUDIT ?? 'memory'} }\nupstreams:\n  echo:\n    url: ${upstream.url}\n    healthIntervalMs: 0\n`,
    );
    // LOG_LEVEL info, as in production: the pino line per call is part of the hub's cost.
    hub = await startListening([cli, 'serve', '--http', '--config', config]);
  } catch (error) {
    upstream.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const started = hub;
  return {
    upstreamUrl: upstream.url,
    hubUrl: started.url,
    hubCpuMs: () => cpuMsOf(started.child.pid),
    async close() {
      const exited = (child: ChildProcess) =>
        child.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
      started.child.kill('SIGTERM');
      upstream.child.kill('SIGTERM');
      await Promise.all([exited(started.child), exited(upstream.child)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One profile: `calls` calls from `clients` concurrent clients, straight to the upstream and through the hub. */
export async function runProfile(stack: LoadStack, profile: { calls: number; clients: number }): Promise<ProfileResult> {
  const direct = await connectClients(stack.upstreamUrl, profile.clients);
  const viaHub = await connectClients(stack.hubUrl, profile.clients);
  try {
    // Ten calls per client at least: with 200 clients, 500 calls left the hub's first half still warming
    // up (its p95 60 ms above the second half's).
    const warmup = Math.min(profile.calls, Math.max(500, 10 * profile.clients));
    await callMany(direct, 'echo', warmup);
    await callMany(viaHub, 'echo__echo', warmup);
    const first = Math.floor(profile.calls / 2);
    const second = profile.calls - first;
    const d1 = await callMany(direct, 'echo', first);
    const cpu0 = stack.hubCpuMs();
    const h1 = await callMany(viaHub, 'echo__echo', first);
    const cpu1 = stack.hubCpuMs();
    const d2 = await callMany(direct, 'echo', second);
    const cpu2 = stack.hubCpuMs();
    const h2 = await callMany(viaHub, 'echo__echo', second);
    const cpu3 = stack.hubCpuMs();
    const d = figuresOf(merge(d1, d2), profile.calls);
    const h = figuresOf(merge(h1, h2), profile.calls);
    const hubCpu =
      cpu0 === undefined || cpu1 === undefined || cpu2 === undefined || cpu3 === undefined ? undefined : cpu1 - cpu0 + (cpu3 - cpu2);
    return {
      ...profile,
      direct: d,
      hub: h,
      overheadP95Ms: h.p95Ms - d.p95Ms,
      ...(hubCpu === undefined ? {} : { hubCpuMsPerCall: hubCpu / profile.calls }),
    };
  } finally {
    await Promise.allSettled([...direct, ...viaHub].map((c) => c.close()));
  }
}
