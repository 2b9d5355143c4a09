// A pg "submittable" that sends several extended-protocol steps under one Sync: one round trip for
// what would otherwise be one per statement. PostgreSQL answers each step in order and, after an
// error, discards every later message until the Sync, so a step never runs after one that failed
// (the planner gate relies on that). Rows arrive as raw text; the caller parses them.

/** What a submittable receives from pg's client (the subset used here). */
interface WireConnection {
  parse(query: { text: string }): void;
  bind(config: { values?: (string | null)[] }): void;
  describe(config: { type: 'P'; name: string }): void;
  execute(config: { rows?: number }): void;
  sync(): void;
  stream: { cork?: () => void; uncork?: () => void };
}

export interface BatchStep {
  /** Parsed, bound and executed (unnamed statement and portal). */
  text: string;
  values?: (string | null)[];
  /** Ask for the column descriptions (needed to parse the rows). */
  describe?: boolean;
  /** At most this many rows (0 = all); the portal is then suspended, and closed by the Sync or the transaction's end. */
  maxRows?: number;
  /** Stop keeping rows once their text passes this many characters (memory bound); later rows are counted as dropped. */
  maxBytes?: number;
}

export interface WireField {
  name: string;
  dataTypeID: number;
}

export interface StepResult {
  fields: WireField[];
  rows: (string | null)[][];
  /** The command tag (SELECT, INSERT, …) once the step completed. */
  command?: string;
  rowCount?: number;
  /** True when maxRows stopped it and more rows may follow. */
  suspended: boolean;
  /** True when rows arrived past the step's maxBytes and were not kept. */
  dropped: boolean;
}

/** A database error, with the index of the step that raised it. */
export type BatchError = Error & { code?: string; step?: number };

export class WireBatch {
  readonly done: Promise<StepResult[]>;
  callback: undefined;
  private settle!: { resolve: (results: StepResult[]) => void; reject: (error: BatchError) => void };
  private readonly results: StepResult[] = [];
  private current: StepResult = fresh();
  private kept = 0;

  constructor(private readonly steps: readonly BatchStep[]) {
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  submit(connection: unknown): null {
    const wire = connection as WireConnection;
    wire.stream.cork?.();
    try {
      for (const step of this.steps) {
        wire.parse({ text: step.text });
        wire.bind({ values: step.values ?? [] });
        if (step.describe) wire.describe({ type: 'P', name: '' });
        wire.execute({ rows: step.maxRows ?? 0 });
      }
      wire.sync();
    } finally {
      wire.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(message: { fields: WireField[] }): void {
    this.current.fields = message.fields.map(({ name, dataTypeID }) => ({ name, dataTypeID }));
  }

  handleDataRow(message: { fields: (string | null)[] }): void {
    const budget = this.steps[this.results.length]?.maxBytes;
    if (budget !== undefined) {
      if (this.kept > budget) {
        this.current.dropped = true;
        return;
      }
      for (const field of message.fields) this.kept += (field?.length ?? 0) + 1;
    }
    this.current.rows.push(message.fields);
  }

  handleCommandComplete(message: { text: string }): void {
    const match = /^([A-Za-z]+)(?: (\d+))?(?: (\d+))?/.exec(message.text);
    this.current.command = match?.[1] ?? message.text;
    const count = match?.[3] ?? match?.[2];
    if (count !== undefined) this.current.rowCount = Number(count);
    this.next();
  }

  handlePortalSuspended(): void {
    this.current.suspended = true;
    this.next();
  }

  handleEmptyQuery(): void {
    this.next();
  }

  handleError(error: BatchError): void {
    error.step = this.results.length;
    this.settle.reject(error);
  }

  handleReadyForQuery(): void {
    if (this.results.length < this.steps.length) this.settle.reject(new Error('the batch ended before every step answered'));
    else this.settle.resolve(this.results);
  }

  /** COPY … FROM STDIN has no data to read here: refuse it rather than leave the server waiting. */
  handleCopyInResponse(connection: unknown): void {
    (connection as { sendCopyFail(message: string): void }).sendCopyFail('COPY FROM STDIN is not supported by this server');
  }

  handleCopyData(): void {}

  private next(): void {
    this.results.push(this.current);
    this.current = fresh();
    this.kept = 0;
  }
}

function fresh(): StepResult {
  return { fields: [], rows: [], suspended: false, dropped: false };
}
