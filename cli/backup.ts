import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { type SqliteStoreFile, sqliteStores } from './backup-stores.ts';
import { defaultRolesDir } from './start-hub.ts';
import { loadUpConfig } from './up-defaults.ts';
import { UsageError } from './usage.ts';

interface ManifestEntry {
  name: string;
  /** Where the store was when the backup was taken (restore writes where the current config says). */
  source: string;
  file: string;
  bytes: number;
  sha256: string;
  rows: Record<string, number>;
}

interface Manifest {
  format: 'switchboard-backup/1';
  createdAt: string;
  config: string;
  stores: ManifestEntry[];
}

/**
 * `switchboard backup [--config FILE] [--out DIR]`: a consistent copy of every embedded SQLite store
 * (tasks, audit, rag) while the hub runs, through SQLite's online backup API, each checked with
 * `PRAGMA integrity_check` and listed with its SHA-256 in manifest.json. Exit 1 if a store was skipped.
 */
export async function backup(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const loaded = loadUpConfig(values.config, defaultRolesDir, process.cwd(), false);
  const out = resolve(values.out ?? join('backups', new Date().toISOString().replace(/[:.]/g, '-')));
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const manifest: Manifest = { format: 'switchboard-backup/1', createdAt: new Date().toISOString(), config: loaded.source, stores: [] };
  const skipped: string[] = [];
  for (const store of sqliteStores(loaded)) {
    if (!existsSync(store.file)) {
      skipped.push(`${store.name}: ${store.file} does not exist (yet)`);
      continue;
    }
    try {
      manifest.stores.push(await backupOne(store, out));
    } catch (error) {
      const busy = (error as { code?: string }).code?.startsWith('SQLITE_BUSY');
      skipped.push(
        busy
          ? `${store.name}: ${store.file} is locked by the server using it (the rag server holds its data dir exclusively): stop it, then run backup again`
          : `${store.name}: ${(error as Error).message}`,
      );
    }
  }
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  for (const entry of manifest.stores)
    process.stdout.write(`backed up ${entry.name}: ${entry.source} → ${join(out, entry.file)} (${entry.bytes} bytes)\n`);
  for (const line of skipped) process.stdout.write(`skipped ${line}\n`);
  process.stdout.write(`backup: ${out}\n`);
  if (skipped.length > 0) process.exitCode = 1;
}

async function backupOne(store: SqliteStoreFile, out: string): Promise<ManifestEntry> {
  const file = `${store.name}.sqlite`;
  const target = join(out, file);
  rmSync(target, { force: true });
  const source = new Database(store.file, { fileMustExist: true, timeout: 0 });
  try {
    // All pages in one step: one read transaction, so writers going on meanwhile cannot make it start over.
    await source.backup(target, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  const copy = new Database(target);
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy of ${store.name} fails integrity_check: ${String(check)}`);
    copy.pragma('journal_mode = DELETE'); // one self-contained file
    return { name: store.name, source: store.file, file, bytes: statSync(target).size, sha256: sha256(target), rows: rowCounts(copy) };
  } finally {
    copy.close();
  }
}

/**
 * `switchboard restore DIR [--config FILE]`: puts every store of a backup back where the current
 * config keeps it. Refuses while a process has the store open (stop the hub first), and checks each
 * file against the manifest. The replaced store is kept beside it as `<file>.pre-restore-<time>`.
 */
export async function restore(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { config: { type: 'string' } }, allowPositionals: true, strict: true });
  const dir = positionals[0];
  if (dir === undefined || positionals.length > 1) throw new UsageError('switchboard restore <backup dir> [--config FILE]');
  const manifestFile = join(resolve(dir), 'manifest.json');
  if (!existsSync(manifestFile)) throw new UsageError(`${dir}: no manifest.json (is this a directory \`switchboard backup\` wrote?)`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  if (manifest.format !== 'switchboard-backup/1') throw new UsageError(`${manifestFile}: unknown format '${String(manifest.format)}'`);
  const targets = new Map(sqliteStores(loadUpConfig(values.config, defaultRolesDir, process.cwd(), false)).map((s) => [s.name, s.file]));
  const plan = manifest.stores.map((entry) => {
    const backupFile = join(resolve(dir), basename(entry.file));
    if (!existsSync(backupFile) || sha256(backupFile) !== entry.sha256)
      throw new UsageError(`${backupFile}: missing or not the file the manifest lists (SHA-256 differs); nothing was restored`);
    const target = targets.get(entry.name);
    if (target !== undefined && inUse(target))
      throw new UsageError(`${target} is open in a running process (the hub or a server): stop it first; nothing was restored`);
    return { entry, backupFile, target };
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const { entry, backupFile, target } of plan) {
    if (target === undefined) {
      process.stdout.write(`skipped ${entry.name}: the current config keeps no SQLite store of that name\n`);
      continue;
    }
    mkdirSync(resolve(target, '..'), { recursive: true });
    if (existsSync(target)) {
      // the old file with its WAL, kept together so it stays readable
      for (const suffix of ['', '-wal', '-shm'])
        if (existsSync(target + suffix)) renameSync(target + suffix, `${target}.pre-restore-${stamp}${suffix}`);
    }
    copyFileSync(backupFile, `${target}.restoring`);
    renameSync(`${target}.restoring`, target);
    process.stdout.write(
      `restored ${entry.name}: ${target} (${Object.entries(entry.rows)
        .map(([t, n]) => `${n} ${t}`)
        .join(', ')})\n`,
    );
  }
}

/** True while another connection holds the file (WAL readers keep a shared lock an exclusive one cannot get past). */
function inUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT;');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    db.close();
  }
}

function rowCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables.map((t) => [
      t,
      db
        .prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`)
        .pluck()
        .get() as number,
    ]),
  );
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
