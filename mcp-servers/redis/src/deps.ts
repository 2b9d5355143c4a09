import type { RedisBackend } from './backend.ts';
import type { RedisConfig } from './config.ts';

/** What every tool receives: no module globals, one set per server. */
export interface RedisDeps {
  backend: RedisBackend;
  config: RedisConfig;
  scope: string;
}
