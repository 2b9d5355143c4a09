import { ToolError } from '@switchboard/kit';
import type { FsBackend } from './backend.ts';
import type { Confined } from './confine.ts';
import { fsToolError } from './errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a confined file, refusing (never cutting) one over `limit` bytes. */
export async function readLimited(backend: FsBackend, target: Confined, limit: number, field = 'path'): Promise<Uint8Array> {
  try {
    return await backend.readFile(target.absolute, target.fence, limit);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EFBIG') {
      const size = (error as { size?: number }).size;
      throw new ToolError('TOO_LARGE', `'${target.shown}' is ${size ?? 'over'} bytes; the limit is ${limit}`, field);
    }
    if (code === 'EISDIR') throw new ToolError('INVALID_ARGUMENT', `'${target.shown}' is a directory; use list_dir`, field);
    throw fsToolError(error, target.shown, field);
  }
}

/** Strict UTF-8: bytes that are not text are refused with the way to read them. */
export function decodeText(data: Uint8Array, shown: string, field = 'encoding'): string {
  try {
    return utf8.decode(data);
  } catch {
    throw new ToolError('INVALID_ARGUMENT', `'${shown}' is not valid UTF-8; read it with encoding: base64`, field);
  }
}
