import { createHash } from 'node:crypto';

/** Many MCP clients refuse tool names longer than 64 characters. */
export const MAX_TOOL_NAME = 64;
/** The default separator between an upstream's name and its tool's: `fs__read_file`. */
export const SEPARATOR = '__';
/** What every client accepts in a tool name (the strictest, e.g. OpenAI and Claude tool use). */
export const CLIENT_SAFE_NAME = /^[a-zA-Z0-9_-]+$/;
/** Hash lengths tried in turn when a shortened name is already taken (practically never past the first). */
export const HASH_LENGTHS = [8, 12, 16, 24] as const;

/**
 * The name a client sees for `tool` of upstream `server`: `<server><separator><tool>` when that is
 * client-safe and at most 64 characters; otherwise a readable prefix (invalid characters turned into
 * `_`) plus `_` and a short hash of the full original name. A pure function of its arguments, so
 * every hub replica and every restart gives the same answer; the hash keeps two originals that
 * sanitise or cut to the same prefix apart.
 */
export function namespacedName(server: string, tool: string, separator: string = SEPARATOR): string {
  const full = `${server}${separator}${tool}`;
  if (full.length <= MAX_TOOL_NAME && CLIENT_SAFE_NAME.test(full)) return full;
  return hashedName(server, tool, separator, HASH_LENGTHS[0]);
}

/** The shortened form with a hash of `hashLength` hex digits; the fallback when names collide. */
export function hashedName(server: string, tool: string, separator: string, hashLength: number): string {
  const full = `${server}${separator}${tool}`;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, hashLength);
  const readable = full.replace(/[^a-zA-Z0-9_-]/g, '_');
  return `${readable.slice(0, MAX_TOOL_NAME - hash.length - 1)}_${hash}`;
}

/** Is this a name every client accepts? */
export function isClientSafeName(name: string): boolean {
  return name.length <= MAX_TOOL_NAME && CLIENT_SAFE_NAME.test(name);
}
