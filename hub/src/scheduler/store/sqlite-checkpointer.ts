import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Moves SQLite's WAL checkpoints off the event loop. better-sqlite3 is synchronous, so with automatic
 * checkpoints every ~1000th commit stops the hub's only thread to copy pages back into the database
 * and sync it (measured: ~12 % of the scheduler's throughput with 4 workers). Here the store's own
 * connection leaves automatic checkpoints to a backstop (a WAL of BACKSTOP_PAGES, should this thread fall
 * behind) and a worker thread, on a connection of its own, runs a PASSIVE checkpoint (never blocks the
 * writer) every `everyMs`. If that thread fails or exits, the store's connection takes checkpoints back
 * (`onLost`).
 */
/** The store connection's own checkpoint threshold while the thread runs: 64 MiB of 4 KiB pages. */
export const BACKSTOP_PAGES = 16384;
const STOP_GRACE_MS = 2000;

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  /** Checkpoints the thread has finished (tests watch it). */
  done = 0;

  constructor(file: string, everyMs: number, onLost: (error: unknown) => void) {
    // execArgv []: plain JS needs no loader; a worker would otherwise start the hub's own (`--import tsx`).
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { file, everyMs, module: betterSqlite } });
    this.worker.unref();
    this.worker.on('message', () => {
      this.done++;
    });
    const lost = (error: unknown) => {
      if (this.stopped) return;
      this.stopped = true;
      onLost(error);
    };
    this.worker.on('error', lost);
    this.worker.on('exit', (code) => lost(new Error(`checkpoint thread exited (${code})`)));
  }

  /** Ends the thread and closes its connection, so the store's own close is the last and cleans the WAL up. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.ref(); // unref'd while it runs so it never keeps the hub alive, but this wait must
    this.worker.postMessage('stop');
    // A thread stuck in a checkpoint must not hold the hub's shutdown: after a grace period it is ended.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_GRACE_MS);
    });
    if ((await Promise.race([exited, late])) === 'late') await this.worker.terminate();
    clearTimeout(timer);
  }
}

// Plain JS (eval'd): a worker thread does not get the tsx loader the hub runs under.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 10000');
// After a checkpoint that lets the WAL restart, its file shrinks back to this (else it keeps its peak size).
db.pragma('journal_size_limit = 67108864');
const timer = setInterval(() => {
  db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage('checkpoint');
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
