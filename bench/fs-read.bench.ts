import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { type BenchFigure, median, percentile } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');
const reference = join(root, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js');
const env = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' };

async function connect(command: string, args: string[]): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command, args, cwd: root, env, stderr: 'ignore' }));
  return client;
}

async function timed(client: Client, name: string, path: string, size: number): Promise<number> {
  const started = performance.now();
  const result = await client.callTool({ name, arguments: { path } });
  const elapsed = performance.now() - started;
  const content = (result.structuredContent as { content?: string } | undefined)?.content;
  if (result.isError || content?.length !== size) throw new Error(`${name} failed during the benchmark`);
  return elapsed;
}

/**
 * `fs__read_file` (our server: confinement, verified directory fds, O_NOFOLLOW, size cap) vs. the
 * reference server's `read_text_file` on the same file, both on the disk over stdio, sequential.
 */
export async function run(calls = Number(process.env.BENCH_CALLS ?? 500)): Promise<BenchFigure[]> {
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'sb-bench-fs-')));
  const ours = await connect(process.execPath, [cli, 'server', 'fs', '--root', work]);
  const theirs = await connect(process.execPath, [reference, work]);
  const figures: BenchFigure[] = [];
  try {
    for (const size of [4 * 1024, 1024 * 1024]) {
      const path = join(work, `file-${size}.txt`);
      writeFileSync(path, 'x'.repeat(size));
      for (let i = 0; i < 20; i++) {
        await timed(ours, 'read_file', path, size);
        await timed(theirs, 'read_text_file', path, size);
      }
      const oursMs: number[] = [];
      const theirsMs: number[] = [];
      const n = size > 64 * 1024 ? Math.max(50, Math.floor(calls / 5)) : calls;
      for (let done = 0; done < n; done += 25) {
        for (let i = 0; i < 25; i++) theirsMs.push(await timed(theirs, 'read_text_file', path, size));
        for (let i = 0; i < 25; i++) oursMs.push(await timed(ours, 'read_file', path, size));
      }
      figures.push({
        name: `fs read_file ${size >= 1024 * 1024 ? '1 MiB' : '4 KiB'} (disk, stdio, sequential)`,
        ratioOf: 'ours median / reference median',
        ratio: median(oursMs) / median(theirsMs),
        figures: {
          calls: oursMs.length,
          referenceMedianMs: median(theirsMs),
          oursMedianMs: median(oursMs),
          referenceP99Ms: percentile(theirsMs, 99),
          oursP99Ms: percentile(oursMs, 99),
        },
      });
    }
    return figures;
  } finally {
    await Promise.allSettled([ours.close(), theirs.close()]);
    rmSync(work, { recursive: true, force: true });
  }
}
