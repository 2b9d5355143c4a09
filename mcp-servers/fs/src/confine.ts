import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';
import type { FsBackend } from './backend.ts';
import { displayPath, isInside, type Resolved, resolveInsideRoot } from './guard.ts';

export interface Confined extends Resolved {
  /** How the caller sees this path: relative to the first root, else absolute. */
  shown: string;
}

/**
 * Lexical confinement, then the same check on the real path: the nearest existing ancestor is
 * resolved through its symlinks and must still be inside the root's own real path. A missing root
 * answers for itself only; the other roots keep working.
 */
export class Confinement {
  constructor(
    private readonly backend: FsBackend,
    readonly roots: readonly string[],
  ) {}

  async resolve(requested: string, field = 'path'): Promise<Confined> {
    const lexical = resolveInsideRoot(this.roots, requested, field);
    const shown = displayPath(this.roots, lexical);
    let rootReal: string;
    try {
      rootReal = await this.backend.realpath(lexical.root);
    } catch {
      throw new ToolError('NOT_FOUND', `root '${lexical.root}' is missing; the other roots still work`, field);
    }
    const real = await this.nearestReal(lexical.absolute);
    if (!isInside(rootReal, real)) {
      throw new ToolError('ACL_DENIED', `path '${shown}' leads outside its root through a symlink`, field);
    }
    return { ...lexical, shown };
  }

  private async nearestReal(path: string): Promise<string> {
    const tail: string[] = [];
    let current = path;
    for (;;) {
      try {
        return posix.join(await this.backend.realpath(current), ...tail.reverse());
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        if (current === '/') return path;
        tail.push(posix.basename(current));
        current = posix.dirname(current);
      }
    }
  }
}
