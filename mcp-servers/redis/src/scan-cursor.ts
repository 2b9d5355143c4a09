import { ToolError } from '@switchboard/kit';

/** A cursor token bigger than this was not made by this server. */
const MAX_TOKEN = 64 * 1024;

export interface ScanPosition {
  /** Redis's own SCAN cursor: '0' before the first batch, and again once the walk is over. */
  cursor: string;
  /** Keys already fetched but not yet answered, because the last batch overshot the limit. */
  pending: string[];
}

/**
 * The scan tool's opaque cursor. SCAN's COUNT is only a hint, so a batch may overshoot the caller's
 * limit; the overshoot travels in the cursor instead of being dropped (lost keys) or answered
 * (more than `limit`). Without overshoot the token is Redis's cursor itself.
 */
export function encodeScanCursor(position: ScanPosition): string {
  if (position.pending.length === 0) return position.cursor;
  return `${position.cursor}.${Buffer.from(JSON.stringify(position.pending), 'utf8').toString('base64url')}`;
}

export function decodeScanCursor(token: string, field = 'cursor'): ScanPosition {
  const bad = () =>
    new ToolError('INVALID_ARGUMENT', `cursor '${token.slice(0, 40)}' was not made by this server; start again with '0'`, field);
  if (token.length > MAX_TOKEN) throw bad();
  const dot = token.indexOf('.');
  const cursor = dot === -1 ? token : token.slice(0, dot);
  if (!/^\d{1,20}$/.test(cursor)) throw bad();
  if (dot === -1) return { cursor, pending: [] };
  let pending: unknown;
  try {
    pending = JSON.parse(Buffer.from(token.slice(dot + 1), 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(pending) || pending.length === 0 || !pending.every((key) => typeof key === 'string')) throw bad();
  return { cursor, pending };
}
