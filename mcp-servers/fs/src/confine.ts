import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';
import type { Fence, FsBackend } from './backend.ts';
import type { FsConfig, Root } from './config.ts';
import { fsToolError } from './errors.ts';
import { deniedBy, displayPath, isInside, protectedBy, protectedWithin, type Resolved, resolveInsideRoot } from './guard.ts';

export interface Confined extends Resolved {
  /** How the caller sees this path: relative to the first root, else absolute. */
  shown: string;
  /** The root's settings (read-only, deny globs). */
  spec: Root;
  /** The path with every existing symlink resolved, at the time of the check. */
  real: string;
  /**
   * The same checks again, for the backend to apply to what it actually opened: a symlink swapped
   * in after this check (a TOCTOU race) is caught there, not here.
   */
  fence: Fence;
}

export type Intent = 'read' | 'write';

type Policy = Pick<FsConfig, 'roots' | 'readOnly' | 'deny' | 'protect'>;

/**
 * Lexical confinement, then the same checks on the real path: the nearest existing ancestor is
 * resolved through its symlinks and must still be inside the root's own real path, outside every
 * deny glob and every protected path. A missing root answers for itself only.
 */
export class Confinement {
  readonly roots: readonly string[];
  private protectReal: Promise<string[]> | undefined;
  private readonly rootsReal = new Map<string, string>();

  constructor(
    private readonly backend: FsBackend,
    private readonly policy: Policy,
  ) {
    this.roots = policy.roots.map((root) => root.path);
  }

  /**
   * `follow: false` checks the path itself, not where a final symlink points: for calls that act on
   * the link (stat, delete, move, and write, which replaces a link rather than writing through it).
   */
  async resolve(
    requested: string,
    { field = 'path', intent = 'read', follow = true }: { field?: string; intent?: Intent; follow?: boolean } = {},
  ): Promise<Confined> {
    const lexical = resolveInsideRoot(this.roots, requested, field);
    const shown = displayPath(this.roots, lexical);
    const spec = this.policy.roots.find((root) => root.path === lexical.root) as Root;
    if (intent === 'write' && (this.policy.readOnly || spec.readOnly)) {
      throw new ToolError('READ_ONLY', `'${shown}' is under the read-only root '${spec.path}'; nothing there can be changed`, field);
    }
    this.refuseDenied(spec, lexical.relative, shown, field);
    if (protectedBy(this.policy.protect, lexical.absolute) !== undefined) throw protectedError(shown, field);
    let rootReal = this.rootsReal.get(lexical.root);
    if (rootReal === undefined) {
      try {
        rootReal = await this.backend.realpath(lexical.root);
      } catch {
        throw new ToolError('NOT_FOUND', `root '${lexical.root}' is missing; the other roots still work`, field);
      }
      // Kept once found (a missing root is asked again next time, so it can appear later).
      this.rootsReal.set(lexical.root, rootReal);
    }
    const fence = this.fence(spec, rootReal, shown, field, await this.protectedReal());
    let real: string;
    try {
      real =
        follow || lexical.relative === ''
          ? await this.nearestReal(lexical.absolute)
          : posix.join(await this.nearestReal(posix.dirname(lexical.absolute)), posix.basename(lexical.absolute));
    } catch (error) {
      throw fsToolError(error, shown, field);
    }
    fence(real);
    return { ...lexical, shown, spec, real, fence };
  }

  /** True when the entry at `below` (relative to `base`) must not be shown: denied by a glob or protected. */
  async hidden(base: Confined, below: string): Promise<boolean> {
    const relative = base.relative === '' ? below : `${base.relative}/${below}`;
    if (deniedBy(this.denyGlobs(base), relative) !== undefined) return true;
    const protect = [...this.policy.protect, ...(await this.protectedReal())];
    return (
      protectedBy(protect, posix.join(base.absolute, below)) !== undefined ||
      protectedBy(protect, posix.join(base.real, below)) !== undefined
    );
  }

  /** Refuses to move or delete a tree that carries a protected path along. */
  async refuseProtectedWithin(target: Confined, field = 'path'): Promise<void> {
    const protect = [...this.policy.protect, ...(await this.protectedReal())];
    if (protectedWithin(protect, target.absolute) !== undefined || protectedWithin(protect, target.real) !== undefined) {
      throw new ToolError(
        'ACL_DENIED',
        `'${target.shown}' contains a protected path (security configuration); it cannot be moved or deleted`,
        field,
      );
    }
  }

  /** Deny globs that apply under `target`'s root. */
  denyGlobs(target: Confined): string[] {
    return [...this.policy.deny, ...target.spec.deny];
  }

  private fence(spec: Root, rootReal: string, shown: string, field: string, protectReal: string[]): Fence {
    return (real) => {
      if (!isInside(rootReal, real)) throw new ToolError('ACL_DENIED', `path '${shown}' leads outside its root through a symlink`, field);
      this.refuseDenied(spec, posix.relative(rootReal, real), shown, field);
      if (protectedBy(protectReal, real) !== undefined || protectedBy(this.policy.protect, real) !== undefined)
        throw protectedError(shown, field);
    };
  }

  private refuseDenied(spec: Root, relative: string, shown: string, field: string): void {
    const glob = deniedBy([...this.policy.deny, ...spec.deny], relative);
    if (glob !== undefined)
      throw new ToolError('ACL_DENIED', `path '${shown}' is denied by the glob '${glob}' of root '${spec.path}'`, field);
  }

  /** Protected paths with their symlinks resolved, once (they are fixed for the server's life). */
  private protectedReal(): Promise<string[]> {
    this.protectReal ??= Promise.all(this.policy.protect.map((path) => this.nearestReal(path)));
    return this.protectReal;
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

function protectedError(shown: string, field: string): ToolError {
  return new ToolError('ACL_DENIED', `path '${shown}' is protected (the hub's security configuration); no tool may reach it`, field);
}
