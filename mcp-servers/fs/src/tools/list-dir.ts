import { posix } from 'node:path';
import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { onPath } from '../errors.ts';
import { pathField } from './path-field.ts';

const EntrySchema = z.object({
  name: z.string(),
  type: z.enum(['file', 'directory', 'symlink', 'other']),
  size: z.number().int(),
});

export function listDirTool({ backend, confinement, scope }: FsDeps) {
  return defineTool({
    name: 'list_dir',
    title: 'List a directory',
    description: `Lists a directory's entries (name, type, size), sorted by name; symlinks are shown, not followed. ${scope}`,
    input: z.strictObject({
      path: pathField(scope, 'directory').default('.'),
      limit: z.number().int().min(1).max(10_000).default(1000).describe('at most this many entries; `truncated` says when more exist'),
    }),
    output: z.object({ path: z.string(), entries: z.array(EntrySchema), truncated: z.boolean() }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ path, limit }) {
      const dir = await confinement.resolve(path);
      const names = (await onPath(dir.shown, () => backend.readDir(dir.absolute))).sort((a, b) => a.name.localeCompare(b.name));
      const entries = await Promise.all(
        names.slice(0, limit).map(async (entry) => {
          const stat = await backend.lstat(posix.join(dir.absolute, entry.name));
          return { name: entry.name, type: entry.type, size: stat?.size ?? 0 };
        }),
      );
      const truncated = names.length > limit;
      const lines = entries.map((e) => `${e.type === 'directory' ? `${e.name}/` : e.name}${e.type === 'file' ? ` (${e.size} B)` : ''}`);
      if (truncated) lines.push(`… ${names.length - limit} more (raise limit)`);
      return { structured: { path: dir.shown, entries, truncated }, text: lines.join('\n') || '(empty)' };
    },
  });
}
