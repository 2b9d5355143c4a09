// A hub-like worker process for the crash-recovery tests: runs tasks from a shared store with an
// idempotent "record" tool whose side effect is a row in a results table keyed by task id.
// Usage: node --import tsx task-worker.ts '<json options>'
import type { CallToolResult } from '@modelcontextprotocol/client';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { PostgresTaskStore } from '../../src/scheduler/store/postgres-store.ts';
import { SqliteTaskStore } from '../../src/scheduler/store/sqlite-store.ts';
import type { TaskStore } from '../../src/scheduler/store/types.ts';

interface WorkerOptions {
  store: 'sqlite' | 'postgres';
  /** SQLite: the tasks file; Postgres: the URL. */
  location: string;
  schema?: string;
  /** SQLite: the results file (Postgres keeps results in the schema). */
  results?: string;
  name: string;
}

const options = JSON.parse(process.argv[2] as string) as WorkerOptions;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let store: TaskStore;
let recordOnce: (taskId: string, value: unknown) => Promise<boolean>;
if (options.store === 'sqlite') {
  store = new SqliteTaskStore(options.location);
  const db = new Database(options.results as string);
  db.pragma('busy_timeout = 10000');
  const execution = db.prepare('INSERT INTO executions (task_id, worker) VALUES (?, ?)');
  const result = db.prepare('INSERT INTO results (task_id, value) VALUES (?, ?) ON CONFLICT (task_id) DO NOTHING');
  recordOnce = async (taskId, value) => {
    execution.run(taskId, options.name);
    return result.run(taskId, JSON.stringify(value)).changes === 1;
  };
} else {
  store = await PostgresTaskStore.open({ url: options.location, schema: options.schema as string, poolSize: 4 });
  const pool = new pg.Pool({ connectionString: options.location, options: `-c search_path=${options.schema}`, max: 4 });
  recordOnce = async (taskId, value) => {
    await pool.query('INSERT INTO executions (task_id, worker) VALUES ($1, $2)', [taskId, options.name]);
    const inserted = await pool.query('INSERT INTO results (task_id, value) VALUES ($1, $2) ON CONFLICT (task_id) DO NOTHING', [
      taskId,
      JSON.stringify(value),
    ]);
    return inserted.rowCount === 1;
  };
}

const scheduler = new Scheduler({
  store,
  owner: options.name,
  workers: 2,
  concurrency: 4,
  leaseMs: 1500,
  pollMs: 100,
  sweepMs: 200,
  executor: async (target, input, context): Promise<CallToolResult> => {
    // A poison task: kills the worker process that runs it, every time (fault F8).
    if (target === 'test__crash') process.kill(process.pid, 'SIGKILL');
    if (target !== 'test__record') throw new Error(`unknown target ${target}`);
    // The side effect first, then the slow part: a kill in between leaves an effect without a stored result.
    const first = await recordOnce(context.taskId, input);
    await sleep(Number(input.ms ?? 0));
    return { content: [{ type: 'text', text: first ? 'recorded' : 'already recorded' }], structuredContent: { first } };
  },
  onError: (error, where) => process.stderr.write(`${options.name} ${where}: ${(error as Error).message}\n`),
});
scheduler.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => void scheduler.close().then(() => process.exit(0)));
