import type { FsBackend } from './backend.ts';
import type { FsConfig } from './config.ts';
import type { Confinement } from './confine.ts';

/** What every tool receives: no module globals, one set per server. */
export interface FsDeps {
  backend: FsBackend;
  confinement: Confinement;
  config: FsConfig;
  scope: string;
}
