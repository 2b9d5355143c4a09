import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';
import type { ShellBackend } from './backend.ts';

/** True when `path` is `root` or below it, segment-wise. Both absolute and normalised. */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root === '/' ? '/' : `${root}/`);
}

/** Lexical resolution against `base`, no I/O: NUL refused, result normalised and absolute. */
export function lexical(base: string, requested: string, field: string): string {
  if (requested.includes('\0')) throw new ToolError('INVALID_ARGUMENT', `${field} contains a NUL byte`, field);
  const absolute = posix.isAbsolute(requested) ? posix.normalize(requested) : posix.join(base, requested);
  return absolute.length > 1 && absolute.endsWith('/') ? absolute.slice(0, -1) : absolute;
}

/** Could this argument be a path that leaves the cwd? Absolute, home-relative, or with a `..` segment. */
function escapes(value: string): boolean {
  return value.startsWith('/') || value.startsWith('~') || value.split('/').includes('..');
}

/**
 * Keeps a place's cwd, path arguments and copies inside its roots and away from protected paths,
 * through that place's own realpath (local disk, or SFTP on a host), so symlinks are followed the
 * way the command would follow them.
 */
export class ShellConfinement {
  private rootsReal: Promise<string[]> | undefined;
  private protectReal: Promise<string[]> | undefined;

  constructor(
    private readonly backend: Pick<ShellBackend, 'realpath' | 'isDirectory'>,
    readonly roots: readonly string[],
    private readonly protect: readonly string[],
    /** Where this place is, for messages: 'here' or 'host web1'. */
    private readonly where = 'here',
  ) {}

  /** The working directory: default the first root; must exist, be a directory, inside a root. */
  async cwd(requested: string | undefined, field = 'cwd'): Promise<string> {
    const path = lexical(this.roots[0] as string, requested ?? '.', field);
    const real = await this.check(path, field, requested ?? '.');
    if (!(await this.backend.isDirectory(real)))
      throw new ToolError('NOT_FOUND', `cwd '${requested}' is not an existing directory ${this.where}`, field);
    return real;
  }

  /** A file for copy_to / copy_from: inside a root, not protected; answers its absolute path. */
  async file(requested: string, field: string): Promise<{ path: string; real: string }> {
    const path = lexical(this.roots[0] as string, requested, field);
    if (this.roots.includes(path))
      throw new ToolError('INVALID_ARGUMENT', `${field} '${requested}' is a root directory, not a file`, field);
    // The final name is not followed: a symlink there is replaced by a write and refused by a read.
    const parentReal = await this.check(posix.dirname(path), field, requested);
    const real = posix.join(parentReal, posix.basename(path));
    await this.check(real, field, requested);
    return { path, real };
  }

  /**
   * One argument of a command run in `cwd`: the argument itself and, for `--opt=value`, `k=v` or a
   * stuck `-ovalue`, its value. Anything that may be a path is resolved against the cwd and must
   * stay inside the roots, symlinks included; a name that exists is checked even without `/`.
   */
  async argument(cwd: string, arg: string, field: string): Promise<void> {
    const candidates = [arg];
    const eq = arg.indexOf('=');
    if (eq !== -1) candidates.push(arg.slice(eq + 1));
    if (/^-[^-]/.test(arg) && arg.length > 2) candidates.push(arg.slice(2));
    for (const value of candidates) {
      if (value === '' || value === '-' || value === '--') continue;
      if (value.startsWith('~'))
        throw new ToolError(
          'ACL_DENIED',
          `argument '${arg}' names a home directory; paths must stay inside the roots (${this.roots.join(', ')})`,
          field,
        );
      const path = lexical(cwd, value, field);
      if (escapes(value)) {
        await this.check(path, field, arg);
        continue;
      }
      // A plain name only matters if it exists (a symlink out, or a protected file in the cwd).
      const real = await this.backend.realpath(path).catch(() => undefined);
      if (real !== undefined) await this.checkReal(real, field, arg);
    }
  }

  /** Lexical then real check of an absolute path; answers the real path of its nearest existing part. */
  private async check(path: string, field: string, shown: string): Promise<string> {
    if (!this.roots.some((root) => isInside(root, path)))
      throw new ToolError(
        'ACL_DENIED',
        `${field === 'cwd' ? 'cwd' : 'path'} '${shown}' is outside the roots ${this.where} (${this.roots.join(', ')})`,
        field,
      );
    if (this.protect.some((entry) => isInside(entry, path))) throw protectedError(shown, field);
    const real = await this.nearestReal(path);
    await this.checkReal(real, field, shown);
    return real;
  }

  private async checkReal(real: string, field: string, shown: string): Promise<void> {
    this.rootsReal ??= Promise.all(this.roots.map((root) => this.backend.realpath(root).catch(() => root)));
    this.protectReal ??= Promise.all(this.protect.map((entry) => this.nearestReal(entry)));
    if (!(await this.rootsReal).some((root) => isInside(root, real)))
      throw new ToolError('ACL_DENIED', `'${shown}' leads outside the roots ${this.where} through a symlink`, field);
    if ([...this.protect, ...(await this.protectReal)].some((entry) => isInside(entry, real))) throw protectedError(shown, field);
  }

  private async nearestReal(path: string): Promise<string> {
    const tail: string[] = [];
    let current = path;
    for (;;) {
      try {
        return posix.join(await this.backend.realpath(current), ...tail.reverse());
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ENOENT_SFTP') throw error;
        if (current === '/') return path;
        tail.push(posix.basename(current));
        current = posix.dirname(current);
      }
    }
  }
}

function protectedError(shown: string, field: string): ToolError {
  return new ToolError('ACL_DENIED', `'${shown}' is protected (the hub's security configuration); no command may reach it`, field);
}
