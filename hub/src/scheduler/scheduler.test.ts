import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTaskStore } from './store/memory-store.ts';
import { SqliteTaskStore } from './store/sqlite-store.ts';
import { schedulerSuite } from './testing/suite.ts';

schedulerSuite('the memory store', { open: async () => new MemoryTaskStore() });

const dirs: string[] = [];
schedulerSuite('the SQLite store', {
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-tasks-'));
    dirs.push(dir);
    return new SqliteTaskStore(join(dir, 'tasks.db'));
  },
  dispose: async () => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  },
});
