import type { SqlParam } from './backend.ts';

/** What a pg submittable receives from the client (the subset this one needs). */
interface WireConnection {
  parse(query: { text: string; name?: string }): void;
  bind(config: { portal?: string; statement?: string; values?: (string | null)[] }): void;
  execute(config: { portal?: string; rows?: number }): void;
  sync(): void;
  stream: { cork?: () => void; uncork?: () => void };
}

export interface OpeningRequest {
  readOnly: boolean;
  timeoutMs: number;
  /** When given, `EXPLAIN (VERBOSE, FORMAT JSON)` of this statement runs last in the batch. */
  explain?: { sql: string; params: readonly SqlParam[] };
}

/**
 * Opens a call's transaction in one round trip: BEGIN [READ ONLY], the statement timeout (set with
 * set_config(), a SELECT, so the transaction also has its snapshot and `SET TRANSACTION READ WRITE`
 * can no longer take effect), and optionally the planner gate, as extended-protocol messages under
 * one Sync. PostgreSQL discards everything after a failing message until the Sync, so a refusal
 * stops the batch, and the caller's statement is only ever an argument of EXPLAIN here.
 * A pg "submittable": `client.query(new OpenTransaction(…))`, then await `.done`.
 */
export class OpenTransaction {
  readonly done: Promise<{ plan?: unknown[] }>;
  callback: undefined;
  private settle!: { resolve: (value: { plan?: unknown[] }) => void; reject: (error: Error) => void };
  private completed = 0;
  private planText: string | undefined;

  constructor(private readonly request: OpeningRequest) {
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  submit(connection: unknown): null {
    const wire = connection as unknown as WireConnection;
    const { readOnly, timeoutMs, explain } = this.request;
    wire.stream.cork?.();
    try {
      for (const [text, values] of [
        [readOnly ? 'BEGIN READ ONLY' : 'BEGIN', []],
        ["SELECT set_config('statement_timeout', $1, true)", [String(timeoutMs)]],
        ...(explain === undefined ? [] : [[`EXPLAIN (VERBOSE, FORMAT JSON)\n${explain.sql}`, explain.params.map(wireValue)]]),
      ] as [string, (string | null)[]][]) {
        wire.parse({ text });
        wire.bind({ values });
        wire.execute({ rows: 0 });
      }
      wire.sync();
    } finally {
      wire.stream.uncork?.();
    }
    return null;
  }

  handleDataRow(message: { fields: (string | null)[] }): void {
    if (this.completed === 2) this.planText = message.fields[0] ?? undefined; // the EXPLAIN's one row
  }

  handleCommandComplete(): void {
    this.completed++;
  }

  handleError(error: Error): void {
    this.settle.reject(error);
  }

  handleReadyForQuery(): void {
    const expected = this.request.explain === undefined ? 2 : 3;
    if (this.completed < expected) {
      this.settle.reject(new Error('the transaction batch ended early'));
      return;
    }
    try {
      this.settle.resolve(this.planText === undefined ? {} : { plan: JSON.parse(this.planText) as unknown[] });
    } catch (error) {
      this.settle.reject(error as Error);
    }
  }

  handleRowDescription(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}

/** Parameters as the text protocol sends them; the values are never part of the SQL text. */
function wireValue(value: SqlParam): string | null {
  return value === null ? null : String(value);
}
