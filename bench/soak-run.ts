// The soak run shared by bench/soak.bench.ts (long) and test/soak.test.ts (short, in CI): `switchboard
// up` on config/switchboard.test.yaml (hub + every server on its mock backend, each its own process),
// a fixed number of mixed calls at steady concurrency (reads and bounded writes across every server,
// plus durable tasks), and per-process RSS and open file descriptors sampled from /proc after warm-up
// and at the end. Every call must succeed.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startUp } from '../test/support/up-process.ts';

const root = join(import.meta.dirname, '..');
const TOKEN = 'sb-test-admin-key-not-a-secret'; // config/switchboard.test.yaml's published test key

type Op = (i: number) => { tool: string; arguments: Record<string, unknown> } | { task: Record<string, unknown> };

/** Reads and writes over fixed key sets, so the backends' data stays the same size. */
const ops: Op[] = [
  (i) => ({ tool: 'fs__write_file', arguments: { path: `soak/f${i % 32}.txt`, content: `soak ${i}\n` } }),
  (i) => ({ tool: 'fs__read_file', arguments: { path: `soak/f${i % 32}.txt` } }),
  (i) => ({ tool: 'redis__set', arguments: { key: `app:soak:${i % 64}`, value: `v${i}` } }),
  (i) => ({ tool: 'redis__get', arguments: { key: `app:soak:${i % 64}` } }),
  () => ({ tool: 'sql__query', arguments: { sql: 'SELECT name, qty FROM items WHERE qty > $1 ORDER BY name', params: [1] } }),
  () => ({ tool: 'mongo__find', arguments: { collection: 'notes', filter: {}, limit: 5 } }),
  (i) => ({ tool: 's3__put_object', arguments: { bucket: 'docs', key: `soak/o${i % 16}.txt`, content: `object ${i}` } }),
  (i) => ({ tool: 's3__get_object', arguments: { bucket: 'docs', key: `soak/o${i % 16}.txt` } }),
  () => ({ tool: 'kafka__list_topics', arguments: {} }),
  () => ({ tool: 'queue__queue_stats', arguments: { queue: 'itest.soak' } }),
  () => ({ tool: 'rag__search', arguments: { collection: 'handbook', query: 'roll back a bad deploy', k: 2 } }),
  () => ({ tool: 'shell__run', arguments: { argv: ['git', 'status', '--short'] } }),
  (i) => ({ task: { target: 'fs__read_file', input: { path: `soak/f${i % 32}.txt` } } }),
];

export interface ProcessSample {
  rssMb: number;
  fds: number;
}

export interface SoakResult {
  calls: number;
  errors: number;
  firstErrors: string[];
  seconds: number;
  /** name → sample after warm-up, and at the end. */
  start: Record<string, ProcessSample>;
  end: Record<string, ProcessSample>;
}

function sample(pid: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return { rssMb: rssKb / 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}

export async function runSoak(options: { calls: number; warmup: number; concurrency: number }): Promise<SoakResult> {
  const cwd = mkdtempSync(join(tmpdir(), 'sb-soak-'));
  const up = await startUp(['--config', join(root, 'config/switchboard.test.yaml'), '--port', '0'], cwd, {
    LOG_LEVEL: 'warn',
    SWITCHBOARD_DATA_DIR: join(cwd, 'data'),
  });
  try {
    const pids: Record<string, number> = { hub: up.child.pid as number };
    for (const [name, server] of up.servers) pids[name] = server.pid;
    const base = up.hubUrl.replace(/\/mcp$/, '');
    const headers = { Authorization: `Bearer ${TOKEN}` };
    const client = new Client({ name: 'soak', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(up.hubUrl), { requestInit: { headers } }));
    const setup = async (name: string, args: Record<string, unknown>) => {
      const result = await client.callTool({ name, arguments: args });
      if (result.isError) throw new Error(`soak setup ${name}: ${JSON.stringify(result.content)}`);
    };
    await setup('rag__create_collection', { collection: 'handbook' });
    await setup('rag__index_path', { collection: 'handbook', path: '.', glob: '*.md' });
    await setup('queue__declare_queue', { queue: 'itest.soak' });
    // the fixed key sets exist before the first read of them
    for (let k = 0; k < 64; k++) {
      await client.callTool({ name: 'redis__set', arguments: { key: `app:soak:${k}`, value: 'v' } });
      if (k < 32) await client.callTool({ name: 'fs__write_file', arguments: { path: `soak/f${k}.txt`, content: 'soak\n' } });
      if (k < 16)
        await client.callTool({ name: 's3__put_object', arguments: { bucket: 'docs', key: `soak/o${k}.txt`, content: 'object' } });
    }

    let errors = 0;
    const firstErrors: string[] = [];
    const fail = (what: string) => {
      errors++;
      if (firstErrors.length < 5) firstErrors.push(what.slice(0, 300));
    };
    const call = async (i: number) => {
      const op = (ops[i % ops.length] as Op)(i);
      try {
        if ('task' in op) {
          const response = await fetch(`${base}/v1/tasks`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify(op.task),
          });
          if (response.status !== 201) fail(`POST /v1/tasks: ${response.status} ${await response.text()}`);
          else await response.arrayBuffer();
          return;
        }
        const result = await client.callTool({ name: op.tool, arguments: op.arguments });
        if (result.isError) fail(`${op.tool}: ${JSON.stringify(result.content)}`);
      } catch (error) {
        fail(`${'task' in op ? 'task' : op.tool}: ${(error as Error).message}`);
      }
    };
    const drive = async (from: number, to: number) => {
      let next = from;
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (next < to) await call(next++);
        }),
      );
    };

    await drive(0, options.warmup);
    global.gc?.();
    const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, sample(pid)]));
    const began = performance.now();
    await drive(options.warmup, options.warmup + options.calls);
    const seconds = (performance.now() - began) / 1000;
    // let queued tasks finish, so their sockets and timers are counted as closed, not open
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const end = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, sample(pid)]));
    await client.close();
    process.kill(up.child.pid as number, 'SIGTERM');
    const code = await up.exit;
    if (code !== 0) fail(`switchboard up exited with ${code}`);
    return { calls: options.calls, errors, firstErrors, seconds, start, end };
  } finally {
    up.kill();
    rmSync(cwd, { recursive: true, force: true });
  }
}
