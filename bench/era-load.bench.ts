// The load benchmark per protocol era: the same `echo` tool called through the hub by 2025-era
// clients (SDK v1, one session each) and by 2026-07-28 clients (SDK v2, stateless requests), each
// beside the same clients calling a bare SDK server (bench/era-upstream.ts, the hub's upstream)
// directly. Reports calls/s and p50/p99 per side; halves alternate (direct, hub, direct, hub) so
// machine noise hits both. BENCH_ERA_LOAD="CALLSxCLIENTS" (default 4000x20). Any failed call fails it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startListening } from './load-run.ts';
import { type BenchFigure, percentile } from './stats.ts';

type Era = '2025' | '2026';
interface Caller {
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

async function connect(era: Era, url: string): Promise<Caller> {
  if (era === '2025') {
    const client = new V1Client({ name: 'era-load-2025', version: '1' });
    await client.connect(new V1Transport(new URL(url)));
    return client;
  }
  const client = new Client({ name: 'era-load-2026', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

interface Phase {
  latencies: number[];
  seconds: number;
}

/** The callers share `total` calls, each calling again as soon as it has its answer. */
async function callMany(callers: Caller[], tool: string, total: number): Promise<Phase> {
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    callers.map(async (caller) => {
      while (issued < total) {
        issued++;
        const t0 = performance.now();
        const result = (await caller.callTool({ name: tool, arguments: { text: 'ping' } })) as { isError?: boolean; content?: unknown };
        if (result.isError) throw new Error(`${tool} failed: ${JSON.stringify(result.content).slice(0, 300)}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

const sideOf = (phases: Phase[]) => {
  const latencies = phases.flatMap((p) => p.latencies);
  const seconds = phases.reduce((sum, p) => sum + p.seconds, 0);
  return { callsPerSec: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
};

export async function run(): Promise<BenchFigure[]> {
  const [calls = 4000, clients = 20] = (process.env.BENCH_ERA_LOAD ?? '4000x20').split('x').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'sb-era-load-'));
  const upstream = await startListening(['--import', 'tsx', join(import.meta.dirname, 'era-upstream.ts')]);
  const stopped: Promise<unknown>[] = [];
  try {
    const config = join(dir, 'switchboard.yaml');
    writeFileSync(
      config,
      `hub:\n  name: era-load\n  http: { host: 127.0.0.1, port: 0 }\n  dataDir: ${dir}\nauth: none\naudit: { store: memory }\nupstreams:\n  echo:\n    url: ${upstream.url}\n    healthIntervalMs: 0\n`,
    );
    const hub = await startListening([join(import.meta.dirname, '..', 'bin', 'switchboard.mjs'), 'serve', '--http', '--config', config]);
    stopped.push(new Promise((resolve) => hub.child.once('exit', resolve)));
    try {
      const figures: BenchFigure[] = [];
      for (const era of ['2025', '2026'] as const) {
        const direct = await Promise.all(Array.from({ length: clients }, () => connect(era, upstream.url)));
        const viaHub = await Promise.all(Array.from({ length: clients }, () => connect(era, hub.url)));
        try {
          await callMany(direct, 'echo', Math.min(500, calls));
          await callMany(viaHub, 'echo__echo', Math.min(500, calls));
          const half = Math.floor(calls / 2);
          const d1 = await callMany(direct, 'echo', half);
          const h1 = await callMany(viaHub, 'echo__echo', half);
          const d2 = await callMany(direct, 'echo', calls - half);
          const h2 = await callMany(viaHub, 'echo__echo', calls - half);
          const d = sideOf([d1, d2]);
          const h = sideOf([h1, h2]);
          figures.push({
            name: `load per era: ${era === '2025' ? '2025-11-25 sessions (SDK v1 clients)' : '2026-07-28 stateless requests (SDK v2 clients)'}, ${calls} calls, ${clients} clients`,
            ratioOf: 'hub calls/s / bare SDK server calls/s',
            ratio: h.callsPerSec / d.callsPerSec,
            figures: {
              bareCallsPerSec: d.callsPerSec,
              hubCallsPerSec: h.callsPerSec,
              bareP50Ms: d.p50Ms,
              hubP50Ms: h.p50Ms,
              bareP99Ms: d.p99Ms,
              hubP99Ms: h.p99Ms,
              errors: 0,
            },
          });
        } finally {
          await Promise.allSettled([...direct, ...viaHub].map((c) => c.close()));
        }
      }
      return figures;
    } finally {
      hub.child.kill('SIGTERM');
    }
  } finally {
    upstream.child.kill('SIGTERM');
    stopped.push(new Promise((resolve) => (upstream.child.exitCode !== null ? resolve(null) : upstream.child.once('exit', resolve))));
    await Promise.all(stopped);
    rmSync(dir, { recursive: true, force: true });
  }
}
