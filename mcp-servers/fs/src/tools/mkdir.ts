import { posix } from 'node:path';
import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { onPath } from '../errors.ts';
import { pathField, refuseWhenReadOnly } from './path-field.ts';

export function mkdirTool({ backend, confinement, config, scope }: FsDeps) {
  return defineTool({
    name: 'mkdir',
    title: 'Create a directory',
    description: `Creates a directory (and, with parents: true, the default, its missing parents). An existing directory is fine (created: false). ${scope}`,
    input: z.strictObject({
      path: pathField(scope, 'directory'),
      parents: z.boolean().default(true).describe('create missing parent directories too'),
    }),
    output: z.object({ path: z.string(), created: z.boolean() }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run({ path, parents }) {
      refuseWhenReadOnly(config.readOnly, 'mkdir');
      const target = await confinement.resolve(path, { intent: 'write' });
      const existing = await onPath(target.shown, () => backend.lstat(target.real, target.fence));
      if (existing !== undefined && existing.type !== 'directory')
        throw new ToolError('ALREADY_EXISTS', `'${target.shown}' exists and is a ${existing.type}`, 'path');
      if (existing === undefined && !parents) {
        const parent = await confinement.resolve(posix.dirname(target.absolute));
        const parentStat = await onPath(parent.shown, () => backend.lstat(parent.real, parent.fence));
        if (parentStat?.type !== 'directory')
          throw new ToolError('NOT_FOUND', `the parent of '${target.shown}' does not exist; pass parents: true`, 'path');
      }
      const created = await onPath(target.shown, () => backend.mkdirp(target.absolute, target.fence));
      return { structured: { path: target.shown, created }, text: `${created ? 'created' : 'exists:'} ${target.shown}/` };
    },
  });
}
