import { MemorySessionStore } from './memory.ts';
import { PostgresSessionStore } from './postgres.ts';
import { RedisSessionStore } from './redis.ts';
import type { SessionStore } from './types.ts';

export { MemorySessionStore } from './memory.ts';
export { PostgresSessionStore } from './postgres.ts';
export { RedisSessionStore } from './redis.ts';
export type { SessionRecord, SessionStore } from './types.ts';

export interface SessionStoreConfig {
  store: 'memory' | 'redis' | 'postgres' | 'none';
  url?: string | undefined;
  keyPrefix: string;
  schema: string;
}

/** The configured store; undefined for `none` (the 2025 leg runs stateless). */
export async function openSessionStore(config: SessionStoreConfig | undefined): Promise<SessionStore | undefined> {
  switch (config?.store ?? 'memory') {
    case 'none':
      return undefined;
    case 'redis':
      return RedisSessionStore.open(config?.url as string, config?.keyPrefix ?? 'switchboard:mcp-session:');
    case 'postgres':
      return PostgresSessionStore.open(config?.url as string, config?.schema ?? 'switchboard');
    default:
      return new MemorySessionStore();
  }
}
