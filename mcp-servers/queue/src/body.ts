import { ToolError } from '@switchboard/kit';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes of `content` (UTF-8) or `contentBase64`, with the field they came from. */
export function bodyOf(args: { content?: string | undefined; contentBase64?: string | undefined }): { data: Uint8Array; field: string } {
  if (args.contentBase64 !== undefined) {
    // Canonical base64 only: decoding and re-encoding must give the input back. Linear and fast,
    // where a validating regex takes tens of milliseconds per MiB.
    const data = Buffer.from(args.contentBase64, 'base64');
    if (data.toString('base64') !== args.contentBase64)
      throw new ToolError('INVALID_ARGUMENT', 'contentBase64 is not valid base64', 'contentBase64');
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), field: 'contentBase64' };
  }
  return { data: new TextEncoder().encode(args.content ?? ''), field: 'content' };
}

/** Text when asked for (or, in `auto`, when the bytes are UTF-8 without NUL bytes), else base64. */
export function encodeBody(data: Uint8Array, encoding: 'auto' | 'utf8' | 'base64'): { content: string } | { contentBase64: string } {
  if (encoding !== 'base64') {
    try {
      const text = utf8.decode(data);
      if (encoding === 'utf8' || !text.includes('\0')) return { content: text };
    } catch {
      if (encoding === 'utf8')
        throw new ToolError('INVALID_ARGUMENT', 'a message is not valid UTF-8; consume with encoding: base64', 'encoding');
    }
  }
  return { contentBase64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
}

/**
 * AMQP header tables may hold byte strings, timestamps, nested tables and 64-bit integers; answers
 * must be JSON. Bytes become `{ base64 }`, dates ISO strings, bigints decimal strings.
 */
export function jsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
