import type { S3Backend } from './backend.ts';
import type { S3Config } from './config.ts';

/** What every tool receives: no module globals, one set per server. */
export interface S3Deps {
  backend: S3Backend;
  config: S3Config;
  scope: string;
}
