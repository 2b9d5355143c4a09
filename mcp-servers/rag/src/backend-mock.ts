import { ToolError } from '@switchboard/kit';
import type { ChunkInput, CollectionMeta, CommitResult, RagStore, StoredChunk, StoredDocument, WriteBatch } from './backend.ts';

interface MemoryCollection {
  meta: CollectionMeta;
  documents: Map<string, StoredDocument>;
  chunks: Map<number, StoredChunk>;
  byDocument: Map<string, number[]>;
  statistics: { documents: number; df: Map<number, number> };
}

/** The in-memory store: the SQLite store's contract without a file, for `--mock` and the contract suite. */
export class MemoryRagStore implements RagStore {
  readonly kind = 'memory';
  readonly location = 'memory';
  private readonly collections = new Map<string, MemoryCollection>();
  private nextLabel = 1;

  listCollections(): CollectionMeta[] {
    return [...this.collections.values()].map((c) => ({ ...c.meta })).sort((a, b) => a.name.localeCompare(b.name));
  }

  getCollection(name: string): CollectionMeta | undefined {
    const found = this.collections.get(name);
    return found && { ...found.meta };
  }

  createCollection(meta: Omit<CollectionMeta, 'generation'>): CollectionMeta {
    if (this.collections.has(meta.name)) throw new ToolError('ALREADY_EXISTS', `collection '${meta.name}' already exists`, 'collection');
    const full = { ...meta, generation: 0 };
    this.collections.set(meta.name, {
      meta: full,
      documents: new Map(),
      chunks: new Map(),
      byDocument: new Map(),
      statistics: { documents: 0, df: new Map() },
    });
    return { ...full };
  }

  dropCollection(name: string): boolean {
    return this.collections.delete(name);
  }

  documents(collection: string, ids?: readonly string[]): StoredDocument[] {
    const c = this.need(collection);
    if (ids === undefined) return [...c.documents.values()].map(copyDocument);
    return ids.flatMap((id) => {
      const doc = c.documents.get(id);
      return doc ? [copyDocument(doc)] : [];
    });
  }

  counts(collection: string): { documents: number; chunks: number } {
    const c = this.need(collection);
    return { documents: c.documents.size, chunks: c.chunks.size };
  }

  chunksOf(collection: string, documentIds: readonly string[]): StoredChunk[] {
    const c = this.need(collection);
    return documentIds.flatMap((id) => (c.byDocument.get(id) ?? []).map((label) => withoutVector(c.chunks.get(label) as StoredChunk)));
  }

  forEachChunk(collection: string, withVectors: boolean, visit: (chunk: StoredChunk) => void): void {
    const c = this.need(collection);
    for (const label of [...c.chunks.keys()].sort((a, b) => a - b)) {
      const chunk = c.chunks.get(label) as StoredChunk;
      visit(withVectors ? { ...chunk, vector: chunk.vector.slice() } : withoutVector(chunk));
    }
  }

  chunksByLabel(collection: string, labels: readonly number[]): StoredChunk[] {
    const c = this.need(collection);
    return labels.flatMap((label) => {
      const chunk = c.chunks.get(label);
      return chunk ? [withoutVector(chunk)] : [];
    });
  }

  vectorsByHash(collection: string, hashes: readonly string[]): Map<string, Float32Array> {
    const c = this.need(collection);
    const wanted = new Set(hashes);
    const found = new Map<string, Float32Array>();
    for (const chunk of c.chunks.values())
      if (wanted.has(chunk.hash) && !found.has(chunk.hash)) found.set(chunk.hash, chunk.vector.slice());
    return found;
  }

  statistics(collection: string): { documents: number; df: Map<number, number> } {
    const { statistics } = this.need(collection);
    return { documents: statistics.documents, df: new Map(statistics.df) };
  }

  /** Computes everything first, then applies it: an error leaves the collection untouched. */
  commit(collection: string, batch: WriteBatch): CommitResult {
    const c = this.need(collection);
    const replaced = [...batch.deletes, ...batch.upserts.map((u) => u.document.id)];
    const removed = this.chunksOf(collection, replaced);
    const added: StoredChunk[] = batch.upserts.flatMap((u) => u.chunks.map((chunk) => this.label(chunk)));
    for (const chunk of removed) c.chunks.delete(chunk.label);
    for (const id of replaced) {
      c.byDocument.delete(id);
      c.documents.delete(id);
    }
    for (const { document } of batch.upserts) c.documents.set(document.id, copyDocument(document));
    for (const chunk of added) {
      c.chunks.set(chunk.label, { ...chunk, vector: chunk.vector.slice() });
      const list = c.byDocument.get(chunk.documentId) ?? [];
      list.push(chunk.label);
      c.byDocument.set(chunk.documentId, list);
    }
    if (batch.statistics) {
      c.statistics.documents += batch.statistics.documents;
      for (const [feature, change] of batch.statistics.df) {
        const next = (c.statistics.df.get(feature) ?? 0) + change;
        if (next > 0) c.statistics.df.set(feature, next);
        else c.statistics.df.delete(feature);
      }
    }
    c.meta.generation++;
    return { generation: c.meta.generation, added, removed };
  }

  indexFile(): string | undefined {
    return undefined;
  }

  close(): void {}

  private label(chunk: ChunkInput): StoredChunk {
    return { ...chunk, label: this.nextLabel++ };
  }

  private need(collection: string): MemoryCollection {
    const found = this.collections.get(collection);
    if (found === undefined) throw new ToolError('NOT_FOUND', `collection '${collection}' does not exist`, 'collection');
    return found;
  }
}

function copyDocument(doc: StoredDocument): StoredDocument {
  return { ...doc, metadata: structuredClone(doc.metadata) };
}

function withoutVector(chunk: StoredChunk): StoredChunk {
  return { ...chunk, vector: new Float32Array(0) };
}
