// A pg "submittable" that sends several extended-protocol steps under one Sync: one round trip for
// what would otherwise be one per statement. PostgreSQL answers each step in order and, after an
// error, discards every later message until the Sync, so a step never runs after one that failed
// (the planner gate relies on that). Rows arrive as raw text; the caller parses them.

/** What a submittable receives from pg's client (the subset used here). */
interface WireConnection {
  parse(query: { text: string }): void;
  bind(config: { portal?: string; values?: (string | null)[] }): void;
  describe(config: { type: 'P'; name: string }): void;
  execute(config: { portal?: string; rows?: number }): void;
  sync(): void;
  stream: { cork?: () => void; uncork?: () => void };
}

export interface BatchStep {
  /** Parse, Bind and Execute this text; without it, Execute only, continuing `portal`. */
  text?: string;
  values?: (string | null)[];
  /** A named portal lives until the transaction ends, so later batches can fetch more from it. */
  portal?: string;
  /** Ask for the column descriptions (needed to parse the rows). */
  describe?: boolean;
  /** At most this many rows now (0 = all); the portal is then suspended. */
  maxRows?: number;
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
}

/** A database error, with the index of the step that raised it. */
export type BatchError = Error & { code?: string; step?: number };

export class WireBatch {
  readonly done: Promise<StepResult[]>;
  callback: undefined;
  private settle!: { resolve: (results: StepResult[]) => void; reject: (error: BatchError) => void };
  private readonly results: StepResult[] = [];
  private current: StepResult = fresh();

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
        const portal = step.portal ?? '';
        if (step.text !== undefined) {
          wire.parse({ text: step.text });
          wire.bind({ portal, values: step.values ?? [] });
          if (step.describe) wire.describe({ type: 'P', name: portal });
        }
        wire.execute({ portal, rows: step.maxRows ?? 0 });
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
  }
}

function fresh(): StepResult {
  return { fields: [], rows: [], suspended: false };
}
