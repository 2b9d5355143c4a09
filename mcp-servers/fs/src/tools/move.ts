import { posix } from 'node:path';
import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { fsToolError, onPath } from '../errors.ts';
import { refuseHiddenWithin } from '../tree-guard.ts';
import { pathField, refuseWhenReadOnly } from './path-field.ts';

export function moveTool(deps: FsDeps) {
  const { backend, confinement, config, scope } = deps;
  return defineTool({
    name: 'move',
    title: 'Move or rename',
    description: `Moves or renames a file, symlink or directory to \`destination\` (the new path itself, not a directory to move into), within or across roots. Refuses an existing destination unless overwrite: true, and a directory holding denied or protected entries. ${scope}`,
    input: z.strictObject({
      path: pathField(scope, 'file or directory to move'),
      destination: pathField(scope, 'new location'),
      overwrite: z.boolean().default(false).describe('replace an existing file at destination'),
      createParents: z.boolean().default(false).describe('create missing parent directories of destination'),
    }),
    output: z.object({ path: z.string(), destination: z.string(), type: z.enum(['file', 'directory', 'symlink', 'other']) }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async run(args) {
      refuseWhenReadOnly(config.readOnly, 'move');
      const source = await confinement.resolve(args.path, { intent: 'write', follow: false });
      const target = await confinement.resolve(args.destination, { field: 'destination', intent: 'write', follow: false });
      if (source.relative === '') throw new ToolError('ACL_DENIED', `'${source.shown}' is a root and cannot be moved`, 'path');
      if (target.relative === '')
        throw new ToolError('INVALID_ARGUMENT', `'${target.shown}' is a root; give the new path itself`, 'destination');
      const stat = await onPath(source.shown, () => backend.lstat(source.absolute, source.fence));
      if (stat === undefined) throw new ToolError('NOT_FOUND', `'${source.shown}' does not exist`, 'path');
      if (stat.type === 'directory') await refuseHiddenWithin(deps, source, 'move');
      if (args.createParents) {
        const parent = await confinement.resolve(posix.dirname(target.absolute), { field: 'destination', intent: 'write' });
        await onPath(parent.shown, () => backend.mkdirp(parent.absolute, parent.fence), 'destination');
      }
      try {
        await backend.rename(source.absolute, target.absolute, { from: source.fence, to: target.fence }, { overwrite: args.overwrite });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST')
          throw new ToolError('ALREADY_EXISTS', `'${target.shown}' exists; pass overwrite: true to replace it`, 'destination');
        if (code === 'ENOTEMPTY')
          throw new ToolError('ALREADY_EXISTS', `'${target.shown}' is a directory that is not empty`, 'destination');
        // A missing parent of the destination, or a file/directory mismatch there, is about destination.
        const onDestination = code === 'EISDIR' || code === 'ENOTDIR' || code === 'ENOENT';
        throw fsToolError(error, onDestination ? target.shown : source.shown, onDestination ? 'destination' : 'path');
      }
      return {
        structured: { path: source.shown, destination: target.shown, type: stat.type },
        text: `moved ${source.shown} -> ${target.shown}`,
      };
    },
  });
}
