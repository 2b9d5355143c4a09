import { createHash } from 'node:crypto';
import { ToolError } from '@switchboard/kit';
import type { ChunkInput, CollectionMeta, CommitResult, RagStore, StoredDocument } from '../backend.ts';
import type { RagConfig } from '../config.ts';
import type { CollectionEmbedder, EmbedderProvider } from '../embeddings/embedder.ts';
import type { StatsDelta } from '../embeddings/term-statistics.ts';
import { TermStatistics } from '../embeddings/term-statistics.ts';
import { checkEmbedderMatches } from '../guard.ts';
import { Bm25Index } from '../search/bm25.ts';
import { compileFilter, type Filter } from '../search/filter.ts';
import { reciprocalRankFusion } from '../search/fuse.ts';
import type { Scored } from '../search/top-k.ts';
import type { LabelFilter, VectorIndex } from '../search/vector-index.ts';
import { chunkText } from '../text/chunk.ts';
import { terms } from '../text/tokenize.ts';
import type { Lru } from './lru.ts';
import { openVectorIndex, saveVectorIndex, upgradeToHnsw } from './vector-store.ts';

export type SearchMode = 'vector' | 'lexical' | 'hybrid';

export interface DocumentInput {
  id: string;
  text: string;
  metadata?: Record<string, unknown>;
}

export interface IndexOutcome {
  indexed: { id: string; chunks: number }[];
  unchanged: string[];
  chunksAdded: number;
  chunksRemoved: number;
  embedded: number;
  generation: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One open collection: the stored documents and chunks mirrored into a vector index, a BM25 index
 * and a label → document map. Writes are serialised per collection; each is one store commit, and the
 * memory is changed only after the commit succeeded.
 */
export class OpenCollection {
  private readonly lexical: Bm25Index;
  private readonly chunkDocument = new Map<number, string>();
  private readonly documents = new Map<string, { hash: string; metadata: Record<string, unknown> }>();
  private vectors: VectorIndex;
  private savedGeneration: number | undefined;
  /** Whether the vector index was read from its saved file or built from the stored vectors at open. */
  readonly indexSource: 'saved' | 'built';
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly meta: CollectionMeta,
    private readonly store: RagStore,
    private readonly config: RagConfig,
    /** Undefined when the server's embedder is not the collection's: lexical search still works. */
    readonly embedder: CollectionEmbedder | undefined,
    private readonly embedderProblem: ToolError | undefined,
  ) {
    this.lexical = new Bm25Index(config.bm25);
    let chunks = 0;
    for (const doc of store.documents(meta.name)) {
      this.documents.set(doc.id, { hash: doc.hash, metadata: doc.metadata });
      chunks += doc.chunkCount;
    }
    const opened = openVectorIndex(
      store,
      {
        collection: meta.name,
        embedder: meta.embedder,
        dimensions: meta.dimensions,
        generation: meta.generation,
        chunks,
        threshold: config.hnswThreshold,
        hnsw: config.hnsw,
      },
      (chunk) => {
        this.chunkDocument.set(chunk.label, chunk.documentId);
        this.lexical.add(chunk.label, terms(chunk.text));
      },
    );
    this.vectors = opened.index;
    this.savedGeneration = opened.savedGeneration;
    this.indexSource = opened.source;
  }

  static async open(store: RagStore, meta: CollectionMeta, provider: EmbedderProvider, config: RagConfig): Promise<OpenCollection> {
    let embedder: CollectionEmbedder | undefined;
    let problem: ToolError | undefined;
    try {
      checkEmbedderMatches(meta, provider.name, meta.embedder === provider.name ? await provider.dimensions() : undefined);
      embedder = await provider.forCollection(TermStatistics.from(store.statistics(meta.name)));
    } catch (error) {
      // A mismatch or a missing optional package is a lasting state of this collection; anything
      // else (an endpoint down) is thrown, so the next call tries again.
      if (!(error instanceof ToolError)) throw error;
      problem = error;
    }
    return new OpenCollection(meta, store, config, embedder, problem);
  }

  get name(): string {
    return this.meta.name;
  }

  get documentCount(): number {
    return this.documents.size;
  }

  get chunkCount(): number {
    return this.chunkDocument.size;
  }

  get indexKind(): 'exact' | 'hnsw' {
    return this.vectors.kind;
  }

  /** The vector index itself, for diagnostics and benchmarks. */
  get vectorIndex(): VectorIndex {
    return this.vectors;
  }

