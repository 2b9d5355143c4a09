import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';
import type { ShellBackend } from './backend.ts';

export interface Executable {
  /** The name callers use as argv[0]. */
  name: string;
  /** Absolute path resolved at start; undefined when it was not found (calls answer NOT_FOUND). */
  path: string | undefined;
}

/**
 * Resolves the allowlist once, at start, to absolute paths: a later change to PATH, or a file of
 * the same name planted in the cwd, can never change what runs. An absolute entry is taken as it is
 * and callable by its base name.
 */
export async function resolveAllowlist(
  backend: Pick<ShellBackend, 'resolveExecutable' | 'resolveExecutables'>,
  allow: readonly string[],
): Promise<Map<string, Executable>> {
  const paths = backend.resolveExecutables
    ? await backend.resolveExecutables(allow)
    : await Promise.all(allow.map((entry) => backend.resolveExecutable(entry)));
  const table = new Map<string, Executable>();
  for (const [index, entry] of allow.entries()) {
    const name = entry.startsWith('/') ? posix.basename(entry) : entry;
    table.set(name, { name, path: paths[index] });
  }
  return table;
}

/** argv[0] → the allowed executable. Only allowlisted names (or their exact resolved paths) pass. */
export function lookupExecutable(table: ReadonlyMap<string, Executable>, argv0: string, where = 'here'): Executable {
  const found = table.get(argv0) ?? [...table.values()].find((entry) => entry.path !== undefined && entry.path === argv0);
  if (found === undefined) {
    const names = [...table.keys()].sort().join(', ') || '(none)';
    throw new ToolError('ACL_DENIED', `'${argv0}' is not an allowed command ${where}; allowed: ${names}`, 'argv.0');
  }
  return found;
}

/** The executable's path, or NOT_FOUND when it was not found at start. */
export function pathOf(executable: Executable, where = 'here'): string {
  if (executable.path === undefined)
    throw new ToolError(
      'NOT_FOUND',
      `'${executable.name}' is allowed but was not found on PATH ${where} when the server started`,
      'argv.0',
    );
  return executable.path;
}
