import { ToolError } from '@switchboard/kit';
import type { CollectionMeta, RagStore } from '../backend.ts';
import type { RagConfig } from '../config.ts';
import type { EmbedderProvider } from '../embeddings/embedder.ts';
import { checkCollectionAllowed, checkCollectionName, checkDocuments, refuseWhenReadOnly } from '../guard.ts';
import type { Filter } from '../search/filter.ts';
import { type DocumentInput, type IndexOutcome, OpenCollection, type SearchMode } from './collection.ts';
import { Lru } from './lru.ts';

export interface SearchResult {
  documentId: string;
  /** `<documentId>#<chunk index>`: the id to cite. */
  chunkId: string;
  chunkIndex: number;
  score: number;
  text: string;
  metadata: Record<string, unknown>;
  /** Character offsets of the chunk in its document. */
  start: number;
  end: number;
}

export interface CollectionInfo {
  collection: string;
  embedder: string;
  dimensions: number;
  documents: number;
  chunks: number;
  chunkSize: number;
  chunkOverlap: number;
  createdAt: string;
}

export interface SearchRequest {
  query: string;
  k: number;
  mode: SearchMode;
  filter?: Filter;
}

const MAX_METADATA_BYTES = 16 * 1024;

/**
 * The RAG engine behind the tools: the ACL and limits, lazily opened collections, and the caches
 * (query vectors; recent results, dropped on every write to their collection).
 */
export class RagEngine {
  private readonly opened = new Map<string, Promise<OpenCollection>>();
  private readonly results: Lru<string, SearchResult[]>;
  readonly queryVectors: Lru<string, Float32Array>;

  constructor(
    readonly store: RagStore,
    readonly config: RagConfig,
    readonly provider: EmbedderProvider,
  ) {
    this.results = new Lru(config.queryCacheSize);
    this.queryVectors = new Lru(config.embeddingCacheSize);
  }

  async createCollection(
    name: string,
    options: { chunkSize?: number; chunkOverlap?: number; existOk?: boolean },
  ): Promise<{ info: CollectionInfo; created: boolean }> {
    this.checkAccess(name);
    refuseWhenReadOnly(this.config.readOnly, 'create_collection');
    const existing = this.store.getCollection(name);
    if (existing !== undefined) {
      if (options.existOk) return { info: this.info(existing), created: false };
      throw new ToolError('ALREADY_EXISTS', `collection '${name}' already exists (pass existOk: true to accept it)`, 'collection');
    }
    const chunkSize = options.chunkSize ?? this.config.chunkSize;
    const chunkOverlap = options.chunkOverlap ?? Math.min(this.config.chunkOverlap, Math.floor(chunkSize / 2));
    if (chunkOverlap * 2 > chunkSize)
      throw new ToolError('INVALID_ARGUMENT', `chunkOverlap ${chunkOverlap} is more than half of chunkSize ${chunkSize}`, 'chunkOverlap');
    const dimensions = await this.provider.dimensions().catch((error: unknown) => {
      if (error instanceof ToolError) throw error;
      throw new ToolError('UPSTREAM_UNAVAILABLE', `embedder '${this.provider.name}' failed: ${(error as Error).message}`);
    });
    const meta = this.store.createCollection({
      name,
      embedder: this.provider.name,
      dimensions,
      chunkSize,
      chunkOverlap,
      createdAt: new Date().toISOString(),
    });
    return { info: this.info(meta), created: true };
  }

  listCollections(): CollectionInfo[] {
    return this.store
      .listCollections()
      .filter((meta) => this.allowed(meta.name))
      .map((meta) => this.info(meta));
  }

  async index(name: string, documents: DocumentInput[], signal?: AbortSignal): Promise<IndexOutcome> {
    this.checkAccess(name);
    refuseWhenReadOnly(this.config.readOnly, 'index');
    checkDocuments(documents, { maxDocumentBytes: this.config.maxDocumentBytes, maxMetadataBytes: MAX_METADATA_BYTES });
    const collection = await this.collection(name);
    try {
      return await collection.index(documents, signal);
    } finally {
      this.invalidate(name);
    }
  }

