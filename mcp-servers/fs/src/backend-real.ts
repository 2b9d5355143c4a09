import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, realpath, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DirEntry, EntryStat, EntryType, FsBackend } from './backend.ts';

function typeOf(stats: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryType {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  return 'other';
}

/** The local disk. */
export function createDiskBackend(): FsBackend {
  return {
    kind: 'disk',
    realpath: (path) => realpath(path),
    async lstat(path): Promise<EntryStat | undefined> {
      try {
        const stats = await lstat(path);
        return { type: typeOf(stats), size: stats.size, modifiedAt: stats.mtime.toISOString() };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    readFile: async (path) => new Uint8Array(await readFile(path)),
    async writeFile(path, data) {
      // Temp file beside the target, then rename: atomic, and rename replaces a symlink rather than
      // writing through it.
      const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
      const handle = await open(temp, 'wx', 0o644);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } catch (error) {
        await handle.close();
        await unlink(temp).catch(() => {});
        throw error;
      }
      await handle.close();
      try {
        await rename(temp, path);
      } catch (error) {
        await unlink(temp).catch(() => {});
        throw error;
      }
    },
    mkdirp: async (path) => {
      await mkdir(path, { recursive: true });
    },
    async readDir(path): Promise<DirEntry[]> {
      const entries = await readdir(path, { withFileTypes: true });
      return entries.map((entry) => ({ name: entry.name, type: typeOf(entry) }));
    },
    async remove(path, recursive) {
      const stats = await lstat(path);
      if (stats.isDirectory()) await (recursive ? rm(path, { recursive: true, force: false }) : rmdir(path));
      else await unlink(path);
    },
    close: async () => {},
  };
}
