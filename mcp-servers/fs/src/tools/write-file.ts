import { posix } from 'node:path';
import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { onPath } from '../errors.ts';
import { pathField, refuseWhenReadOnly } from './path-field.ts';

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function writeFileTool({ backend, confinement, config, scope }: FsDeps) {
  return defineTool({
    name: 'write_file',
    title: 'Write a file',
    description: `Creates or replaces a file atomically (readers never see half a file). A symlink inside the root is written through to its target; one leading out is refused. Give \`content\` (text) or \`contentBase64\` (bytes), at most ${config.maxWriteBytes} bytes. ${scope}`,
    input: z
      .strictObject({
        path: pathField(scope),
        content: z.string().optional().describe('the new text, written as UTF-8'),
        contentBase64: z.string().optional().describe('the new bytes, base64-encoded'),
        createParents: z.boolean().default(true).describe('create missing parent directories'),
        overwrite: z.boolean().default(true).describe('false refuses to replace an existing file'),
      })
      .refine((args) => (args.content === undefined) !== (args.contentBase64 === undefined), {
        message: 'give exactly one of content and contentBase64',
        path: ['content'],
      }),
    output: z.object({ path: z.string(), size: z.number().int(), created: z.boolean() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async run(args) {
      refuseWhenReadOnly(config.readOnly, 'write_file');
      let data: Uint8Array;
      if (args.contentBase64 !== undefined) {
        if (!base64.test(args.contentBase64)) throw new ToolError('INVALID_ARGUMENT', 'contentBase64 is not valid base64', 'contentBase64');
        data = new Uint8Array(Buffer.from(args.contentBase64, 'base64'));
      } else data = new TextEncoder().encode(args.content);
      const field = args.contentBase64 === undefined ? 'content' : 'contentBase64';
      if (data.byteLength > config.maxWriteBytes)
        throw new ToolError('TOO_LARGE', `${data.byteLength} bytes exceed the ${config.maxWriteBytes}-byte write limit`, field);
      // Followed like a read: a symlink leading out is refused, one inside the root is written through.
      const target = await confinement.resolve(args.path, { intent: 'write' });
      if (target.relative === '') throw new ToolError('INVALID_ARGUMENT', `'${target.shown}' is a root directory`, 'path');
      const existing = await onPath(target.shown, () => backend.lstat(target.real, target.fence));
      if (existing?.type === 'directory') throw new ToolError('INVALID_ARGUMENT', `'${target.shown}' is a directory`, 'path');
      if (existing !== undefined && !args.overwrite)
        throw new ToolError('ALREADY_EXISTS', `'${target.shown}' exists and overwrite is false`, 'path');
      if (args.createParents) {
        const parent = await confinement.resolve(posix.dirname(target.absolute), { intent: 'write' });
        await onPath(parent.shown, () => backend.mkdirp(parent.absolute, parent.fence));
      }
      await onPath(target.shown, () => backend.writeFile(target.real, data, target.fence, { exclusive: !args.overwrite }));
      const created = existing === undefined;
      return {
        structured: { path: target.shown, size: data.byteLength, created },
        text: `${created ? 'created' : 'wrote'} ${target.shown} (${data.byteLength} bytes)`,
      };
    },
  });
}
