import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { decodeText, readLimited } from '../read-limited.ts';
import { pathField } from './path-field.ts';

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
      const data = await readLimited(backend, target, config.maxReadBytes);
      if (encoding === 'base64') {
        const contentBase64 = Buffer.from(data).toString('base64');
        return { structured: { path: target.shown, size: data.byteLength, contentBase64 }, text: contentBase64 };
      }
      const content = decodeText(data, target.shown);
      return { structured: { path: target.shown, size: data.byteLength, content }, text: content };
    },
  });
}
