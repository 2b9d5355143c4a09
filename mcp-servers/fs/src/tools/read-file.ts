import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { onPath } from '../errors.ts';
import { pathField } from './path-field.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readFileTool({ backend, confinement, config, scope }: FsDeps) {
  return defineTool({
    name: 'read_file',
    title: 'Read a file',
    description: `Reads a whole file as UTF-8 text (or base64 with encoding: base64). Files over ${config.maxReadBytes} bytes are refused, never cut. ${scope}`,
    input: z.strictObject({
      path: pathField(scope),
      encoding: z.enum(['utf8', 'base64']).default('utf8').describe('utf8 (default) answers `content`; base64 answers `contentBase64`'),
    }),
    output: z.object({
      path: z.string(),
      size: z.number().int(),
      content: z.string().optional(),
      contentBase64: z.string().optional(),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ path, encoding }) {
      const target = await confinement.resolve(path);
      const stat = await onPath(target.shown, () => backend.lstat(target.absolute));
      if (stat === undefined) throw new ToolError('NOT_FOUND', `'${target.shown}' does not exist`, 'path');
      if (stat.type === 'directory') throw new ToolError('INVALID_ARGUMENT', `'${target.shown}' is a directory; use list_dir`, 'path');
      if (stat.size > config.maxReadBytes)
        throw new ToolError('TOO_LARGE', `'${target.shown}' is ${stat.size} bytes; the limit is ${config.maxReadBytes}`, 'path');
      const data = await onPath(target.shown, () => backend.readFile(target.absolute));
      if (data.byteLength > config.maxReadBytes)
        throw new ToolError('TOO_LARGE', `'${target.shown}' grew past the ${config.maxReadBytes}-byte limit`, 'path');
      if (encoding === 'base64') {
        const contentBase64 = Buffer.from(data).toString('base64');
        return { structured: { path: target.shown, size: data.byteLength, contentBase64 }, text: contentBase64 };
      }
      let content: string;
      try {
        content = utf8.decode(data);
      } catch {
        throw new ToolError('INVALID_ARGUMENT', `'${target.shown}' is not valid UTF-8; read it with encoding: base64`, 'encoding');
      }
      return { structured: { path: target.shown, size: data.byteLength, content }, text: content };
    },
  });
}
