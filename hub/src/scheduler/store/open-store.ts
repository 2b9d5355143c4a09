import { isAbsolute, resolve } from 'node:path';
import { MemoryTaskStore } from './memory-store.ts';
import { PostgresTaskStore } from './postgres-store.ts';
import { SqliteTaskStore } from './sqlite-store.ts';
import type { TaskStore } from './types.ts';

export type StoreConfig =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path?: string }
  | { kind: 'postgres'; url: string; schema?: string; poolSize?: number };

/** Opens the configured store; a relative SQLite path resolves under the data directory. */
export async function openTaskStore(config: StoreConfig, dataDir: string): Promise<TaskStore> {
  if (config.kind === 'memory') return new MemoryTaskStore();
  if (config.kind === 'sqlite') {
    const path = config.path ?? 'tasks.db';
    return new SqliteTaskStore(path === ':memory:' || isAbsolute(path) ? path : resolve(dataDir, path));
  }
  return PostgresTaskStore.open(config);
}
