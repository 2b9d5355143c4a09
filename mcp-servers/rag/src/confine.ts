import { lstat, realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';
import { isInside, resolveInsideRoot } from './guard.ts';

export interface Confined {
  root: string;
  absolute: string;
  /** How the caller sees the path: relative to the first root, else absolute. */
  shown: string;
}

/**
 * index_path's reach: a lexical check against the roots, then the same check on the real path, so
 * a symlink (anywhere along the way) cannot lead outside. The walk itself never follows symlinks.
 */
export class Confinement {
  constructor(readonly roots: readonly string[]) {}

  async resolve(requested: string, field = 'path'): Promise<Confined> {
    const lexical = resolveInsideRoot(this.roots, requested, field);
    const shown = lexical.root === this.roots[0] ? lexical.relative || '.' : lexical.absolute;
    let rootReal: string;
    let real: string;
    try {
      rootReal = await realpath(lexical.root);
    } catch {
      throw new ToolError('NOT_FOUND', `root '${lexical.root}' is missing; the other roots still work`, field);
    }
    try {
      real = await realpath(lexical.absolute);
    } catch {
      throw new ToolError('NOT_FOUND', `'${shown}' does not exist`, field);
    }
    if (!isInside(rootReal, real)) throw new ToolError('ACL_DENIED', `path '${shown}' leads outside its root through a symlink`, field);
    return { root: lexical.root, absolute: lexical.absolute, shown };
  }

  /** The id a file gets as a document: its path as the caller sees it. */
  documentId(confined: Confined, relativeToDir: string): string {
    return confined.shown === '.' ? relativeToDir : posix.join(confined.shown, relativeToDir);
  }
}

export async function isSymlink(path: string): Promise<boolean> {
  return (await lstat(path)).isSymbolicLink();
}
