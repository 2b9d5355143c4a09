import { createHash } from 'node:crypto';

/** Canonical JSON (sorted keys) so the same submission always hashes the same, whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Identifies a submission for idempotency: same key + same fingerprint = the same request. */
export function fingerprintOf(submission: unknown): string {
  return createHash('sha256').update(canonicalJson(submission)).digest('hex');
}
