import { posix } from 'node:path';
import type { FsBackend } from './backend.ts';
import type { Confined, Confinement } from './confine.ts';

/** Bounds a walk, so a huge tree answers `truncated` instead of running for minutes. */
export const MAX_VISITED = 20_000;

export interface WalkEntry {
  /** Path relative to the walk's base. */
  relative: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  /** Denied by a glob or protected: callers skip it or refuse because of it. */
  hidden: boolean;
}

/**
 * Entries under `base` breadth-first in name order. Symlinks are reported, never entered; hidden
 * directories are not entered either. Yields 'truncated' once past MAX_VISITED entries.
 */
export async function* walk(backend: FsBackend, confinement: Confinement, base: Confined): AsyncGenerator<WalkEntry | 'truncated'> {
  const pending = [''];
  let visited = 0;
  while (pending.length > 0) {
    const relativeDir = pending.shift() as string;
    const entries = (await backend.readDir(posix.join(base.absolute, relativeDir), base.fence)).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      if (++visited > MAX_VISITED) {
        yield 'truncated';
        return;
      }
      const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      const hidden = await confinement.hidden(base, relative);
      if (entry.type === 'directory' && !hidden) pending.push(relative);
      yield { relative, type: entry.type, size: entry.size, hidden };
    }
  }
}
