import type { KafkaBackend } from './backend.ts';
import type { KafkaConfig } from './config.ts';

/** What every tool receives: no module globals, one set per server. */
export interface KafkaDeps {
  backend: KafkaBackend;
  config: KafkaConfig;
  scope: string;
}
