import { execFile } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { type BenchFigure, median, percentile } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');
const execFileAsync = promisify(execFile);

/**
 * `shell__run` of `true` through the shell server (stdio, local backend: every check, a new process
 * group, the /proc sweep for strays) vs. `child_process.execFile('true')` in this process. Blocks
 * alternate so drift on a noisy machine hits both sides alike.
 */
export async function run(calls = Number(process.env.BENCH_CALLS ?? 300)): Promise<BenchFigure> {
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'sb-bench-shell-')));
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'server', 'shell', '--root', work, '--allow', 'true'],
      cwd: root,
      env: { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' },
      stderr: 'ignore',
    }),
  );
  const viaServer = async () => {
    const started = performance.now();
    const result = await client.callTool({ name: 'run', arguments: { argv: ['true'] } });
    const elapsed = performance.now() - started;
    if (result.isError || (result.structuredContent as { exitCode: number }).exitCode !== 0)
      throw new Error('run true failed during the benchmark');
    return elapsed;
  };
  const direct = async () => {
    const started = performance.now();
    await execFileAsync('/usr/bin/true', [], { cwd: work });
    return performance.now() - started;
  };
  try {
    for (let i = 0; i < 20; i++) {
      await viaServer();
      await direct();
    }
    const serverMs: number[] = [];
    const directMs: number[] = [];
    const block = 25;
    for (let done = 0; done < calls; done += block) {
      for (let i = 0; i < block; i++) directMs.push(await direct());
      for (let i = 0; i < block; i++) serverMs.push(await viaServer());
    }
    const serverMedian = median(serverMs);
    const directMedian = median(directMs);
    return {
      name: 'shell run `true` (stdio, sequential)',
      ratioOf: 'shell__run median / execFile median',
      ratio: serverMedian / directMedian,
      figures: {
        calls: serverMs.length,
        execFileMedianMs: directMedian,
        serverMedianMs: serverMedian,
        execFileP99Ms: percentile(directMs, 99),
        serverP99Ms: percentile(serverMs, 99),
        addedMedianMs: serverMedian - directMedian,
      },
    };
  } finally {
    await client.close();
    rmSync(work, { recursive: true, force: true });
  }
}