  get vectorBytes(): number {
    return this.vectors.memoryBytes();
  }

  get vocabulary(): number {
    return this.lexical.vocabulary;
  }

  /** Indexes documents in one commit: unchanged ones (same hash) are skipped, changed ones replaced whole. */
  index(documents: readonly DocumentInput[], signal?: AbortSignal): Promise<IndexOutcome> {
    return this.serialise(async () => {
      const embedder = this.needEmbedder();
      const changed = documents.filter((doc) => this.documents.get(doc.id)?.hash !== documentHash(doc));
      const unchanged = documents.filter((doc) => !changed.includes(doc)).map((doc) => doc.id);
      if (changed.length === 0)
        return { indexed: [], unchanged, chunksAdded: 0, chunksRemoved: 0, embedded: 0, generation: this.meta.generation };
      const now = new Date().toISOString();
      const prepared = changed.map((doc) => {
        const chunks = chunkText(doc.text, { size: this.meta.chunkSize, overlap: this.meta.chunkOverlap });
        const document: StoredDocument = {
          id: doc.id,
          hash: documentHash(doc),
          metadata: doc.metadata ?? {},
          bytes: Buffer.byteLength(doc.text, 'utf8'),
          chunkCount: chunks.length,
          indexedAt: now,
        };
        return { document, chunks: chunks.map((c) => ({ ...c, documentId: doc.id, hash: sha256(c.text) })) };
      });
      const replacing = this.store.chunksOf(
        this.name,
        changed.filter((doc) => this.documents.has(doc.id)).map((doc) => doc.id),
      );
      const newChunks = prepared.flatMap((p) => p.chunks);
      const vectors = await this.vectorsFor(embedder, newChunks, replacing, signal);
      const upserts = prepared.map((p) => ({
        document: p.document,
        chunks: p.chunks.map((c): ChunkInput => ({ ...c, vector: vectors.byHash.get(c.hash) as Float32Array })),
      }));
      const result = this.commit(embedder, { upserts, deletes: [] }, vectors.delta);
      this.maybeUpgrade();
      return {
        indexed: prepared.map((p) => ({ id: p.document.id, chunks: p.chunks.length })),
        unchanged,
        chunksAdded: result.added.length,
        chunksRemoved: result.removed.length,
        embedded: vectors.embedded,
        generation: result.generation,
      };
    });
  }

  /** Deletes documents (their chunks and their share of the statistics). Unknown ids are reported, not an error. */
  delete(ids: readonly string[]): Promise<{ deleted: string[]; missing: string[]; chunksRemoved: number }> {
    return this.serialise(async () => {
      const embedder = this.needEmbedder();
      const deleted = ids.filter((id) => this.documents.has(id));
      const missing = ids.filter((id) => !this.documents.has(id));
      if (deleted.length === 0) return { deleted, missing, chunksRemoved: 0 };
      const removedTexts = this.store.chunksOf(this.name, deleted).map((c) => c.text);
      const delta = embedder.statisticsDelta?.([], removedTexts);
      if (delta) embedder.statistics?.apply(delta);
      const result = this.commit(embedder, { upserts: [], deletes: deleted }, delta);
      return { deleted, missing, chunksRemoved: result.removed.length };
    });
  }

  /** Ranked chunk labels for a query; the engine turns them into results. `queryVectors` caches query embeddings. */
  async search(query: string, k: number, mode: SearchMode, filter?: Filter, queryVectors?: Lru<string, Float32Array>): Promise<Scored[]> {
    const predicate = filter === undefined ? undefined : compileFilter(filter);
    const accept: LabelFilter | undefined =
      predicate && ((label) => predicate(this.documents.get(this.chunkDocument.get(label) as string)?.metadata ?? {}));
    const depth = mode === 'hybrid' ? Math.max(2 * k, 50) : k;
    const lexical = mode === 'vector' ? [] : this.lexical.search(terms(query), depth, accept);
    if (mode === 'lexical') return lexical;
    const embedder = this.needEmbedder();
    // Keyed by the statistics version too: a write that shifts the IDF makes older query vectors stale.
    const key = `${this.name}\u0000${embedder.statistics?.version ?? 0}\u0000${sha256(query)}`;
    let queryVector = queryVectors?.get(key);
    if (queryVector === undefined) {
      queryVector = await embedding(embedder, () => embedder.embedQuery(query));
      queryVectors?.set(key, queryVector);
    }
    const vector = this.vectors.search(queryVector, depth, accept);
    if (mode === 'vector') return vector;
    return reciprocalRankFusion(
      [
        { results: lexical, weight: 1 },
        { results: vector, weight: 1 },
      ],
      this.config.rrfK,
      k,
    );
  }

