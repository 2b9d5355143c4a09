import type { RagConfig } from './config.ts';
import type { Confinement } from './confine.ts';
import type { RagEngine } from './engine/engine.ts';

/** What every tool receives: no module globals, one set per server. */
export interface RagDeps {
  engine: RagEngine;
  config: RagConfig;
  confinement: Confinement;
  scope: string;
}
