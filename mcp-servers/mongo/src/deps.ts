import type { MongoBackend } from './backend.ts';
import type { MongoConfig } from './config.ts';
import type { MongoPolicy } from './guard.ts';

/** What every tool receives: no module globals, one set per server. */
export interface MongoDeps {
  backend: MongoBackend;
  config: MongoConfig;
  policy: MongoPolicy;
  scope: string;
}
