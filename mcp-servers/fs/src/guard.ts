import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';

/** Where a requested path landed: the root it is inside and its absolute, normalised form. */
export interface Resolved {
  root: string;
  absolute: string;
  /** Path relative to its root ('' for the root itself). */
  relative: string;
}

/**
 * Lexical confinement, no I/O: NUL bytes and backslashes are refused, a relative path resolves
 * against the first root, and the normalised result must equal a root or sit below one. Prefix
 * confusion (`/srv/root-evil` vs `/srv/root`) cannot pass because containment is checked per path
 * segment. Symlinks are the caller's job (`confineReal`), since they need the filesystem.
 */
export function resolveInsideRoot(roots: readonly string[], requested: string, field = 'path'): Resolved {
  if (requested.includes('\0')) throw new ToolError('INVALID_ARGUMENT', 'path contains a NUL byte', field);
  if (requested.includes('\\')) throw new ToolError('INVALID_ARGUMENT', `path '${requested}' contains a backslash; use '/'`, field);
  const first = roots[0];
  if (first === undefined) throw new ToolError('INVALID_CONFIG', 'no roots are configured');
  const absolute = posix.isAbsolute(requested) ? posix.normalize(requested) : posix.join(first, requested || '.');
  const root = roots.find((candidate) => isInside(candidate, absolute));
  if (root === undefined) {
    throw new ToolError('ACL_DENIED', `path '${requested}' is outside the allowed roots (${roots.join(', ')})`, field);
  }
  return { root, absolute: stripTrailingSlash(absolute), relative: posix.relative(root, absolute) };
}

/** True when `path` is `root` or below it, segment-wise. Both must be absolute and normalised. */
export function isInside(root: string, path: string): boolean {
  const base = stripTrailingSlash(root);
  const target = stripTrailingSlash(path);
  return target === base || target.startsWith(base === '/' ? '/' : `${base}/`);
}

function stripTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** How a path is shown back to the caller: relative to the first root, absolute under the others. */
export function displayPath(roots: readonly string[], resolved: Resolved): string {
  if (resolved.root === roots[0]) return resolved.relative === '' ? '.' : resolved.relative;
  return resolved.absolute;
}
