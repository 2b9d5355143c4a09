import { posix } from 'node:path';
import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { onPath } from '../errors.ts';
import { globMatcher } from '../glob.ts';
import { walk } from '../walk.ts';
import { pathField } from './path-field.ts';

const MAX_LINE = 300;

const MatchSchema = z.object({ path: z.string(), line: z.number().int().optional(), text: z.string().optional() });

export function searchTool({ backend, confinement, config, scope }: FsDeps) {
  return defineTool({
    name: 'search',
    title: 'Find files by name or content',
    description: `Finds files under a directory by glob (\`*.md\`, \`src/**/*.ts\`, \`{a,b}.txt\`; no slash matches the name anywhere) and/or by a substring of their text (answers each matching line). Symlinks are not followed; denied and protected paths are skipped; files over ${config.maxReadBytes} bytes are not read. ${scope}`,
    input: z
      .strictObject({
        path: pathField(scope, 'directory to search').default('.'),
        glob: z.string().min(1).max(500).optional().describe('file glob, relative to `path`'),
        contains: z.string().min(1).max(1000).optional().describe('substring the file text must contain'),
        ignoreCase: z.boolean().default(false),
        limit: z.number().int().min(1).max(1000).default(100).describe('at most this many matches; `truncated` says when more exist'),
      })
      .refine((args) => args.glob !== undefined || args.contains !== undefined, {
        message: 'give glob, contains, or both',
        path: ['glob'],
      }),
    output: z.object({ path: z.string(), matches: z.array(MatchSchema), truncated: z.boolean(), filesScanned: z.number().int() }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, { signal }) {
      const dir = await confinement.resolve(args.path);
      // The real path: an in-root symlink to a directory is searched like the directory.
      const stat = await onPath(dir.shown, () => backend.lstat(dir.real, dir.fence));
      if (stat === undefined) throw new ToolError('NOT_FOUND', `'${dir.shown}' does not exist`, 'path');
      if (stat.type !== 'directory') throw new ToolError('INVALID_ARGUMENT', `'${dir.shown}' is not a directory`, 'path');
      const matchesName = args.glob === undefined ? () => true : globMatcher(args.glob);
      const needle = args.ignoreCase ? args.contains?.toLowerCase() : args.contains;
      const matches: z.infer<typeof MatchSchema>[] = [];
      let truncated = false;
      let filesScanned = 0;
      const shownOf = (relative: string) => (dir.shown === '.' ? relative : posix.join(dir.shown, relative));
      for await (const file of onPathGenerator(dir.shown, walk(backend, confinement, dir))) {
        if (signal.aborted) throw new ToolError('TIMEOUT', 'search was cancelled');
        if (file === 'truncated' || matches.length >= args.limit) {
          truncated = true;
          break;
        }
        if (file.type !== 'file' || file.hidden) continue;
        filesScanned++;
        if (!matchesName(file.relative)) continue;
        if (needle === undefined) {
          matches.push({ path: shownOf(file.relative) });
          continue;
        }
        if (file.size > config.maxReadBytes) continue;
        let data: Uint8Array;
        try {
          data = await backend.readFile(posix.join(dir.absolute, file.relative), dir.fence, config.maxReadBytes);
        } catch {
          continue; // gone, swapped or grown since the listing: not a match
        }
        const text = new TextDecoder().decode(data);
        for (const [index, line] of text.split('\n').entries()) {
          if (!(args.ignoreCase ? line.toLowerCase() : line).includes(needle)) continue;
          if (matches.length >= args.limit) {
            truncated = true;
            break;
          }
          matches.push({ path: shownOf(file.relative), line: index + 1, text: line.slice(0, MAX_LINE) });
        }
      }
      const lines = matches.map((m) => (m.line === undefined ? m.path : `${m.path}:${m.line}: ${m.text}`));
      if (truncated) lines.push(`… more matches (raise limit or narrow the search)`);
      return { structured: { path: dir.shown, matches, truncated, filesScanned }, text: lines.join('\n') || 'no matches' };
    },
  });
}

/** Errno failures during the walk become errors about the searched directory. */
async function* onPathGenerator<T>(shown: string, source: AsyncGenerator<T>): AsyncGenerator<T> {
  for (;;) {
    const next = await onPath(shown, () => source.next());
    if (next.done) return;
    yield next.value;
  }
}
