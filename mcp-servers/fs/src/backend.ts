/** The port every fs tool works through. Paths are absolute and already checked by the caller. */
export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface EntryStat {
  type: EntryType;
  size: number;
  modifiedAt: string;
}

export interface DirEntry extends EntryStat {
  name: string;
}

/**
 * The caller's confinement check, run again by the backend on the real path of what it actually
 * opened or is about to change (the opened file, or the verified parent directory joined with the
 * final name). It throws to refuse. This is what closes the gap between the caller's check and the
 * use: a symlink swapped in between is seen here.
 */
export type Fence = (realPath: string) => void;

/** Test hook: runs after the backend's own check and before it opens anything, to stage a race. */
export type RaceHook = (operation: string, path: string) => void | Promise<void>;

/**
 * Errors carry Node-style codes on `code`: ENOENT, EISDIR, ENOTDIR, EEXIST, ENOTEMPTY, ELOOP, and
 * EFBIG (with `size`) when a file is over the read limit. Every method that touches content takes
 * the fence; symlinks are never followed out of the root, whenever they appear.
 */
export interface FsBackend {
  readonly kind: 'disk' | 'memory';
  /** Resolves every symlink; throws ENOENT when something along the way is missing. */
  realpath(path: string): Promise<string>;
  /** lstat: a symlink is reported as a symlink, not followed. Undefined when nothing is there. */
  lstat(path: string, fence?: Fence): Promise<EntryStat | undefined>;
  /** Follows in-root symlinks; refuses (EFBIG) a file over `maxBytes` without reading it whole. */
  readFile(path: string, fence: Fence, maxBytes: number): Promise<Uint8Array>;
  /**
   * Atomic: readers see the old content or the new, never a part (temp file + rename in a verified
   * directory). Replaces a symlink at `path` rather than writing through it. Parents must exist.
   * `exclusive` fails with EEXIST when something is already there, with no window for a race.
   */
  writeFile(path: string, data: Uint8Array, fence: Fence, options?: { exclusive?: boolean }): Promise<void>;
  /** mkdir -p; each directory it makes or enters is verified. Answers whether the last one was made. */
  mkdirp(path: string, fence: Fence): Promise<boolean>;
  readDir(path: string, fence: Fence): Promise<DirEntry[]>;
  /** Removes a file, a symlink (not its target), or a directory (with `recursive`, its contents). */
  remove(path: string, recursive: boolean, fence: Fence): Promise<void>;
  /** rename(2) within or across roots; EEXIST when `to` exists and `overwrite` is false. */
  rename(from: string, to: string, fences: { from: Fence; to: Fence }, options: { overwrite: boolean }): Promise<void>;
  close(): Promise<void>;
}

export function fsError(code: string, message: string, extra: Record<string, unknown> = {}): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code, ...extra });
}
