import type { ShellConfig } from './config.ts';
import type { HostPool } from './hosts.ts';
import type { Limiter } from './limiter.ts';
import type { Place } from './place.ts';
import type { CommandRule } from './policy.ts';

/** What every tool receives: no module globals, one set per server. */
export interface ShellDeps {
  config: ShellConfig;
  /** This machine. */
  local: Place;
  hosts: HostPool;
  /** Argument rules by command name: built-ins, replaced by the policy's own. */
  rules: Readonly<Record<string, CommandRule>>;
  limiter: Limiter;
  /** The server's environment: only the policy's `pass` names are ever read from it. */
  serverEnv: NodeJS.ProcessEnv;
  scope: string;
  /** run_script's interpreter (absolute) and script directory (real path), when configured. */
  scripts?: { interpreter: string; dir: string };
}
