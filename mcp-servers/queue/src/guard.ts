import { ToolError } from '@switchboard/kit';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const HEADER_NAME = /^[A-Za-z0-9_][A-Za-z0-9._:-]{0,127}$/;
const MAX_NAME_BYTES = 255;
const MAX_HEADER_VALUE = 4096;
const MAX_HEADERS_BYTES = 16 * 1024;

/**
 * A queue or exchange name: 1–255 bytes, no control characters, and not `amq.*` (reserved by the
 * broker for its own queues and built-in exchanges, which only the allowlist may name).
 */
export function checkName(name: string, field: string, what: 'queue' | 'exchange'): void {
  if (name === '') throw new ToolError('INVALID_ARGUMENT', `${what} name is empty`, field);
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) throw new ToolError('INVALID_ARGUMENT', `${what} name is over 255 bytes`, field);
  if (CONTROL.test(name)) throw new ToolError('INVALID_ARGUMENT', `${what} name contains a control character`, field);
}

/** An allowlist entry is a name, or a prefix ending in `*` (`jobs.*`); `*` alone allows every name. */
export function matchesAllowlist(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name));
}

/** Name well-formed and on its allowlist, else INVALID_ARGUMENT / ACL_DENIED naming what is allowed. */
export function checkAllowed(patterns: readonly string[], name: string, field: string, what: 'queue' | 'exchange'): void {
  checkName(name, field, what);
  if (what === 'queue' && name.startsWith('amq.'))
    throw new ToolError('ACL_DENIED', `queue '${name}': names starting with 'amq.' are reserved by the broker`, field);
  if (!matchesAllowlist(patterns, name)) {
    const allowed = patterns.length === 0 ? 'none are allowed on this server' : `allowed: ${patterns.join(', ')}`;
    throw new ToolError('ACL_DENIED', `${what} '${name}' is not allowed (${allowed})`, field);
  }
}

export function checkRoutingKey(routingKey: string, field = 'routingKey'): void {
  if (Buffer.byteLength(routingKey, 'utf8') > MAX_NAME_BYTES)
    throw new ToolError('INVALID_ARGUMENT', 'routingKey is over 255 bytes', field);
  if (CONTROL.test(routingKey)) throw new ToolError('INVALID_ARGUMENT', 'routingKey contains a control character', field);
}

export type HeaderValue = string | number | boolean;

/**
 * Message headers: names of letters, digits and `._:-`; string values printable (no control
 * characters), numbers finite, 16 KiB in all. Refused by name: `x-*`, which RabbitMQ and its plugins
 * act on (x-delay, x-match, x-death…), and `CC` / `BCC`, RabbitMQ's sender-selected distribution,
 * which would copy the message to queues outside the allowlist.
 */
export function checkHeaders(headers: Record<string, HeaderValue> | undefined): void {
  if (headers === undefined) return;
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    const field = `headers.${name}`;
    if (!HEADER_NAME.test(name))
      throw new ToolError(
        'INVALID_ARGUMENT',
        `header name '${name.slice(0, 40)}' must be 1-128 of letters, digits, '.', '_', ':' or '-'`,
        field,
      );
    const lower = name.toLowerCase();
    if (lower.startsWith('x-')) throw new ToolError('INVALID_ARGUMENT', `header '${name}': x- headers are reserved for the broker`, field);
    if (lower === 'cc' || lower === 'bcc')
      throw new ToolError('INVALID_ARGUMENT', `header '${name}' would route copies to other queues; it is refused`, field);
    if (typeof value === 'string') {
      if (value.length > MAX_HEADER_VALUE)
        throw new ToolError('TOO_LARGE', `header '${name}' is over ${MAX_HEADER_VALUE} characters`, field);
      if (CONTROL.test(value)) throw new ToolError('INVALID_ARGUMENT', `header '${name}' contains a control character`, field);
    } else if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ToolError('INVALID_ARGUMENT', `header '${name}' must be a finite number`, field);
    }
    bytes += name.length + String(value).length;
  }
  if (bytes > MAX_HEADERS_BYTES)
    throw new ToolError('TOO_LARGE', `headers are ${bytes} bytes; the limit is ${MAX_HEADERS_BYTES}`, 'headers');
}
