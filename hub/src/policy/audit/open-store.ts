import { resolve } from 'node:path';
import type { AuditConfig } from '../../config/index.ts';
import { MemoryAuditStore } from './memory-store.ts';
import { PostgresAuditStore } from './postgres-store.ts';
import { SqliteAuditStore } from './sqlite-store.ts';
import type { AuditStore } from './types.ts';

/** Where the SQLite file lives: `audit.path`, else `<hub.dataDir>/audit.db`, relative to the config file. */
export function sqliteAuditFile(config: AuditConfig, baseDir: string, dataDir: string): string {
  return config.path !== undefined ? resolve(baseDir, config.path) : resolve(baseDir, dataDir, 'audit.db');
}

/** Opens the configured store (creating its file or table); fails naming what could not be opened. */
export async function openAuditStore(config: AuditConfig, baseDir: string, dataDir: string): Promise<AuditStore> {
  if (config.store === 'memory') return new MemoryAuditStore();
  if (config.store === 'postgres') return PostgresAuditStore.open(config.url as string, config.table);
  const file = sqliteAuditFile(config, baseDir, dataDir);
  try {
    return new SqliteAuditStore(file);
  } catch (error) {
    throw new Error(`audit store: cannot open SQLite file ${file}: ${(error as Error).message}`);
  }
}
