import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal arguments always digest the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What the audit log keeps of a call's arguments: `sha256:<hex>` of their canonical JSON (shows two
 * calls had the same arguments, reveals no value) and the top-level argument names.
 */
export function digestArguments(args: Record<string, unknown>): { argsDigest: string; argKeys: string[] } {
  return {
    argsDigest: `sha256:${createHash('sha256').update(canonicalJson(args)).digest('hex')}`,
    argKeys: Object.keys(args).sort(),
  };
}
