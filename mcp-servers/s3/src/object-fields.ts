import { ToolError } from '@switchboard/kit';

const METADATA_KEY = /^[a-z0-9][a-z0-9_-]{0,127}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+(?:\s*;[\x20-\x7e]*)?$/;
/** S3's own limit on user metadata (keys and values together). */
const MAX_METADATA_BYTES = 2048;

/**
 * User metadata travels as `x-amz-meta-*` HTTP headers: keys lowercase token characters (S3 lowercases
 * them anyway), values printable ASCII, 2 KiB in all. Anything else could split or forge headers.
 */
export function checkMetadata(metadata: Record<string, string> | undefined): void {
  if (metadata === undefined) return;
  let bytes = 0;
  for (const [key, value] of Object.entries(metadata)) {
    if (!METADATA_KEY.test(key))
      throw new ToolError('INVALID_ARGUMENT', `metadata key '${key}' must be lowercase letters, digits, '-' or '_'`, `metadata.${key}`);
    if (!PRINTABLE_ASCII.test(value))
      throw new ToolError('INVALID_ARGUMENT', `metadata '${key}' must be printable ASCII (no control characters)`, `metadata.${key}`);
    bytes += key.length + value.length;
  }
  if (bytes > MAX_METADATA_BYTES)
    throw new ToolError('TOO_LARGE', `metadata is ${bytes} bytes; S3 allows ${MAX_METADATA_BYTES}`, 'metadata');
}

export function checkContentType(contentType: string | undefined, field = 'contentType'): void {
  if (contentType === undefined) return;
  if (contentType.length > 256 || !CONTENT_TYPE.test(contentType))
    throw new ToolError('INVALID_ARGUMENT', `contentType '${contentType.slice(0, 80)}' is not a media type like 'text/plain'`, field);
}

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

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text when asked for (or, in `auto`, when the bytes are UTF-8 without NUL bytes), else base64.
 * `utf8` on bytes that are not UTF-8 is refused rather than mangled.
 */
export function encodeBody(
  data: Uint8Array,
  encoding: 'auto' | 'utf8' | 'base64',
): { content: string; contentBase64?: never } | { contentBase64: string; content?: never } {
  if (encoding !== 'base64') {
    try {
      const text = utf8.decode(data);
      if (encoding === 'utf8' || !text.includes('\0')) return { content: text };
    } catch {
      if (encoding === 'utf8')
        throw new ToolError('INVALID_ARGUMENT', 'the object is not valid UTF-8; read it with encoding: base64', 'encoding');
    }
  }
  return { contentBase64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
}
