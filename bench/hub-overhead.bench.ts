import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { type BenchFigure, median, percentile } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');
const env = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' };

async function connect(args: string[]): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [cli, ...args], cwd: root, env, stderr: 'ignore' }));
  return client;
}

async function timeCall(client: Client, name: string): Promise<number> {
  const started = performance.now();
  const result = await client.callTool({ name, arguments: { path: 'hello.txt' } });
  const elapsed = performance.now() - started;
  if (result.isError) throw new Error(`${name} failed during the benchmark`);
  return elapsed;
}

/**
 * Sequential `tools/call` latency of fs read_file through the hub vs. calling the fs server
 * directly, both over stdio, both on the mock backend. Blocks alternate so drift on a noisy
 * machine hits both sides alike.
 */
export async function run(calls = Number(process.env.BENCH_CALLS ?? 2000)): Promise<BenchFigure> {
  const direct = await connect(['server', 'fs', '--mock', '--root', '/srv/work', '--seed', 'cases/fixtures/work']);
  const hub = await connect(['serve', '--stdio', '--config', 'config/switchboard.test.yaml']);
  try {
    for (let i = 0; i < 100; i++) {
      await timeCall(direct, 'read_file');
      await timeCall(hub, 'fs__read_file');
    }
    const directMs: number[] = [];
    const hubMs: number[] = [];
    const block = 50;
    for (let done = 0; done < calls; done += block) {
      for (let i = 0; i < block; i++) directMs.push(await timeCall(direct, 'read_file'));
      for (let i = 0; i < block; i++) hubMs.push(await timeCall(hub, 'fs__read_file'));
    }
    const directMedian = median(directMs);
    const hubMedian = median(hubMs);
    return {
      name: 'hub-overhead (fs read_file, stdio, sequential)',
      ratioOf: 'hub median / direct median',
      ratio: hubMedian / directMedian,
      figures: {
        calls: directMs.length,
        directMedianMs: directMedian,
        hubMedianMs: hubMedian,
        directP99Ms: percentile(directMs, 99),
        hubP99Ms: percentile(hubMs, 99),
        addedMedianMs: hubMedian - directMedian,
      },
    };
  } finally {
    await Promise.allSettled([direct.close(), hub.close()]);
  }
}
