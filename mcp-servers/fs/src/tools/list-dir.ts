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
    description: `Lists a directory's entries (name, type, size), sorted by name; symlinks are shown, not followed; denied and protected entries are left out (\`hidden\` counts them). ${scope}`,
    input: z.strictObject({
      path: pathField(scope, 'directory').default('.'),
      limit: z.number().int().min(1).max(10_000).default(1000).describe('at most this many entries; `truncated` says when more exist'),
    }),
    output: z.object({ path: z.string(), entries: z.array(EntrySchema), truncated: z.boolean(), hidden: z.number().int() }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ path, limit }) {
      const dir = await confinement.resolve(path);
      const all = await onPath(dir.shown, () => backend.readDir(dir.absolute, dir.fence));
      const visible = [];
      for (const entry of all) if (!(await confinement.hidden(dir, entry.name))) visible.push(entry);
      visible.sort((a, b) => a.name.localeCompare(b.name));
      const entries = visible.slice(0, limit).map(({ name, type, size }) => ({ name, type, size }));
      const truncated = visible.length > limit;
      const hidden = all.length - visible.length;
      const lines = entries.map((e) => `${e.type === 'directory' ? `${e.name}/` : e.name}${e.type === 'file' ? ` (${e.size} B)` : ''}`);
      if (truncated) lines.push(`… ${visible.length - limit} more (raise limit)`);
      return { structured: { path: dir.shown, entries, truncated, hidden }, text: lines.join('\n') || '(empty)' };
    },
  });
}
