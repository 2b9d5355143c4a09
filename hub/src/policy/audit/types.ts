/**
 * How a call ended; `unfinished` is what a record says until the call ends (or forever, if the hub
 * died). `flagged` is not a call: an upstream's tool definition the hub flagged (tool-flags.ts).
 */
export type AuditOutcome = 'unfinished' | 'ok' | 'error' | 'denied' | 'rate_limited' | 'flagged';

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['unfinished', 'ok', 'error', 'denied', 'rate_limited', 'flagged'];

/** Written before the call runs. Arguments appear only as a digest and their names, never their values. */
export interface AuditStart {
  id: string;
  /** The hub process that wrote it: tells a crashed call from one still running elsewhere. */
  instance: string;
  startedAt: number;
  principal: string;
  role: string;
  onBehalfOf?: string;
  tool: string;
  argsDigest: string;
  argKeys: string[];
  correlationId: string;
  depth: number;
}

export interface AuditFinish {
  finishedAt: number;
  outcome: Exclude<AuditOutcome, 'unfinished'>;
  errorCode?: string;
  /** The policy rule or quota that refused the call. */
  rule?: string;
  durationMs: number;
  bytes?: number;
}

export type AuditRecord = AuditStart & Partial<Omit<AuditFinish, 'outcome'>> & { outcome: AuditOutcome };

export interface AuditQuery {
  principal?: string;
  role?: string;
  /** A tool glob: `fs__*`. */
  tool?: string;
  outcome?: AuditOutcome;
  correlationId?: string;
  since?: number;
  until?: number;
  /** Newest first; default 100. */
  limit?: number;
  /** Records to skip (pages; pin `until` so new records do not shift them). */
  offset?: number;
}

/**
 * Where audit records go. `begin` must be durable when it resolves: the hub runs the call only
 * after, so a hub killed mid-call leaves the record `unfinished`.
 */
export interface AuditStore {
  readonly kind: string;
  begin(start: AuditStart): Promise<void>;
  finish(id: string, finish: AuditFinish): Promise<void>;
  /** A call that never ran (denied, rate limited): start and end in one write. */
  record(start: AuditStart, finish: AuditFinish): Promise<void>;
  query(query: AuditQuery): Promise<AuditRecord[]>;
  close(): Promise<void>;
}
