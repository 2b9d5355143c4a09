import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import PgBoss from 'pg-boss';
import { Scheduler } from '../hub/src/scheduler/scheduler.ts';
import { PostgresTaskStore } from '../hub/src/scheduler/store/postgres-store.ts';
import { SqliteTaskStore } from '../hub/src/scheduler/store/sqlite-store.ts';
import type { TaskStore } from '../hub/src/scheduler/store/types.ts';
import type { BenchFigure } from './stats.ts';

// No-op tasks from submit to succeeded: the Switchboard scheduler on SQLite and Postgres, beside pg-boss
// (Postgres) and BullMQ (Redis) doing the same no-op jobs, each with 1 and 4 workers, in this process.
// Every system gets jobs in bulk (100 per call) while its workers run, a batch of 32 per fetch, and
// the clock stops when the last job is recorded complete.

const TASKS = Number(process.env.BENCH_TASKS ?? 3000);
const BULK = 100;
const BATCH = 32;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const suffix = () => `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timeScheduler(store: TaskStore, workers: number): Promise<number> {
  const scheduler = new Scheduler({
    store,
    workers,
    concurrency: BATCH * workers,
    claimBatch: BATCH,
    pollMs: 50,
    executor: async () => ({ content: [] }),
  }).start();
  let done = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const started = performance.now();
  for (let sent = 0; sent < TASKS; sent += BULK) {
    const { task } = await scheduler.submit({
      batch: Array.from({ length: Math.min(BULK, TASKS - sent) }, (_, i) => ({ target: 'noop', input: { i } })),
    });
    scheduler.subscribe([task.id], (event) => {
      if (event.state === 'succeeded' && event.taskId !== task.id && ++done === TASKS) finish();
    });
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await scheduler.close();
  return TASKS / seconds;
}

async function sqlite(workers: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
  const store = new SqliteTaskStore(join(dir, 'tasks.db'));
  try {
    return await timeScheduler(store, workers);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(workers: number): Promise<number> {
  const store = await PostgresTaskStore.open({ url: DATABASE_URL, schema: `sb_bench_${suffix()}`, poolSize: workers * 2 + 2 });
  try {
    return await timeScheduler(store, workers);
  } finally {
    await store.dropSchema();
    await store.close();
  }
}

/** pg-boss at its fastest: a tight fetch → complete loop per worker (work() would wait ≥ 500 ms between fetches). */
async function pgBoss(workers: number): Promise<number> {
  const schema = `pgboss_bench_${suffix()}`;
  const boss = new PgBoss({ connectionString: DATABASE_URL, schema, max: workers * 2 + 2, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  const queue = 'noop';
  await boss.createQueue(queue);
  let done = 0;
  try {
    const started = performance.now();
    const loops = Array.from({ length: workers }, async () => {
      while (done < TASKS) {
        const jobs = await boss.fetch(queue, { batchSize: BATCH });
        if (jobs.length === 0) {
          await sleep(5);
          continue;
        }
        await boss.complete(
          queue,
          jobs.map((job) => job.id),
        );
        done += jobs.length;
      }
    });
    for (let sent = 0; sent < TASKS; sent += BULK)
      await boss.insert(Array.from({ length: Math.min(BULK, TASKS - sent) }, (_, i) => ({ name: queue, data: { i } })));
    await Promise.all(loops);
    return TASKS / ((performance.now() - started) / 1000);
  } finally {
    await boss.stop({ graceful: false, wait: true });
    const { Client } = (await import('pg')).default;
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

async function bullmq(workers: number): Promise<number> {
  const connection = { host: REDIS_URL.hostname, port: Number(REDIS_URL.port || 6379), maxRetriesPerRequest: null };
  const name = `sb-bench-${suffix()}`;
  const queue = new Queue(name, { connection });
  let done = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const started = performance.now();
  const pool = Array.from({ length: workers }, () => {
    const worker = new Worker(name, async () => null, { connection, concurrency: BATCH, removeOnComplete: { count: 0 } });
    worker.on('completed', () => {
      if (++done === TASKS) finish();
    });
    return worker;
  });
  try {
    for (let sent = 0; sent < TASKS; sent += BULK)
      await queue.addBulk(Array.from({ length: Math.min(BULK, TASKS - sent) }, (_, i) => ({ name: 'noop', data: { i } })));
    await finished;
    return TASKS / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(pool.map((worker) => worker.close()));
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** `BENCH_SYSTEMS=postgres,pgBoss` runs only those (a pair's figure needs both of its systems). */
const SYSTEMS = new Set((process.env.BENCH_SYSTEMS ?? 'sqlite,postgres,pgBoss,bullmq').split(',').map((s) => s.trim()));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * Rounds interleave the four systems (this machine is shared and noisy: drift hits all alike) and
 * each figure is the median of its rounds.
 */
export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const workers of [1, 4]) {
    const samples = { sqlite: [] as number[], postgres: [] as number[], pgBoss: [] as number[], bullmq: [] as number[] };
    const systems = { sqlite, postgres, pgBoss, bullmq };
    for (let round = 0; round < ROUNDS; round++)
      for (const [name, measure] of Object.entries(systems))
        if (SYSTEMS.has(name)) samples[name as keyof typeof samples].push(await measure(workers));
    const rates = {
      sqlite: median(samples.sqlite),
      postgres: median(samples.postgres),
      pgBoss: median(samples.pgBoss),
      bullmq: median(samples.bullmq),
    };
    const round = (n: number) => Math.round(n);
    const label = `${workers} worker${workers > 1 ? 's' : ''}, ${TASKS} tasks, median of ${ROUNDS}`;
    if (SYSTEMS.has('postgres') && SYSTEMS.has('pgBoss'))
      figures.push({
        name: `scheduler no-op tasks/s on Postgres, ${label}`,
        ratioOf: 'switchboard-postgres / pg-boss',
        ratio: rates.postgres / rates.pgBoss,
        figures: { switchboardPostgres: round(rates.postgres), pgBoss: round(rates.pgBoss) },
      });
    if (!SYSTEMS.has('sqlite') || !SYSTEMS.has('bullmq')) continue;
    figures.push({
      name: `scheduler no-op tasks/s vs BullMQ (Redis), ${label}`,
      ratioOf: 'switchboard-sqlite / bullmq',
      ratio: rates.sqlite / rates.bullmq,
      figures: {
        switchboardSqlite: round(rates.sqlite),
        bullmq: round(rates.bullmq),
        ...(SYSTEMS.has('postgres')
          ? { switchboardPostgres: round(rates.postgres), postgresOverBullmq: (rates.postgres / rates.bullmq).toFixed(2) }
          : {}),
      },
    });
  }
  return figures;
}

export { bullmq, pgBoss, postgres, sqlite };
