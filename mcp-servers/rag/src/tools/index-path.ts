import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { extname, posix } from 'node:path';
import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { RagDeps } from '../deps.ts';
import { globMatcher } from '../glob.ts';
import { refuseWhenReadOnly } from '../guard.ts';
import { collectionField, IndexOutcomeSchema } from './fields.ts';

export const DEFAULT_GLOB =
  '**/*.{md,markdown,mdx,txt,rst,adoc,ts,tsx,js,mjs,cjs,jsx,py,go,rs,java,kt,c,h,cc,cpp,hpp,cs,rb,php,sh,sql,yaml,yml,toml,json}';
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function indexPathTool({ engine, config, confinement, scope }: RagDeps) {
  const roots =
    config.roots.length > 0
      ? `Roots: ${config.roots.join(', ')} (relative paths resolve against ${config.roots[0]}; symlinks are never followed)`
      : 'Disabled: this server has no --root.';
  return defineTool({
    name: 'index_path',
    title: 'Index files',
    description:
      `Indexes text files under a directory (markdown, code, text; by glob) into a collection, one document per file with its path as id. ` +
      `Unchanged files are skipped; files over ${config.maxDocumentBytes} bytes or not UTF-8 are listed in \`skipped\`, never cut. ${roots}. ${scope}`,
    input: z.strictObject({
      collection: collectionField(scope),
      path: z.string().max(4096).default('.').describe(`directory to index. ${roots}`),
      glob: z
        .string()
        .min(1)
        .max(500)
        .default(DEFAULT_GLOB)
        .describe('which files, relative to `path` (`**/*.md`, `src/**/*.ts`, `{a,b}.txt`)'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(config.maxFiles)
        .default(config.maxFiles)
        .describe('at most this many files; `truncated` says when more matched'),
      prune: z
        .boolean()
        .default(false)
        .describe('also delete documents indexed from this directory whose files are gone (not when truncated)'),
    }),
    output: z.object({
      ...IndexOutcomeSchema,
      files: z.number().int(),
      skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
      pruned: z.array(z.string()),
      truncated: z.boolean(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, { signal }) {
      // Refusals first, before touching the disk: read-only, the allowlist, an unknown collection.
      refuseWhenReadOnly(config.readOnly, 'index_path');
      await engine.collection(args.collection);
      const dir = await confinement.resolve(args.path);
      if (!(await stat(dir.absolute)).isDirectory()) throw new ToolError('INVALID_ARGUMENT', `'${dir.shown}' is not a directory`, 'path');
      const matches = globMatcher(args.glob);
      const documents: { id: string; text: string; metadata: Record<string, unknown> }[] = [];
      const skipped: { path: string; reason: string }[] = [];
      let truncated = false;
      for await (const relative of walk(dir.absolute)) {
        if (signal.aborted) throw new ToolError('TIMEOUT', 'index_path was cancelled before anything was written');
        if (!matches(relative)) continue;
        if (documents.length + skipped.length >= args.limit) {
          truncated = true;
          break;
        }
        const id = confinement.documentId(dir, relative);
        const bytes = await readNoFollow(posix.join(dir.absolute, relative), config.maxDocumentBytes);
        if (typeof bytes === 'number') {
          skipped.push({ path: id, reason: `${bytes} bytes, over the ${config.maxDocumentBytes}-byte limit` });
          continue;
        }
        if (bytes === undefined) {
          skipped.push({ path: id, reason: 'replaced by a symlink or gone while indexing' });
          continue;
        }
        let text: string;
        try {
          text = utf8.decode(bytes);
        } catch {
          skipped.push({ path: id, reason: 'not UTF-8 text' });
          continue;
        }
        if (text.includes('\u0000')) {
          skipped.push({ path: id, reason: 'binary (contains NUL bytes)' });
          continue;
        }
        documents.push({ id, text, metadata: { path: id, extension: extname(relative).slice(1), source: 'index_path' } });
      }
      const empty = { indexed: [], unchanged: [], chunksAdded: 0, chunksRemoved: 0, embedded: 0 };
      const { generation: _, ...outcome } =
        documents.length > 0 ? await engine.index(args.collection, documents, signal) : { ...empty, generation: 0 };
      const pruned =
        args.prune && !truncated ? await prune(engine, args.collection, dir.shown, new Set(documents.map((d) => d.id)), skipped) : [];
      return {
        structured: { collection: args.collection, ...outcome, files: documents.length, skipped, pruned, truncated },
        text:
          `indexed ${outcome.indexed.length} of ${documents.length} files from ${dir.shown} into ${args.collection} (${outcome.unchanged.length} unchanged)` +
          `${skipped.length > 0 ? `; skipped ${skipped.length}: ${skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}` : ''}` +
          `${pruned.length > 0 ? `; pruned ${pruned.length}` : ''}${truncated ? '; truncated: raise limit or narrow the glob' : ''}`,
      };
    },
  });
}

/**
 * Reads a file without following a symlink (O_NOFOLLOW: a file swapped for a link after the walk is
 * refused, not read). Answers the size instead when it is over `limit`, undefined when it is gone.
 */
async function readNoFollow(file: string, limit: number): Promise<Uint8Array | number | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    if (size > limit) return size;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Deletes documents that came from files under `shown` and were not seen now (skipped files are kept). */
async function prune(
  engine: RagDeps['engine'],
  collection: string,
  shown: string,
  seen: Set<string>,
  skipped: { path: string }[],
): Promise<string[]> {
  const keep = new Set([...seen, ...skipped.map((s) => s.path)]);
  const prefix = shown === '.' ? '' : `${shown}/`;
  const gone = engine.store
    .documents(collection)
    .filter((doc) => doc.metadata.source === 'index_path' && doc.id.startsWith(prefix) && !keep.has(doc.id))
    .map((doc) => doc.id);
  if (gone.length === 0) return [];
  return (await engine.deleteDocuments(collection, gone)).deleted;
}

/** Files under `root`, relative paths in name order; symlinks and VCS/dependency folders are skipped. */
async function* walk(root: string): AsyncGenerator<string> {
  const pending = [''];
  while (pending.length > 0) {
    const relativeDir = pending.shift() as string;
    const entries = (await readdir(posix.join(root, relativeDir), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) pending.push(relative);
      else if (entry.isFile()) yield relative;
    }
  }
}
