import { ToolError } from '@switchboard/kit';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type Encoding = 'auto' | 'utf8' | 'base64';

/** Bytes of canonical base64 only: decoding and re-encoding must give the input back. */
export function fromBase64(text: string, field: string): Uint8Array {
  const data = Buffer.from(text, 'base64');
  if (data.toString('base64') !== text) throw new ToolError('INVALID_ARGUMENT', `${field} is not valid base64`, field);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The bytes of `text` (UTF-8) or of `base64`, whichever was given. */
export function bytesOf(text: string | undefined, base64: string | undefined, base64Field: string): Uint8Array | undefined {
  if (base64 !== undefined) return fromBase64(base64, base64Field);
  return text === undefined ? undefined : new TextEncoder().encode(text);
}

/** UTF-8 text or null when the bytes are not text (or hold NUL, which most tools mangle). */
function asText(data: Uint8Array): string | null {
  try {
    const text = utf8.decode(data);
    return text.includes('\0') ? null : text;
  } catch {
    return null;
  }
}

/**
 * `{ [name]: text }` when asked for (or, in `auto`, when the bytes are UTF-8), else
 * `{ [name]Base64: … }`. Refuses with INVALID_ARGUMENT (field `encoding`) when utf8 was asked for and
 * the bytes are not text.
 */
export function encodeBytes(data: Uint8Array, encoding: Encoding, name: 'value' | 'key'): Record<string, string> {
  if (encoding !== 'base64') {
    const text = encoding === 'utf8' ? strictText(data, name) : asText(data);
    if (text !== null) return { [name]: text };
  }
  return { [`${name}Base64`]: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
}

function strictText(data: Uint8Array, name: string): string {
  try {
    return utf8.decode(data);
  } catch {
    throw new ToolError('INVALID_ARGUMENT', `a message ${name} is not valid UTF-8; consume with encoding: base64`, 'encoding');
  }
}

export type HeaderJson = string | { base64: string };

/** Header bytes as JSON: text when UTF-8, else `{ base64 }`; repeated headers stay arrays. */
export function headersToJson(headers: Record<string, Uint8Array | Uint8Array[]>): Record<string, HeaderJson | HeaderJson[]> {
  const one = (data: Uint8Array): HeaderJson => asText(data) ?? { base64: Buffer.from(data).toString('base64') };
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.map(one) : one(value)]));
}
