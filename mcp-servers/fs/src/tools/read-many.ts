import { defineTool, toErrorPayload } from '@switchboard/kit';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { decodeText, readLimited } from '../read-limited.ts';

const FileSchema = z.object({
  path: z.string(),
  size: z.number().int().optional(),
  content: z.string().optional(),
  contentBase64: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional().describe('why this one file was not read; the others still were'),
});

export function readManyTool({ backend, confinement, config, scope }: FsDeps) {
  return defineTool({
    name: 'read_many',
    title: 'Read several files',
    description: `Reads up to 100 files in one call, in order. A file that cannot be read gets an \`error\` (code, message) and the others are still read. Each file is limited to ${config.maxReadBytes} bytes and the call to ${config.maxReadManyBytes} in total; nothing is cut. ${scope}`,
    input: z.strictObject({
      paths: z.array(z.string().max(4096)).min(1).max(100).describe(`paths of the files. ${scope}`),
      encoding: z.enum(['utf8', 'base64']).default('utf8'),
    }),
    output: z.object({ files: z.array(FileSchema), totalBytes: z.number().int() }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ paths, encoding }) {
      const files: z.infer<typeof FileSchema>[] = [];
      let totalBytes = 0;
      for (const [index, path] of paths.entries()) {
        const field = `paths.${index}`;
        try {
          const target = await confinement.resolve(path, { field });
          const budget = Math.min(config.maxReadBytes, config.maxReadManyBytes - totalBytes);
          const data = await readLimited(backend, target, budget, field);
          totalBytes += data.byteLength;
          files.push(
            encoding === 'base64'
              ? { path: target.shown, size: data.byteLength, contentBase64: Buffer.from(data).toString('base64') }
              : { path: target.shown, size: data.byteLength, content: decodeText(data, target.shown, field) },
          );
        } catch (error) {
          const { code, message } = toErrorPayload(error);
          files.push({ path, error: { code, message } });
        }
      }
      const text = files
        .map((file) =>
          file.error
            ? `==> ${file.path}: ${file.error.code}: ${file.error.message}`
            : `==> ${file.path} <==\n${file.content ?? file.contentBase64}`,
        )
        .join('\n');
      return { structured: { files, totalBytes }, text };
    },
  });
}
