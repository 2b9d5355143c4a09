import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ToolError } from '@switchboard/kit';
import type Database from 'better-sqlite3';
import type { CollectionMeta, CommitResult, RagStore, StoredChunk, StoredDocument, WriteBatch } from './backend.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS collections (
  name TEXT PRIMARY KEY, embedder TEXT NOT NULL, dimensions INTEGER NOT NULL, chunk_size INTEGER NOT NULL,
  chunk_overlap INTEGER NOT NULL, created_at TEXT NOT NULL, generation INTEGER NOT NULL DEFAULT 0,
  stat_documents INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS documents (
  collection TEXT NOT NULL, id TEXT NOT NULL, hash TEXT NOT NULL, metadata TEXT NOT NULL, bytes INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL, indexed_at TEXT NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunks (
  label INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, document_id TEXT NOT NULL, idx INTEGER NOT NULL,
  start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, hash TEXT NOT NULL, vector BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks (collection, document_id);
CREATE INDEX IF NOT EXISTS chunks_by_hash ON chunks (collection, hash);
CREATE TABLE IF NOT EXISTS term_df (
  collection TEXT NOT NULL, feature INTEGER NOT NULL, df INTEGER NOT NULL, PRIMARY KEY (collection, feature)) WITHOUT ROWID;
`;

interface ChunkRow {
  label: number;
  document_id: string;
  idx: number;
  start: number;
  end: number;
  text: string;
  hash: string;
  vector?: Buffer;
}

interface DocumentRow {
  id: string;
  hash: string;
  metadata: string;
  bytes: number;
  chunk_count: number;
  indexed_at: string;
}

interface CollectionRow {
  name: string;
  embedder: string;
  dimensions: number;
  chunk_size: number;
  chunk_overlap: number;
  created_at: string;
  generation: number;
}

/**
 * Collections in one SQLite file under the data dir (`rag.sqlite`, WAL), index files beside it in
 * `indexes/`. Every write is one transaction, so a crash leaves each collection as it was before the
 * write or after it. The file is locked exclusively: a second server on the same data dir is refused
 * at start instead of letting two in-memory indexes drift apart.
 */
export class SqliteRagStore implements RagStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly indexDir: string;

  constructor(readonly location: string) {
    mkdirSync(location, { recursive: true });
    this.indexDir = join(location, 'indexes');
    mkdirSync(this.indexDir, { recursive: true });
    // Loaded on first use, so a --mock server never pays for the native driver at start.
    const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
    this.db = new Driver(join(location, 'rag.sqlite'), { timeout: 0 });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.exec('BEGIN EXCLUSIVE; COMMIT;');
    } catch (error) {
      this.db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY')
        throw new ToolError('INVALID_CONFIG', `data dir '${location}' is in use by another rag server`, 'data');
      throw error;
    }
    this.db.exec(SCHEMA);
  }

  listCollections(): CollectionMeta[] {
    return (this.db.prepare('SELECT * FROM collections ORDER BY name').all() as CollectionRow[]).map(toMeta);
  }

  getCollection(name: string): CollectionMeta | undefined {
    const row = this.db.prepare('SELECT * FROM collections WHERE name = ?').get(name) as CollectionRow | undefined;
    return row && toMeta(row);
  }

  createCollection(meta: Omit<CollectionMeta, 'generation'>): CollectionMeta {
    try {
      this.db
        .prepare('INSERT INTO collections (name, embedder, dimensions, chunk_size, chunk_overlap, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(meta.name, meta.embedder, meta.dimensions, meta.chunkSize, meta.chunkOverlap, meta.createdAt);
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT'))
        throw new ToolError('ALREADY_EXISTS', `collection '${meta.name}' already exists`, 'collection');
      throw error;
    }
    return { ...meta, generation: 0 };
  }

  dropCollection(name: string): boolean {
    const dropped = this.db.transaction(() => {
      for (const table of ['documents', 'chunks', 'term_df']) this.db.prepare(`DELETE FROM ${table} WHERE collection = ?`).run(name);
      return this.db.prepare('DELETE FROM collections WHERE name = ?').run(name).changes > 0;
    })();
    for (const suffix of ['.hnsw', '.hnsw.json']) rmSync(join(this.indexDir, `${name}${suffix}`), { force: true });
    return dropped;
  }

  documents(collection: string, ids?: readonly string[]): StoredDocument[] {
    this.need(collection);
    if (ids === undefined)
      return (this.db.prepare('SELECT * FROM documents WHERE collection = ? ORDER BY id').all(collection) as DocumentRow[]).map(toDocument);
    const one = this.db.prepare('SELECT * FROM documents WHERE collection = ? AND id = ?');
    return ids.flatMap((id) => {
      const row = one.get(collection, id) as DocumentRow | undefined;
      return row ? [toDocument(row)] : [];
    });
  }

  counts(collection: string): { documents: number; chunks: number } {
    this.need(collection);
    const documents = this.db.prepare('SELECT COUNT(*) AS n FROM documents WHERE collection = ?').get(collection) as { n: number };
    const chunks = this.db.prepare('SELECT COUNT(*) AS n FROM chunks WHERE collection = ?').get(collection) as { n: number };
    return { documents: documents.n, chunks: chunks.n };
  }

  chunksOf(collection: string, documentIds: readonly string[]): StoredChunk[] {
    const select = this.db.prepare(
      'SELECT label, document_id, idx, start, "end", text, hash FROM chunks WHERE collection = ? AND document_id = ? ORDER BY label',
    );
    return documentIds.flatMap((id) => (select.all(collection, id) as ChunkRow[]).map(toChunk));
  }

  forEachChunk(collection: string, withVectors: boolean, visit: (chunk: StoredChunk) => void): void {
    const columns = `label, document_id, idx, start, "end", text, hash${withVectors ? ', vector' : ''}`;
    const rows = this.db.prepare(`SELECT ${columns} FROM chunks WHERE collection = ? ORDER BY label`).iterate(collection);
    for (const row of rows) visit(toChunk(row as ChunkRow));
  }

  chunksByLabel(collection: string, labels: readonly number[]): StoredChunk[] {
    const select = this.db.prepare(
      'SELECT label, document_id, idx, start, "end", text, hash FROM chunks WHERE collection = ? AND label = ?',
    );
    return labels.flatMap((label) => {
      const row = select.get(collection, label) as ChunkRow | undefined;
      return row ? [toChunk(row)] : [];
    });
  }

  vectorsByHash(collection: string, hashes: readonly string[]): Map<string, Float32Array> {
    const select = this.db.prepare('SELECT vector FROM chunks WHERE collection = ? AND hash = ? LIMIT 1');
    const found = new Map<string, Float32Array>();
    for (const hash of new Set(hashes)) {
      const row = select.get(collection, hash) as { vector: Buffer } | undefined;
      if (row) found.set(hash, toVector(row.vector));
    }
    return found;
  }

  statistics(collection: string): { documents: number; df: Map<number, number> } {
    const row = this.db.prepare('SELECT stat_documents FROM collections WHERE name = ?').get(collection) as
      | { stat_documents: number }
      | undefined;
    const df = new Map<number, number>();
    for (const r of this.db.prepare('SELECT feature, df FROM term_df WHERE collection = ?').iterate(collection)) {
      const { feature, df: count } = r as { feature: number; df: number };
      df.set(feature, count);
    }
    return { documents: row?.stat_documents ?? 0, df };
  }

  commit(collection: string, batch: WriteBatch): CommitResult {
    return this.db.transaction((): CommitResult => {
      this.need(collection);
      const replaced = [...batch.deletes, ...batch.upserts.map((u) => u.document.id)];
      const removed = this.chunksOf(collection, replaced);
      const deleteChunks = this.db.prepare('DELETE FROM chunks WHERE collection = ? AND document_id = ?');
      const deleteDocument = this.db.prepare('DELETE FROM documents WHERE collection = ? AND id = ?');
      for (const id of replaced) {
        deleteChunks.run(collection, id);
        deleteDocument.run(collection, id);
      }
      const insertDocument = this.db.prepare(
        'INSERT INTO documents (collection, id, hash, metadata, bytes, chunk_count, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const insertChunk = this.db.prepare(
        'INSERT INTO chunks (collection, document_id, idx, start, "end", text, hash, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const added: StoredChunk[] = [];
      for (const { document: d, chunks } of batch.upserts) {
        insertDocument.run(collection, d.id, d.hash, JSON.stringify(d.metadata), d.bytes, d.chunkCount, d.indexedAt);
        for (const c of chunks) {
          const vector = Buffer.from(c.vector.buffer, c.vector.byteOffset, c.vector.byteLength);
          const { lastInsertRowid } = insertChunk.run(collection, c.documentId, c.index, c.start, c.end, c.text, c.hash, vector);
          added.push({ ...c, label: Number(lastInsertRowid) });
        }
      }
      if (batch.statistics) this.applyStatistics(collection, batch.statistics);
      this.db.prepare('UPDATE collections SET generation = generation + 1 WHERE name = ?').run(collection);
      const { generation } = this.db.prepare('SELECT generation FROM collections WHERE name = ?').get(collection) as { generation: number };
      return { generation, added, removed };
    })();
  }

  indexFile(collection: string): string {
    return join(this.indexDir, `${collection}.hnsw`);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** One statement per direction, the loop in SQLite (json_each): a batch may touch ~100k features. */
  private applyStatistics(collection: string, delta: NonNullable<WriteBatch['statistics']>): void {
    this.db.prepare('UPDATE collections SET stat_documents = stat_documents + ? WHERE name = ?').run(delta.documents, collection);
    if (delta.df.size === 0) return;
    const pairs = JSON.stringify([...delta.df]);
    this.db
      .prepare(
        `INSERT INTO term_df (collection, feature, df) SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) WHERE true
         ON CONFLICT (collection, feature) DO UPDATE SET df = df + excluded.df`,
      )
      .run(collection, pairs);
    if ([...delta.df.values()].some((change) => change < 0))
      this.db
        .prepare(
          `DELETE FROM term_df WHERE collection = ? AND df <= 0 AND feature IN (SELECT json_extract(value, '$[0]') FROM json_each(?))`,
        )
        .run(collection, pairs);
  }

  private need(collection: string): void {
    if (this.db.prepare('SELECT 1 FROM collections WHERE name = ?').get(collection) === undefined)
      throw new ToolError('NOT_FOUND', `collection '${collection}' does not exist`, 'collection');
  }
}

function toMeta(row: CollectionRow): CollectionMeta {
  return {
    name: row.name,
    embedder: row.embedder,
    dimensions: row.dimensions,
    chunkSize: row.chunk_size,
    chunkOverlap: row.chunk_overlap,
    createdAt: row.created_at,
    generation: row.generation,
  };
}

function toDocument(row: DocumentRow): StoredDocument {
  return {
    id: row.id,
    hash: row.hash,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    bytes: row.bytes,
    chunkCount: row.chunk_count,
    indexedAt: row.indexed_at,
  };
}

function toChunk(row: ChunkRow): StoredChunk {
  return {
    label: row.label,
    documentId: row.document_id,
    index: row.idx,
    start: row.start,
    end: row.end,
    text: row.text,
    hash: row.hash,
    vector: row.vector ? toVector(row.vector) : new Float32Array(0),
  };
}

/** A copy, so the vector is 4-byte aligned whatever the buffer's offset. */
function toVector(blob: Buffer): Float32Array {
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
}
