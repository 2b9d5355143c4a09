import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { chmod, type FileHandle, link, lstat, mkdir, open, readdir, readlink, realpath, rename, rmdir, unlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { type DirEntry, type EntryStat, type EntryType, type Fence, type FsBackend, fsError, type RaceHook } from './backend.ts';
import { hasProcFd, VerifiedDir, withDir } from './verified-dir.ts';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = constants;

function typeOf(stats: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryType {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  return 'other';
}

const statOf = (stats: Stats): EntryStat => ({ type: typeOf(stats), size: stats.size, modifiedAt: stats.mtime.toISOString() });

/**
 * The local disk. Every operation resolves its path, runs the caller's fence on the real path, then
 * works through a directory opened and verified to still be that path (see verified-dir.ts), never
 * following a symlink at the last component. `race` is a test hook between check and use.
 */
export function createDiskBackend(options: { race?: RaceHook } = {}): FsBackend {
  const race = options.race ?? (() => {});

  /** Real parent + final name, fenced: the place `path` names, without following `path` itself. */
  async function place(path: string, fence: Fence, operation: string): Promise<{ parent: string; name: string }> {
    const parent = await realpath(posix.dirname(path));
    const name = posix.basename(path);
    fence(posix.join(parent, name));
    await race(operation, path);
    return { parent, name };
  }

  return {
    kind: 'disk',
    realpath: (path) => realpath(path),

    async lstat(path, fence = () => {}) {
      try {
        const { parent, name } = await place(path, fence, 'lstat');
        return await withDir(parent, async (dir) => statOf(await lstat(dir.at(name))));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async readFile(path, fence, maxBytes) {
      // In-root symlinks are followed by resolving first; the open itself never follows one.
      const real = await realpath(path);
      // `real` has no symlinks left: its directory needs no second realpath.
      const parent = posix.dirname(real);
      const name = posix.basename(real);
      fence(real);
      await race('readFile', path);
      return withDir(parent, async (dir) => {
        let handle: FileHandle;
        try {
          handle = await open(dir.at(name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw fsError('ESYMLINK', `${real} changed during the call`);
          throw error;
        }
        try {
          if (hasProcFd) fence(await readlink(`/proc/self/fd/${handle.fd}`));
          const stats = await handle.stat();
          if (stats.isDirectory()) throw fsError('EISDIR', real);
          if (!stats.isFile()) throw fsError('ENOTREG', real);
          if (stats.size > maxBytes) throw fsError('EFBIG', real, { size: stats.size });
          return await readAtMost(handle, stats.size, maxBytes, real);
        } finally {
          await handle.close();
        }
      });
    },

    async writeFile(path, data, fence, { exclusive = false } = {}) {
      const { parent, name } = await place(path, fence, 'writeFile');
      await withDir(parent, async (dir) => {
        fence(posix.join(dir.real, name));
        const previous = await lstat(dir.at(name)).catch(() => undefined);
        const temp = `.sb-${randomBytes(8).toString('hex')}.tmp`;
        // O_CREAT|O_EXCL: never follows a symlink, never reuses someone else's file.
        const handle = await open(dir.at(temp), 'wx', 0o644);
        try {
          await handle.writeFile(data);
          await handle.sync();
          await handle.close();
          if (previous?.isFile()) await chmod(dir.at(temp), previous.mode & 0o7777);
          // rename replaces a symlink at `name` instead of writing through it; link refuses any entry.
          if (exclusive) await link(dir.at(temp), dir.at(name));
          else await rename(dir.at(temp), dir.at(name));
        } catch (error) {
          await handle.close().catch(() => {});
          throw error;
        } finally {
          await unlink(dir.at(temp)).catch(() => {});
        }
      });
    },

    async mkdirp(path, fence) {
      const missing: string[] = [];
      let existing = path;
      let real: string;
      for (;;) {
        try {
          real = await realpath(existing);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || existing === '/') throw error;
          missing.unshift(posix.basename(existing));
          existing = posix.dirname(existing);
        }
      }
      fence(real);
      await race('mkdirp', path);
      let dir = await openChecked(real, fence);
      try {
        for (const name of missing) {
          fence(posix.join(dir.real, name));
          await mkdir(dir.at(name), 0o755).catch((error: NodeJS.ErrnoException) => {
            if (error.code !== 'EEXIST') throw error;
          });
          const next = await dir.child(name);
          await dir.close();
          dir = next;
        }
      } finally {
        await dir.close();
      }
      if (missing.length === 0 && !(await lstat(real)).isDirectory()) throw fsError('EEXIST', path);
      return missing.length > 0;
    },

    async readDir(path, fence) {
      const real = await realpath(path);
      fence(real);
      await race('readDir', path);
      const dir = await openChecked(real, fence);
      try {
        const entries = await readdir(dir.self, { withFileTypes: true });
        return await Promise.all(entries.map(async (entry): Promise<DirEntry> => entryOf(dir, entry.name)));
      } finally {
        await dir.close();
      }
    },

    async remove(path, recursive, fence) {
      const { parent, name } = await place(path, fence, 'remove');
      await withDir(parent, async (dir) => {
        fence(posix.join(dir.real, name));
        const stats = await lstat(dir.at(name));
        if (!stats.isDirectory()) await unlink(dir.at(name));
        else if (recursive) await removeTree(dir, name, fence);
        else await rmdir(dir.at(name));
      });
    },

    async rename(from, to, fences, { overwrite }) {
      const source = await place(from, fences.from, 'rename');
      const target = await place(to, fences.to, 'rename');
      await withDir(source.parent, (a) =>
        withDir(target.parent, async (b) => {
          fences.from(posix.join(a.real, source.name));
          fences.to(posix.join(b.real, target.name));
          await lstat(a.at(source.name));
          // No renameat2(RENAME_NOREPLACE) in Node: check then rename, a race only within the roots.
          if (!overwrite && (await lstat(b.at(target.name)).catch(() => undefined)) !== undefined) throw fsError('EEXIST', to);
          await rename(a.at(source.name), b.at(target.name));
        }),
      );
    },

    close: async () => {},
  };
}

/** Opens a directory that is itself the object of the call, fenced on its verified path. */
async function openChecked(real: string, fence: Fence): Promise<VerifiedDir> {
  const dir = await VerifiedDir.open(real);
  try {
    fence(dir.real);
    return dir;
  } catch (error) {
    await dir.close();
    throw error;
  }
}

async function entryOf(dir: VerifiedDir, name: string): Promise<DirEntry> {
  const stats = await lstat(dir.at(name)).catch(() => undefined);
  return stats === undefined ? { name, type: 'other', size: 0, modifiedAt: '' } : { name, ...statOf(stats) };
}

/** Depth-first through verified directories; a symlink met on the way is unlinked, never entered. */
async function removeTree(parent: VerifiedDir, name: string, fence: Fence): Promise<void> {
  let dir: VerifiedDir;
  try {
    dir = await parent.child(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESYMLINK' || code === 'ENOTDIR') return unlink(parent.at(name));
    throw error;
  }
  try {
    for (const entry of await readdir(dir.self, { withFileTypes: true })) {
      fence(posix.join(dir.real, entry.name));
      if (entry.isDirectory()) await removeTree(dir, entry.name, fence);
      else await unlink(dir.at(entry.name));
    }
  } finally {
    await dir.close();
  }
  await rmdir(parent.at(name));
}

/** Reads to EOF into one buffer sized from fstat, refusing (EFBIG) as soon as it passes `maxBytes`. */
async function readAtMost(handle: FileHandle, expected: number, maxBytes: number, path: string): Promise<Uint8Array> {
  // One byte more than expected, so a file that grew since fstat is noticed, not cut.
  let buffer = Buffer.allocUnsafe(Math.min(expected, maxBytes) + 1);
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      if (total > maxBytes) throw fsError('EFBIG', path, { size: total });
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
      buffer.copy(grown, 0, 0, total);
      buffer = grown;
    }
    const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > maxBytes) throw fsError('EFBIG', path, { size: total });
  }
  return new Uint8Array(buffer.buffer, buffer.byteOffset, total);
}
