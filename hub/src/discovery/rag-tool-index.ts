import { createHash } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult, ToolError } from '@switchboard/kit';
import { searchCollection } from '../rag/index.ts';
import type { ToolDocument } from './tool-document.ts';

/** Calls a tool of the rag upstream by its own name (`search`, `index`, …), as the hub itself. */
export type RagCall = (tool: string, args: Record<string, unknown>) => Promise<CallToolResult>;

/** The rag server's `$in` takes at most this many values. */
const MAX_IN = 100;
/** Documents per `index` call (the server's default limit is 1,000). */
const BATCH = 200;

export interface RagSearchOptions {
  k: number;
  /** Only these tool names (the caller's); applied by the server when few enough, else here. */
  names: ReadonlySet<string>;
  servers?: readonly string[];
  tags?: readonly string[];
}

/**
 * The catalogue as a collection of the rag upstream. It is brought up to date lazily, before a search,
 * when the catalogue changed since the last sync (documents the server already holds unchanged are
 * skipped by it, so a re-sync is cheap); a search never sees a half-synced collection because syncs
 * and searches on one index are serialised.
 */
export class RagToolIndex {
  private syncedDigest: string | undefined;
  private syncedIds = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly call: RagCall,
    private readonly collection: string,
    private readonly fetchK: number,
    /** hybrid (the default), or one ranking alone: for comparing them (bench/tool-discovery). */
    private readonly mode: 'hybrid' | 'lexical' | 'vector' = 'hybrid',
  ) {}

  /** Ranked tool names for `query`, best first, among `names`. */
  search(query: string, documents: () => ToolDocument[], options: RagSearchOptions): Promise<{ name: string; score: number }[]> {
    const run = this.queue.then(async () => {
      try {
        await this.sync(documents());
        return await this.ranked(query, options).catch(async (error: unknown) => {
          // A rag server that restarted on its mock backend has lost the collection: index it again, once.
          if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
          this.syncedDigest = undefined;
          this.syncedIds.clear();
          await this.sync(documents());
          return this.ranked(query, options);
        });
      } catch (error) {
        // The rag server may have restarted (mock: empty) or lost the collection: sync again next time.
        this.syncedDigest = undefined;
        throw error;
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private async sync(documents: ToolDocument[]): Promise<void> {
    const digest = createHash('sha256').update(JSON.stringify(documents)).digest('hex');
    if (digest === this.syncedDigest) return;
    if (this.syncedDigest === undefined) await this.invoke('create_collection', { collection: this.collection, existOk: true });
    for (let i = 0; i < documents.length; i += BATCH)
      await this.invoke('index', { collection: this.collection, documents: documents.slice(i, i + BATCH) });
    const ids = new Set(documents.map((d) => d.id));
    // Tools gone since the last sync. What an earlier hub process left behind may stay: results are
    // always narrowed to the caller's current tools, so a stale document is never returned.
    const stale = [...this.syncedIds].filter((id) => !ids.has(id));
    if (stale.length > 0) await this.invoke('delete', { collection: this.collection, documentIds: stale });
    this.syncedIds = ids;
    this.syncedDigest = digest;
  }

  private async ranked(query: string, options: RagSearchOptions): Promise<{ name: string; score: number }[]> {
    const filter: Record<string, unknown> = {};
    const narrowHere = options.names.size > MAX_IN;
    if (!narrowHere) filter.name = { $in: [...options.names] };
    if (options.servers !== undefined) filter.server = { $in: [...options.servers] };
    if (options.tags !== undefined) filter.tags = { $in: [...options.tags] };
    if (options.names.size === 0) return [];
    const hits = await searchCollection(this.call, 'search', {
      collection: this.collection,
      query,
      k: narrowHere ? this.fetchK : Math.min(this.fetchK, options.k * 3),
      mode: this.mode,
      filter,
    });
    // A long schema may be split into chunks: a tool counts once, at its best chunk.
    const seen = new Set<string>();
    const ranked: { name: string; score: number }[] = [];
    for (const hit of hits) {
      if (seen.has(hit.documentId) || !options.names.has(hit.documentId)) continue;
      seen.add(hit.documentId);
      ranked.push({ name: hit.documentId, score: hit.score });
    }
    return ranked.slice(0, options.k);
  }

  private async invoke(tool: string, args: Record<string, unknown>): Promise<void> {
    const result = await this.call(tool, args);
    if (!result.isError) return;
    const error = errorOfResult(result);
    throw new ToolError(error?.code ?? 'UPSTREAM_UNAVAILABLE', `indexing the catalogue (${tool}): ${error?.message ?? 'failed'}`);
  }
}