  async search(name: string, request: SearchRequest): Promise<SearchResult[]> {
    this.checkAccess(name);
    const collection = await this.collection(name);
    const key = JSON.stringify([name, collection.meta.generation, request.mode, request.k, request.filter ?? null, request.query]);
    const cached = this.results.get(key);
    if (cached !== undefined) return cached;
    const ranked = await collection.search(request.query, request.k, request.mode, request.filter, this.queryVectors);
    const chunks = new Map(
      this.store
        .chunksByLabel(
          name,
          ranked.map((r) => r.label),
        )
        .map((c) => [c.label, c]),
    );
    const results = ranked.flatMap(({ label, score }) => {
      const chunk = chunks.get(label);
      if (chunk === undefined) return [];
      return [
        {
          documentId: chunk.documentId,
          chunkId: `${chunk.documentId}#${chunk.index}`,
          chunkIndex: chunk.index,
          score: Math.round(score * 1e6) / 1e6,
          text: chunk.text,
          metadata: collection.metadataOf(chunk.documentId),
          start: chunk.start,
          end: chunk.end,
        },
      ];
    });
    this.results.set(key, results);
    return results;
  }

  async deleteDocuments(name: string, ids: string[]): Promise<{ deleted: string[]; missing: string[]; chunksRemoved: number }> {
    this.checkAccess(name);
    refuseWhenReadOnly(this.config.readOnly, 'delete');
    const collection = await this.collection(name);
    try {
      return await collection.delete(ids);
    } finally {
      this.invalidate(name);
    }
  }

  async dropCollection(name: string): Promise<boolean> {
    this.checkAccess(name);
    refuseWhenReadOnly(this.config.readOnly, 'delete');
    const open = this.opened.get(name);
    this.opened.delete(name);
    await open?.catch(() => undefined);
    this.invalidate(name);
    return this.store.dropCollection(name);
  }

  /** An open collection (opening it on first use), for stats. */
  async collection(name: string): Promise<OpenCollection> {
    this.checkAccess(name);
    let open = this.opened.get(name);
    if (open === undefined) {
      const meta = this.store.getCollection(name);
      if (meta === undefined) throw this.notFound(name);
      open = OpenCollection.open(this.store, meta, this.provider, this.config);
      this.opened.set(name, open);
      // A failed open (an embedding endpoint down) is not remembered: the next call tries again.
      open.catch(() => this.opened.delete(name));
    }
    try {
      return await open;
    } catch (error) {
      if (error instanceof ToolError) throw error;
      throw new ToolError('UPSTREAM_UNAVAILABLE', `collection '${name}' could not be opened: ${(error as Error).message}`, 'collection');
    }
  }

  cacheStats(): { results: { size: number; hits: number; misses: number }; queryVectors: { size: number; hits: number; misses: number } } {
    const of = (lru: Lru<string, unknown>) => ({ size: lru.size, hits: lru.hits, misses: lru.misses });
    return { results: of(this.results), queryVectors: of(this.queryVectors) };
  }

  /** Saves changed HNSW graphs, then closes the store. */
  async close(): Promise<void> {
    for (const open of this.opened.values()) {
      const collection = await open.catch(() => undefined);
      collection?.save();
    }
    this.opened.clear();
    await this.provider.close?.();
    this.store.close();
  }

  allowed(name: string): boolean {
    try {
      checkCollectionAllowed(this.config.collections, name);
      return true;
    } catch {
      return false;
    }
  }

  private checkAccess(name: string): void {
    checkCollectionName(name);
    checkCollectionAllowed(this.config.collections, name);
  }

  private notFound(name: string): ToolError {
    const known = this.listCollections().map((c) => c.collection);
    return new ToolError(
      'NOT_FOUND',
      `collection '${name}' does not exist (${known.length > 0 ? `collections: ${known.slice(0, 20).join(', ')}` : 'there are none yet'}; create it with create_collection)`,
      'collection',
    );
  }

  private invalidate(name: string): void {
    const prefix = `${JSON.stringify([name]).slice(0, -1)},`;
    this.results.deleteWhere((key) => key.startsWith(prefix));
  }

  private info(meta: CollectionMeta): CollectionInfo {
    const counts = this.store.counts(meta.name);
    return {
      collection: meta.name,
      embedder: meta.embedder,
      dimensions: meta.dimensions,
      documents: counts.documents,
      chunks: counts.chunks,
      chunkSize: meta.chunkSize,
      chunkOverlap: meta.chunkOverlap,
      createdAt: meta.createdAt,
    };
  }
}
