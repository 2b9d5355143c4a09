import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Redis } from 'ioredis';
import { type BenchFigure, median, percentile } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function connect(args: string[], env: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  const base = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent', ...env };
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [cli, ...args], cwd: root, env: base, stderr: 'ignore' }),
  );
  return client;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

/** Null when a Redis answers at `url`, else why the benchmark cannot run. */
async function unavailable(): Promise<string | null> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let cause: Error | undefined;
  probe.on('error', (error: Error) => {
    cause = error;
  });
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    return `no Redis at ${new URL(url).host} (${(cause ?? (error as Error)).message}); set REDIS_URL`;
  } finally {
    probe.disconnect();
  }
}

/**
 * Sequential GET latency of a 100-byte value on the real Redis: ioredis directly (the baseline),
 * the redis server's `get` over stdio, and `redis__get` through the hub (stdio → hub → stdio → server).
 * Blocks alternate so drift on a noisy machine hits every side alike.
 */
export async function run(calls = Number(process.env.BENCH_CALLS ?? 1000)): Promise<BenchFigure[]> {
  const reason = await unavailable();
  if (reason !== null) {
    process.stdout.write(`redis bench skipped: ${reason}\n`);
    return [];
  }
  const prefix = `sbbench:${randomBytes(6).toString('hex')}:`;
  const key = `${prefix}k`;
  const dir = mkdtempSync(join(tmpdir(), 'sb-redis-bench-'));
  const config = join(dir, 'switchboard.yaml');
  writeFileSync(
    config,
    `hub: { name: bench, dataDir: ${JSON.stringify(join(dir, 'data'))} }\nroles: ${JSON.stringify(join(root, 'roles'))}\nupstreams:\n  redis:\n    server: redis\n    args: [--prefix, ${JSON.stringify(prefix)}]\n    env: { REDIS_URL: ${JSON.stringify(url)} }\n`,
  );
  const redis = new Redis(url);
  await redis.set(key, 'v'.repeat(100));
  const server = await connect(['server', 'redis', '--prefix', prefix], { REDIS_URL: url });
  const hub = await connect(['serve', '--stdio', '--config', config]);
  const viaServer = async () => {
    const result = await server.callTool({ name: 'get', arguments: { key } });
    if (result.isError) throw new Error('get failed during the benchmark');
  };
  const viaHub = async () => {
    const result = await hub.callTool({ name: 'redis__get', arguments: { key } });
    if (result.isError) throw new Error('redis__get failed during the benchmark');
  };
  try {
    for (let i = 0; i < 100; i++) {
      await redis.get(key);
      await viaServer();
      await viaHub();
    }
    const direct: number[] = [];
    const served: number[] = [];
    const hubbed: number[] = [];
    const block = 50;
    for (let done = 0; done < calls; done += block) {
      for (let i = 0; i < block; i++) direct.push(await timed(() => redis.get(key)));
      for (let i = 0; i < block; i++) served.push(await timed(viaServer));
      for (let i = 0; i < block; i++) hubbed.push(await timed(viaHub));
    }
    const d = median(direct);
    const figures = { calls: direct.length, ioredisMedianMs: d, ioredisP99Ms: percentile(direct, 99) };
    return [
      {
        name: 'redis get (server over stdio vs ioredis, real Redis, sequential)',
        ratioOf: 'server median / ioredis median',
        ratio: median(served) / d,
        figures: { ...figures, serverMedianMs: median(served), serverP99Ms: percentile(served, 99) },
      },
      {
        name: 'redis__get (hub → server over stdio vs ioredis, real Redis, sequential)',
        ratioOf: 'hub median / ioredis median',
        ratio: median(hubbed) / d,
        figures: { ...figures, hubMedianMs: median(hubbed), hubP99Ms: percentile(hubbed, 99) },
      },
    ];
  } finally {
    await redis.del(key);
    redis.disconnect();
    await Promise.allSettled([server.close(), hub.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
