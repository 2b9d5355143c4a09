/** Where a group stands on one partition when a consume starts: the next offset to read, and the end. */
export interface PartitionSpan {
  start: bigint;
  end: bigint;
}

/**
 * Gathers the records a group consumer receives until the batch is complete: `limit` records, or
 * (when records were ready at the start) every assigned partition read up to where its end was, or
 * (when nothing was ready) the first records to arrive. Records arrive per partition in offset order;
 * anything at or below an offset already taken is a re-delivery and skipped, so a batch never holds a
 * record twice. A new group assignment (a rebalance) starts over: the consumer re-reads from the
 * committed offsets, which have not moved.
 */
export class BatchCollector<R extends { partition: number; offset: string }> {
  private records: R[] = [];
  private readonly last = new Map<number, bigint>();
  private assigned: number[] = [];
  private closed = false;
  private finish = () => {};
  /** Resolves once the batch is complete (it may also never complete: the caller bounds the wait). */
  readonly complete: Promise<void>;

  constructor(
    private readonly limit: number,
    private readonly spans: ReadonlyMap<number, PartitionSpan>,
  ) {
    this.complete = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  /** Records that were waiting on the assigned partitions when the consume started. */
  get ready(): bigint {
    return this.assigned.reduce((sum, partition) => {
      const span = this.spans.get(partition);
      return span !== undefined && span.end > span.start ? sum + (span.end - span.start) : sum;
    }, 0n);
  }

  get full(): boolean {
    return this.records.length >= this.limit;
  }

  /** The partitions this member was given; drops what was gathered under an earlier assignment. */
  assign(partitions: readonly number[]): void {
    if (this.closed) return;
    this.assigned = [...partitions];
    this.records = [];
    this.last.clear();
  }

  /** Takes records in order until the batch is full; answers the offsets taken, for the consumer's position. */
  add(records: readonly R[]): string[] {
    const taken: string[] = [];
    for (const record of records) {
      if (this.closed || this.full) break;
      const offset = BigInt(record.offset);
      const last = this.last.get(record.partition);
      if (last !== undefined && offset <= last) continue;
      this.last.set(record.partition, offset);
      this.records.push(record);
      taken.push(record.offset);
    }
    if (this.isComplete()) this.finish();
    return taken;
  }

  /** Stops gathering; answers the batch in arrival order. */
  close(): R[] {
    this.closed = true;
    this.finish();
    return this.records;
  }

  private isComplete(): boolean {
    if (this.full) return true;
    if (this.records.length === 0) return false;
    if (this.ready === 0n) return true;
    return this.assigned.every((partition) => {
      const span = this.spans.get(partition);
      if (span === undefined || span.end <= span.start) return true;
      const last = this.last.get(partition);
      return last !== undefined && last + 1n >= span.end;
    });
  }
}
