import type { StatsDelta } from './embeddings/term-statistics.ts';

/** What a collection is, as stored: its embedder is fixed at creation, so vectors stay comparable. */
export interface CollectionMeta {
  name: string;
  embedder: string;
  dimensions: number;
  chunkSize: number;
  chunkOverlap: number;
  createdAt: string;
  /** Bumped by every committed write; saved index files carry the generation they were built at. */
  generation: number;
}

export interface StoredDocument {
  id: string;
  /** sha256 of text + metadata: an unchanged document is skipped on re-index. */
  hash: string;
  metadata: Record<string, unknown>;
  bytes: number;
  chunkCount: number;
  indexedAt: string;
}

export interface ChunkInput {
  documentId: string;
  index: number;
  start: number;
  end: number;
  text: string;
  /** sha256 of the chunk text: the key for reusing its vector. */
  hash: string;
  vector: Float32Array;
}

/** A stored chunk; `label` is its numeric id in the vector and lexical indexes. */
export interface StoredChunk extends ChunkInput {
  label: number;
}

/** One write, applied all or nothing. */
export interface WriteBatch {
  /** Documents to insert or replace (their old chunks go). */
  upserts: { document: StoredDocument; chunks: ChunkInput[] }[];
  deletes: string[];
  statistics?: StatsDelta;
}

export interface CommitResult {
  generation: number;
  added: StoredChunk[];
  removed: StoredChunk[];
}

/**
 * The port every tool works through, via the engine: documents, chunks with their vectors, and the
 * embedder's statistics, per collection. Synchronous, since SQLite is; `commit` is atomic.
 */
export interface RagStore {
  readonly kind: 'sqlite' | 'memory';
  /** Where the store lives, for stats (a directory, or 'memory'). */
  readonly location: string;
  listCollections(): CollectionMeta[];
  getCollection(name: string): CollectionMeta | undefined;
  /** Throws `ALREADY_EXISTS` (a ToolError) when the name is taken. */
  createCollection(meta: Omit<CollectionMeta, 'generation'>): CollectionMeta;
  /** Removes the collection and everything in it; false when it did not exist. */
  dropCollection(name: string): boolean;
  documents(collection: string, ids?: readonly string[]): StoredDocument[];
  /** Document and chunk counts, without loading them. */
  counts(collection: string): { documents: number; chunks: number };
  /** Chunks of these documents, without vectors (what a write replaces). */
  chunksOf(collection: string, documentIds: readonly string[]): StoredChunk[];
  /** Visits every chunk in label order, streaming (a collection may not fit twice in memory). */
  forEachChunk(collection: string, withVectors: boolean, visit: (chunk: StoredChunk) => void): void;
  /** Chunks by label, without vectors (for search results). */
  chunksByLabel(collection: string, labels: readonly number[]): StoredChunk[];
  /** Stored vectors by chunk hash, to reuse instead of re-embedding unchanged text. */
  vectorsByHash(collection: string, hashes: readonly string[]): Map<string, Float32Array>;
  statistics(collection: string): { documents: number; df: Map<number, number> };
  commit(collection: string, batch: WriteBatch): CommitResult;
  /** Where index files of this collection may be kept; undefined for a store that keeps no files. */
  indexFile(collection: string): string | undefined;
  close(): void;
}
