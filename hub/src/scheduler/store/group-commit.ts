interface Job {
  write: boolean;
  fn: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Connection {
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
}

/**
 * One connection, one caller at a time, and group commit: write jobs queued together run in one
 * transaction, each inside its own savepoint (a job that throws rolls back only itself), and all are
 * answered after the one COMMIT. On a loaded machine the commit is most of a small transaction's cost.
 * Read jobs run between transactions.
 */
export class GroupCommit {
  private readonly queue: Job[] = [];
  private draining = false;

  constructor(
    private readonly db: Connection,
    private readonly maxBatch = 64,
  ) {}

  write<T>(fn: () => Promise<T>): Promise<T> {
    return this.enqueue(true, fn);
  }

  read<T>(fn: () => Promise<T>): Promise<T> {
    return this.enqueue(false, fn);
  }

  private enqueue<T>(write: boolean, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.draining) return;
      this.draining = true;
      // Start on a microtask, so everything queued in this turn joins the first batch.
      queueMicrotask(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const first = this.queue[0] as Job;
        if (!first.write) {
          this.queue.shift();
          await first.fn().then(first.resolve, first.reject);
          continue;
        }
        const batch: Job[] = [];
        while (batch.length < this.maxBatch && this.queue[0]?.write) batch.push(this.queue.shift() as Job);
        await this.commit(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: Job[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const job of batch) {
        this.db.exec('SAVEPOINT job');
        try {
          outcomes.push({ ok: true, value: await job.fn() });
          this.db.exec('RELEASE job');
        } catch (error) {
          this.db.exec('ROLLBACK TO job');
          this.db.exec('RELEASE job');
          outcomes.push({ ok: false, value: error });
        }
      }
      this.db.exec('COMMIT');
    } catch (error) {
      // BEGIN or COMMIT failed (busy database, full disk): nothing of this batch was stored.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i] as { ok: boolean; value: unknown };
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.value);
    });
  }
}
