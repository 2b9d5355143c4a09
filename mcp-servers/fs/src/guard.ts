import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';
import { pathGlobToRegExp } from './glob.ts';

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
 * segment. Symlinks are the caller's job (`Confinement`), since they need the filesystem.
 */
export function resolveInsideRoot(roots: readonly string[], requested: string, field = 'path'): Resolved {
  if (requested.includes('\0')) throw new ToolError('INVALID_ARGUMENT', 'path contains a NUL byte', field);
  if (requested.includes('\\')) throw new ToolError('INVALID_ARGUMENT', `path '${requested}' contains a backslash; use '/'`, field);
  // Control characters (newlines above all) make names that break every line-oriented tool later.
  if (hasControlCharacter(requested)) throw new ToolError('INVALID_ARGUMENT', 'path contains a control character', field);
  if (/^[A-Za-z]:/.test(requested))
    throw new ToolError('INVALID_ARGUMENT', `path '${requested}' is a Windows drive path; use a POSIX path`, field);
  if (requested.startsWith('~'))
    throw new ToolError(
      'INVALID_ARGUMENT',
      `path '${requested}' starts with '~'; home paths are not expanded, give a path inside a root`,
      field,
    );
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

/**
 * The first deny glob that matches `relative` (a path relative to its root) or one of its ancestors,
 * so a denied directory denies everything below it. A glob without a slash matches a name at any
 * depth; `X/**` also matches `X` itself.
 */
export function deniedBy(globs: readonly string[], relative: string): string | undefined {
  if (relative === '') return undefined;
  const parts = relative.split('/');
  for (const glob of globs) {
    const { re, self } = compiled(glob);
    for (let depth = 1; depth <= parts.length; depth++) {
      const candidate = glob.includes('/') ? parts.slice(0, depth).join('/') : (parts[depth - 1] as string);
      if (re.test(candidate) || self?.test(candidate)) return glob;
    }
  }
  return undefined;
}

/** The protected path that `absolute` is, or lies below. */
export function protectedBy(protect: readonly string[], absolute: string): string | undefined {
  return protect.find((entry) => isInside(entry, absolute));
}

/** A protected path that lies strictly below `absolute` (moving or deleting `absolute` would take it along). */
export function protectedWithin(protect: readonly string[], absolute: string): string | undefined {
  return protect.find((entry) => entry !== absolute && isInside(absolute, entry));
}

const cache = new Map<string, { re: RegExp; self: RegExp | undefined }>();
function compiled(glob: string): { re: RegExp; self: RegExp | undefined } {
  let entry = cache.get(glob);
  if (entry === undefined) {
    entry = { re: pathGlobToRegExp(glob), self: glob.endsWith('/**') ? pathGlobToRegExp(glob.slice(0, -3)) : undefined };
    cache.set(glob, entry);
  }
  return entry;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
