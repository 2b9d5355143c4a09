import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type BenchFigure, percentile } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');

/** Starts a program that logs `"url":"…","msg":"listening"` and returns that URL. */
async function startListening(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not start:\n${log.slice(-2000)}`));
    }, 120_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk).slice(-20_000);
      const found = /"url":"(http:[^"]+)","msg":"listening"/.exec(log);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}):\n${log.slice(-2000)}`)));
  });
  return { child, url };
}

async function connectClients(url: string, n: number): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const client = new Client({ name: `load-${i}`, version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      return client;
    }),
  );
}

interface Phase {
  latencies: number[];
  errors: number;
  seconds: number;
}

/** Every client calls `tool` back to back for `seconds`; latencies of all calls, and failures. */
async function load(clients: Client[], tool: string, seconds: number): Promise<Phase> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const result = await client.callTool({ name: tool, arguments: { text: 'ping' } });
          if (result.isError) errors++;
          else latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

/** CPU time a process has used so far, in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

function merge(phases: Phase[]): Phase {
  return {
    latencies: phases.flatMap((p) => p.latencies),
    errors: phases.reduce((sum, p) => sum + p.errors, 0),
    seconds: phases.reduce((sum, p) => sum + p.seconds, 0),
  };
}

/**
 * Load through the hub vs. straight to the upstream: N concurrent MCP clients (2025-era sessions)
 * over Streamable HTTP call a cheap tool back to back — `echo` on a minimal sessionful upstream
 * (bench/echo-upstream.ts), so the figure shows the hub's own cost rather than a server's. The hub
 * (auth: none, in-memory audit; every call still goes through policy, quota, audit, breaker,
 * metrics and a pino log line) fronts that same program twice: the HTTP process the direct clients
 * use, and a copy it runs over stdio, the usual way to host a local server. Phases alternate so
 * machine noise hits every side; a figure fails if any call errs.
 */
export async function run(): Promise<BenchFigure[]> {
  const clientsPerSide = Number(process.env.BENCH_CLIENTS ?? 16);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const dir = mkdtempSync(join(tmpdir(), 'sb-load-'));
  const upstream = await startListening(['--import', 'tsx', join(import.meta.dirname, 'echo-upstream.ts')]);
  let hub: { child: ChildProcess; url: string } | undefined;
  try {
    const config = join(dir, 'switchboard.yaml');
    writeFileSync(
      config,
      `hub:\n  name: load\n  http: { host: 127.0.0.1, port: 0 }\n  dataDir: ${dir}\nauth: none\naudit: { store: ${process.env.BENCH_AUDIT ?? 'memory'} }\nupstreams:\n  echo:\n    url: ${upstream.url}\n    healthIntervalMs: 0\n  local:\n    command: ${process.execPath}\n    args: [--import, tsx, ${join(import.meta.dirname, 'echo-upstream.ts')}, --stdio]\n    cwd: ${root}\n    healthIntervalMs: 0\n`,
    );
    hub = await startListening([cli, 'serve', '--http', '--config', config]);
    const direct = await connectClients(upstream.url, clientsPerSide);
    const viaHub = await connectClients(hub.url, clientsPerSide);
    await load(direct, 'echo', 1);
    await load(viaHub, 'echo__echo', 1);
    await load(viaHub, 'local__echo', 1);
    const directPhases: Phase[] = [];
    const hubPhases: Phase[] = [];
    const stdioPhases: Phase[] = [];
    // CPU each process spends per hub call: what the hub adds on top of the upstream's own work.
    const cpu = { hub: 0, upstream: 0 };
    for (let round = 0; round < rounds; round++) {
      directPhases.push(await load(direct, 'echo', seconds));
      const before = { hub: cpuMs(hub.child.pid), upstream: cpuMs(upstream.child.pid) };
      hubPhases.push(await load(viaHub, 'echo__echo', seconds));
      cpu.hub += cpuMs(hub.child.pid) - before.hub;
      cpu.upstream += cpuMs(upstream.child.pid) - before.upstream;
      stdioPhases.push(await load(viaHub, 'local__echo', seconds));
    }
    await Promise.allSettled([...direct, ...viaHub].map((c) => c.close()));
    const d = merge(directPhases);
    const h = merge(hubPhases);
    const l = merge(stdioPhases);
    if (d.errors + h.errors + l.errors > 0)
      throw new Error(`load bench: ${d.errors} direct, ${h.errors} hub (HTTP) and ${l.errors} hub (stdio) calls failed`);
    const directRate = d.latencies.length / d.seconds;
    const hubRate = h.latencies.length / h.seconds;
    const stdioRate = l.latencies.length / l.seconds;
    const viaHttp: BenchFigure = {
      name: `load (${clientsPerSide} concurrent clients, Streamable HTTP, echo upstream)`,
      ratioOf: 'hub calls/s / direct calls/s',
      ratio: hubRate / directRate,
      figures: {
        directCallsPerSec: directRate,
        hubCallsPerSec: hubRate,
        directP50Ms: percentile(d.latencies, 50),
        hubP50Ms: percentile(h.latencies, 50),
        directP99Ms: percentile(d.latencies, 99),
        hubP99Ms: percentile(h.latencies, 99),
        hubCpuMsPerCall: cpu.hub / h.latencies.length,
        upstreamCpuMsPerCall: cpu.upstream / h.latencies.length,
        calls: d.latencies.length + h.latencies.length,
        errors: d.errors + h.errors,
      },
    };
    const viaStdio: BenchFigure = {
      name: `load (${clientsPerSide} concurrent clients, Streamable HTTP; the hub runs the echo server over stdio)`,
      ratioOf: 'hub calls/s / direct calls/s',
      ratio: stdioRate / directRate,
      figures: {
        directCallsPerSec: directRate,
        hubCallsPerSec: stdioRate,
        directP50Ms: percentile(d.latencies, 50),
        hubP50Ms: percentile(l.latencies, 50),
        directP99Ms: percentile(d.latencies, 99),
        hubP99Ms: percentile(l.latencies, 99),
        calls: l.latencies.length,
        errors: l.errors,
      },
    };
    return [viaHttp, viaStdio];
  } finally {
    hub?.child.kill('SIGTERM');
    upstream.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
