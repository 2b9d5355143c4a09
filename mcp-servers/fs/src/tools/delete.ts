import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { onPath } from '../errors.ts';
import { refuseHiddenWithin } from '../tree-guard.ts';
import { pathField, refuseWhenReadOnly } from './path-field.ts';

export function deleteTool(deps: FsDeps) {
  const { backend, confinement, config, scope } = deps;
  return defineTool({
    name: 'delete',
    title: 'Delete a file or directory',
    description: `Deletes a file, a symlink (never its target) or, with recursive: true, a directory and everything in it (refused when it holds a denied or protected entry). A root itself cannot be deleted. ${scope}`,
    input: z.strictObject({
      path: pathField(scope, 'file or directory'),
      recursive: z.boolean().default(false).describe('required to delete a non-empty directory'),
    }),
    output: z.object({ path: z.string(), type: z.enum(['file', 'directory', 'symlink', 'other']), deleted: z.literal(true) }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async run({ path, recursive }) {
      refuseWhenReadOnly(config.readOnly, 'delete');
      const target = await confinement.resolve(path, { intent: 'write', follow: false });
      if (target.relative === '') throw new ToolError('ACL_DENIED', `'${target.shown}' is a root and cannot be deleted`, 'path');
      const stat = await onPath(target.shown, () => backend.lstat(target.absolute, target.fence));
      if (stat === undefined) throw new ToolError('NOT_FOUND', `'${target.shown}' does not exist`, 'path');
      if (stat.type === 'directory' && recursive) await refuseHiddenWithin(deps, target, 'delete');
      await onPath(target.shown, () => backend.remove(target.absolute, recursive, target.fence));
      return { structured: { path: target.shown, type: stat.type, deleted: true as const }, text: `deleted ${target.shown}` };
    },
  });
}
