import { constants, existsSync } from 'node:fs';
import { type FileHandle, lstat, open, readlink, realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import { fsError } from './backend.ts';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = constants;

/**
 * Linux lets a path go through an open directory: `/proc/self/fd/N/name` is `name` inside exactly
 * the directory opened as N, whatever happens to the path it was opened by. That is openat(2) for
 * Node, which has no *at() calls. Without /proc (macOS) the fallback re-checks the real path instead:
 * a much narrower race window, but a window (docs/security.md says so).
 */
export const hasProcFd = existsSync('/proc/self/fd');

/** An open directory whose real path was verified to be the one expected. */
export class VerifiedDir {
  private constructor(
    private readonly handle: FileHandle,
    /** The directory's real path, as verified after opening it. */
    readonly real: string,
  ) {}

  /**
   * Opens the directory at `expectedReal` (a path already resolved by realpath) and verifies it is
   * still that directory: O_NOFOLLOW refuses a last component swapped into a symlink, and the fd's
   * own path catches a swap anywhere above it. Either way: ESYMLINK, nothing done.
   */
  static async open(expectedReal: string): Promise<VerifiedDir> {
    let handle: FileHandle;
    try {
      handle = await open(expectedReal, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    } catch (error) {
      throw await swapped(error, expectedReal);
    }
    try {
      const actual = hasProcFd ? await readlink(`/proc/self/fd/${handle.fd}`) : await realpath(expectedReal);
      if (actual !== expectedReal) throw fsError('ESYMLINK', `${expectedReal} changed during the call`);
      return new VerifiedDir(handle, actual);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The child `name` of this very directory (by fd where /proc allows). */
  at(name: string): string {
    if (name.includes('/') || name === '' || name === '.' || name === '..') throw fsError('EINVAL', `bad entry name ${name}`);
    return hasProcFd ? `/proc/self/fd/${this.handle.fd}/${name}` : posix.join(this.real, name);
  }

  /** The directory itself, for readdir. */
  get self(): string {
    return hasProcFd ? `/proc/self/fd/${this.handle.fd}` : this.real;
  }

  /** Opens child directory `name` without following a symlink there, verified like `open`. */
  async child(name: string): Promise<VerifiedDir> {
    let handle: FileHandle;
    try {
      handle = await open(this.at(name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    } catch (error) {
      throw await swapped(error, posix.join(this.real, name), this.at(name));
    }
    const real = posix.join(this.real, name);
    if (hasProcFd) {
      const actual = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => '');
      if (actual !== real) {
        await handle.close();
        throw fsError('ESYMLINK', `${real} changed during the call`);
      }
    }
    return new VerifiedDir(handle, real);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Runs `body` with the verified directory open, closing it whatever happens. */
export async function withDir<T>(expectedReal: string, body: (dir: VerifiedDir) => Promise<T>): Promise<T> {
  const dir = await VerifiedDir.open(expectedReal);
  try {
    return await body(dir);
  } finally {
    await dir.close();
  }
}

/**
 * A symlink where a real directory was a moment ago: O_NOFOLLOW answers ELOOP, or ENOTDIR when
 * O_DIRECTORY is also set. ENOTDIR from a plain file stays ENOTDIR.
 */
async function swapped(error: unknown, path: string, probe = path): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return fsError('ESYMLINK', `${path} changed during the call`);
  if (code === 'ENOTDIR' && (await lstat(probe).catch(() => undefined))?.isSymbolicLink())
    return fsError('ESYMLINK', `${path} changed during the call`);
  return error;
}
