import type { ClientCapabilities, Implementation, LoggingLevel } from '@modelcontextprotocol/server';

/**
 * What another hub replica needs to serve a 2025-era session it did not open: who opened it, on
 * which endpoint (profile and `?tools=`), and the client's `initialize` (replayed there to rebuild
 * the session's server with the same capabilities), plus the log level it asked for since.
 */
export interface SessionRecord {
  id: string;
  /** The principal's token client id; only the same caller may use the session. */
  owner: string | undefined;
  /** The view key (profile and narrowing) the session was opened on. */
  view: string;
  /** Path and query of the endpoint it was opened on, e.g. `/mcp/desktop?tools=fs__*`. */
  endpoint: string;
  initialize: { protocolVersion: string; capabilities: ClientCapabilities; clientInfo: Implementation };
  logLevel?: LoggingLevel;
  createdAt: number;
}

/**
 * Where 2025-era sessions live. Memory serves one hub; Redis and Postgres let several replicas
 * behind a load balancer serve one session. Every record expires `ttlMs` after its last use.
 */
export interface SessionStore {
  /** `memory` | `redis` | `postgres`: for logs and the status page. */
  readonly kind: string;
  create(record: SessionRecord, ttlMs: number): Promise<void>;
  get(id: string): Promise<SessionRecord | undefined>;
  /** Extends the expiry; false when the session is gone (expired, or closed by another replica). */
  touch(id: string, ttlMs: number): Promise<boolean>;
  update(id: string, patch: Partial<Pick<SessionRecord, 'logLevel'>>): Promise<void>;
  delete(id: string): Promise<void>;
  close(): Promise<void>;
}
