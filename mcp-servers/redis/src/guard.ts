import { ToolError } from '@switchboard/kit';
import { escapeGlob, literalPrefix } from './redis-glob.ts';

/** Keys longer than this are refused: nothing legitimate needs more, and it bounds error messages and logs. */
export const MAX_KEY_BYTES = 1024;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const shown = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

/**
 * A key argument, confined to the prefix allowlist. With no prefixes configured the whole keyspace
 * of the server's database is reachable (the operator's explicit choice, logged at start).
 */
export function checkKey(key: string, prefixes: readonly string[], field = 'key'): string {
  if (key.length === 0) throw new ToolError('INVALID_ARGUMENT', 'key is empty', field);
  if (bytes(key) > MAX_KEY_BYTES)
    throw new ToolError('INVALID_ARGUMENT', `key is ${bytes(key)} bytes; the limit is ${MAX_KEY_BYTES}`, field);
  if (prefixes.length > 0 && !prefixes.some((prefix) => key.startsWith(prefix))) {
    throw new ToolError('ACL_DENIED', `key '${shown(key)}' is outside the allowed prefixes (${prefixes.join(', ')})`, field);
  }
  return key;
}

/** Every key of a list argument; the field named is `keys.<index>`. */
export function checkKeys(keys: readonly string[], prefixes: readonly string[], field = 'keys'): string[] {
  return keys.map((key, index) => checkKey(key, prefixes, `${field}.${index}`));
}

/**
 * A SCAN pattern may only match keys inside the allowlist: its literal beginning (up to the first
 * unescaped `*`, `?` or `[`) must start with an allowed prefix. `app*` is refused for prefix `app:`
 * because it also matches `apple`.
 */
export function confinePattern(pattern: string, prefixes: readonly string[], field = 'pattern'): string {
  if (pattern.length === 0) throw new ToolError('INVALID_ARGUMENT', 'pattern is empty', field);
  if (bytes(pattern) > MAX_KEY_BYTES) throw new ToolError('INVALID_ARGUMENT', `pattern is over ${MAX_KEY_BYTES} bytes`, field);
  if (prefixes.length === 0) return pattern;
  const literal = literalPrefix(pattern);
  if (!prefixes.some((prefix) => literal.startsWith(prefix))) {
    const example = `${escapeGlob(prefixes[0] as string)}*`;
    throw new ToolError(
      'ACL_DENIED',
      `pattern '${shown(pattern)}' could match keys outside the allowed prefixes (${prefixes.join(', ')}); start it with one of them, e.g. '${example}'`,
      field,
    );
  }
  return pattern;
}

/** The pattern used when the caller gives none: everything under the only prefix, or everything. */
export function defaultPattern(prefixes: readonly string[]): string {
  if (prefixes.length === 0) return '*';
  if (prefixes.length === 1) return `${escapeGlob(prefixes[0] as string)}*`;
  throw new ToolError('INVALID_ARGUMENT', `give a pattern starting with one of the prefixes (${prefixes.join(', ')})`, 'pattern');
}

/** A value to write, within the size limit (bytes of its UTF-8 encoding). */
export function checkValue(value: string, maxBytes: number, field = 'value'): string {
  const size = bytes(value);
  if (size > maxBytes) throw new ToolError('TOO_LARGE', `${field} is ${size} bytes; the limit is ${maxBytes}`, field);
  return value;
}

/** An answer's values together stay within the limit; else TOO_LARGE, never a cut answer. */
export function checkAnswerBytes(values: Iterable<string | null>, maxBytes: number, field: string, hint: string): void {
  let total = 0;
  for (const value of values) total += value === null ? 0 : bytes(value);
  if (total > maxBytes) throw new ToolError('TOO_LARGE', `the answer is ${total} bytes; the limit is ${maxBytes} (${hint})`, field);
}

export interface ListWindow {
  start: number;
  stop: number;
  /** The requested range held more elements than `limit`. */
  truncated: boolean;
}

/**
 * LRANGE's index rules (negative counts from the end, stop inclusive, clamped), resolved against
 * the list's length and cut to `limit` elements. Undefined when the range is empty.
 */
export function listWindow(start: number, stop: number, length: number, limit: number): ListWindow | undefined {
  let from = start < 0 ? Math.max(0, length + start) : start;
  const to = Math.min(stop < 0 ? length + stop : stop, length - 1);
  if (from > to || from >= length) return undefined;
  from = Math.max(0, from);
  const capped = Math.min(to, from + limit - 1);
  return { start: from, stop: capped, truncated: capped < to };
}
