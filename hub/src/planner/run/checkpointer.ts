import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { type BaseCheckpointSaver, MemorySaver } from '@langchain/langgraph';
import type { PlannerConfig } from '../../config/index.ts';

export interface OpenCheckpointer {
  saver: BaseCheckpointSaver;
  /** Where, for logs and errors (never the password). */
  location: string;
  close(): Promise<void>;
}

/**
 * The run checkpoints: SQLite under hub.dataDir by default (one hub), Postgres when several hubs
 * share one task store (`planner.checkpoint.store: postgres`), memory for throwaway runs. The saver
 * packages load only for the store chosen.
 */
export async function openCheckpointer(config: PlannerConfig['checkpoint'], dataDir: string): Promise<OpenCheckpointer> {
  if (config.store === 'memory') return { saver: new MemorySaver(), location: 'memory', close: async () => {} };
  if (config.store === 'postgres') {
    const [{ PostgresSaver }, { default: pg }] = await Promise.all([import('@langchain/langgraph-checkpoint-postgres'), import('pg')]);
    const pool = new pg.Pool({ connectionString: config.url, max: 4 });
    pool.on('error', () => {}); // an idle client dropped by the server; the next query reconnects
    const saver = new PostgresSaver(pool, undefined, { schema: config.schema });
    try {
      await saver.setup();
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    const url = new URL(config.url as string);
    url.password = '';
    return { saver, location: `postgres ${url.host}${url.pathname} schema ${config.schema}`, close: () => pool.end() };
  }
  const { SqliteSaver } = await import('@langchain/langgraph-checkpoint-sqlite');
  const path = isAbsolute(config.path) ? config.path : resolve(dataDir, config.path);
  mkdirSync(dirname(path), { recursive: true });
  const saver = SqliteSaver.fromConnString(path);
  // WAL: readers (status, approvals) never wait for the writer; a crash loses no committed checkpoint.
  saver.db.pragma('journal_mode = WAL');
  saver.db.pragma('busy_timeout = 10000');
  return {
    saver,
    location: path,
    close: async () => {
      saver.db.close();
    },
  };
}
