import type { QueueBackend } from './backend.ts';
import type { QueueConfig } from './config.ts';

/** What every tool receives: no module globals, one set per server. */
export interface QueueDeps {
  backend: QueueBackend;
  config: QueueConfig;
  scope: string;
}