  metadataOf(documentId: string): Record<string, unknown> {
    return this.documents.get(documentId)?.metadata ?? {};
  }

  /** Saves the HNSW graph if it changed since it was last saved (exact indexes need no file). */
  save(): boolean {
    if (this.savedGeneration === this.meta.generation) return false;
    const saved = saveVectorIndex(this.store, this.name, this.vectors, {
      generation: this.meta.generation,
      dimensions: this.meta.dimensions,
      embedder: this.meta.embedder,
    });
    if (saved) this.savedGeneration = this.meta.generation;
    return saved;
  }

  /** Embeds what is new: vectors of identical chunk text are reused from the store, not recomputed. */
  private async vectorsFor(
    embedder: CollectionEmbedder,
    chunks: readonly { text: string; hash: string }[],
    replacing: readonly { text: string }[],
    signal?: AbortSignal,
  ): Promise<{ byHash: Map<string, Float32Array>; delta: StatsDelta | undefined; embedded: number }> {
    // Statistics first: the new chunks' own features must count in the IDF they are embedded with.
    const delta = embedder.statisticsDelta?.(
      chunks.map((c) => c.text),
      replacing.map((c) => c.text),
    );
    if (delta) embedder.statistics?.apply(delta);
    try {
      const byHash = this.store.vectorsByHash(this.name, [...new Set(chunks.map((c) => c.hash))]);
      const missing = [...new Map(chunks.filter((c) => !byHash.has(c.hash)).map((c) => [c.hash, c.text])).entries()];
      const vectors = await embedding(embedder, () => embedder.embedDocuments(missing.map(([, text]) => text)));
      for (const [i, [hash]] of missing.entries()) byHash.set(hash, vectors[i] as Float32Array);
      if (signal?.aborted) throw new ToolError('TIMEOUT', 'index was cancelled before anything was written');
      return { byHash, delta, embedded: missing.length };
    } catch (error) {
      if (delta) embedder.statistics?.apply(delta, -1);
      throw error;
    }
  }

  private commit(
    embedder: CollectionEmbedder,
    batch: { upserts: { document: StoredDocument; chunks: ChunkInput[] }[]; deletes: string[] },
    delta?: StatsDelta,
  ): CommitResult {
    let result: CommitResult;
    try {
      result = this.store.commit(this.name, { ...batch, ...(delta ? { statistics: delta } : {}) });
    } catch (error) {
      if (delta) embedder.statistics?.apply(delta, -1);
      throw error;
    }
    for (const chunk of result.removed) {
      this.vectors.remove(chunk.label);
      this.lexical.remove(chunk.label, terms(chunk.text));
      this.chunkDocument.delete(chunk.label);
    }
    for (const id of batch.deletes) this.documents.delete(id);
    for (const { document } of batch.upserts) this.documents.set(document.id, { hash: document.hash, metadata: document.metadata });
    for (const chunk of result.added) {
      this.vectors.add(chunk.label, chunk.vector);
      this.lexical.add(chunk.label, terms(chunk.text));
      this.chunkDocument.set(chunk.label, chunk.documentId);
    }
    this.meta.generation = result.generation;
    return result;
  }

  private maybeUpgrade(): void {
    if (this.vectors.kind === 'exact' && this.vectors.size > this.config.hnswThreshold)
      this.vectors = upgradeToHnsw(this.vectors, this.config.hnsw);
  }

  private needEmbedder(): CollectionEmbedder {
    if (this.embedder === undefined) throw this.embedderProblem ?? new ToolError('INVALID_CONFIG', 'no embedder', 'collection');
    return this.embedder;
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writing.then(work, work);
    this.writing = next.catch(() => {});
    return next;
  }
}

/** Text and metadata both count: a metadata-only change re-indexes (reusing the stored vectors). */
export function documentHash(doc: DocumentInput): string {
  return sha256(`${doc.text}\u0000${stableJson(doc.metadata ?? {})}`);
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` hash alike. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** A failing embedder (endpoint down, bad answer) is the upstream's fault, said so with its name. */
async function embedding<T>(embedder: CollectionEmbedder, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ToolError) throw error;
    throw new ToolError('UPSTREAM_UNAVAILABLE', `embedder '${embedder.name}' failed: ${(error as Error).message}`);
  }
}
