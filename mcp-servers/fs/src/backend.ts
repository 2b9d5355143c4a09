/** The port every fs tool works through. Paths are absolute and already confined by the caller. */
export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface EntryStat {
  type: EntryType;
  size: number;
  modifiedAt: string;
}

export interface DirEntry {
  name: string;
  type: EntryType;
}

/** Errors carry Node-style codes (ENOENT, EISDIR, ENOTDIR, EEXIST, ENOTEMPTY, ELOOP) on `code`. */
export interface FsBackend {
  readonly kind: 'disk' | 'memory';
  /** Resolves every symlink; throws ENOENT when something along the way is missing. */
  realpath(path: string): Promise<string>;
  /** lstat: a symlink is reported as a symlink, not followed. Undefined when nothing is there. */
  lstat(path: string): Promise<EntryStat | undefined>;
  readFile(path: string): Promise<Uint8Array>;
  /** Atomic: readers see the old content or the new, never a part. Parents must exist. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  mkdirp(path: string): Promise<void>;
  readDir(path: string): Promise<DirEntry[]>;
  /** Removes a file, a symlink (not its target), or a directory (with `recursive`, its contents). */
  remove(path: string, recursive: boolean): Promise<void>;
  close(): Promise<void>;
}

export function fsError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}
