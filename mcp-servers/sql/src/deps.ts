import type { SqlBackend } from './backend.ts';
import type { SqlConfig } from './config.ts';
import type { Allowlist } from './guard.ts';

/** What every tool receives: no module globals, one set per server. */
export interface SqlDeps {
  backend: SqlBackend;
  config: SqlConfig;
  allowlist: Allowlist;
  /** The scope and limits in words, for tool descriptions. */
  scope: string;
}
