import { isAbsolute, resolve } from 'node:path';
import { type LoadedConfig, sqliteAuditFile } from '@switchboard/hub';

/** One embedded SQLite store of a config: its name in a backup, and its file. */
export interface SqliteStoreFile {
  name: string;
  file: string;
}

/**
 * The SQLite files a config keeps its state in: the task store, the audit log, and the store of every
 * rag upstream with an on-disk `--data` dir (or RAG_DATA). Postgres and memory stores are not files:
 * pg_dump backs up the former (docs/runbooks/restore-from-backup.md), the latter keep nothing.
 */
export function sqliteStores(loaded: LoadedConfig): SqliteStoreFile[] {
  const { config, baseDir } = loaded;
  const dataDir = resolve(baseDir, config.hub.dataDir);
  const stores: SqliteStoreFile[] = [];
  if (config.tasks.store === 'sqlite')
    stores.push({ name: 'tasks', file: isAbsolute(config.tasks.path) ? config.tasks.path : resolve(dataDir, config.tasks.path) });
  if (config.audit.store === 'sqlite') stores.push({ name: 'audit', file: sqliteAuditFile(config.audit, baseDir, config.hub.dataDir) });
  for (const [name, spec] of Object.entries(config.upstreams)) {
    if (!('server' in spec) || spec.server !== 'rag' || spec.args.includes('--mock')) continue;
    const flag = spec.args.indexOf('--data');
    const dir = flag >= 0 ? spec.args[flag + 1] : spec.env.RAG_DATA;
    if (dir !== undefined) stores.push({ name: `rag-${name}`, file: resolve(baseDir, spec.cwd ?? '.', dir, 'rag.sqlite') });
  }
  return stores;
}
