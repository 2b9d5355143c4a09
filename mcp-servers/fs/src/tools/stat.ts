import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { onPath } from '../errors.ts';
import { pathField } from './path-field.ts';

export function statTool({ backend, confinement, scope }: FsDeps) {
  return defineTool({
    name: 'stat',
    title: 'Describe a path',
    description: `Type, size and modification time of a file or directory (a symlink is described, not followed). ${scope}`,
    input: z.strictObject({ path: pathField(scope, 'file or directory') }),
    output: z.object({
      path: z.string(),
      type: z.enum(['file', 'directory', 'symlink', 'other']),
      size: z.number().int(),
      modifiedAt: z.string(),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ path }) {
      const target = await confinement.resolve(path, { follow: false });
      const stat = await onPath(target.shown, () => backend.lstat(target.absolute, target.fence));
      if (stat === undefined) throw new ToolError('NOT_FOUND', `'${target.shown}' does not exist`, 'path');
      return {
        structured: { path: target.shown, ...stat },
        text: `${target.shown}: ${stat.type}, ${stat.size} bytes, modified ${stat.modifiedAt}`,
      };
    },
  });
}
