import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RagStore } from '../backend.ts';
import { ExactIndex } from '../search/exact-index.ts';
import { HnswIndex, type HnswOptions } from '../search/hnsw-index.ts';
import type { VectorIndex } from '../search/vector-index.ts';

interface Sidecar {
  generation: number;
  dimensions: number;
  embedder: string;
}

export interface VectorIndexSpec {
  collection: string;
  embedder: string;
  dimensions: number;
  generation: number;
  chunks: number;
  threshold: number;
  hnsw: HnswOptions;
}

/**
 * Opens a collection's vector index: exact below the threshold, HNSW above it. A saved HNSW graph is
 * reused only when its sidecar says it was written at the collection's current generation (and holds
 * exactly the stored labels); otherwise it is rebuilt from the stored vectors — never re-embedded.
 * Calls `visit` for every stored chunk either way, so the caller fills its other indexes in the same pass.
 */
export function openVectorIndex(
  store: RagStore,
  spec: VectorIndexSpec,
  visit: (chunk: { label: number; documentId: string; text: string }) => void,
): { index: VectorIndex; savedGeneration: number | undefined; source: 'saved' | 'built' } {
  const file = store.indexFile(spec.collection);
  if (spec.chunks > spec.threshold && file !== undefined) {
    const sidecar = readSidecar(file);
    if (sidecar?.generation === spec.generation && sidecar.dimensions === spec.dimensions && sidecar.embedder === spec.embedder) {
      const labels: number[] = [];
      store.forEachChunk(spec.collection, false, (chunk) => {
        labels.push(chunk.label);
        visit(chunk);
      });
      const index = HnswIndex.read(file, spec.dimensions, spec.hnsw, labels);
      if (index !== undefined) return { index, savedGeneration: spec.generation, source: 'saved' };
      return { index: rebuild(store, spec, () => {}), savedGeneration: undefined, source: 'built' };
    }
  }
  return { index: rebuild(store, spec, visit), savedGeneration: undefined, source: 'built' };
}

function rebuild(
  store: RagStore,
  spec: VectorIndexSpec,
  visit: (chunk: { label: number; documentId: string; text: string }) => void,
): VectorIndex {
  const index: VectorIndex =
    spec.chunks > spec.threshold
      ? HnswIndex.create(spec.dimensions, spec.hnsw, Math.ceil(spec.chunks * 1.25))
      : new ExactIndex(spec.dimensions, Math.max(1024, spec.chunks));
  store.forEachChunk(spec.collection, true, (chunk) => {
    if (chunk.vector.length === spec.dimensions) index.add(chunk.label, chunk.vector);
    visit(chunk);
  });
  return index;
}

/** Moves an exact index that outgrew the threshold onto an HNSW graph. */
export function upgradeToHnsw(index: VectorIndex, hnsw: HnswOptions): VectorIndex {
  const upgraded = HnswIndex.create(index.dimensions, hnsw, Math.ceil(index.size * 1.5));
  for (const [label, vector] of index.entries()) upgraded.add(label, vector);
  return upgraded;
}

/** Writes an HNSW graph and its sidecar, each through a temp file and a rename, the sidecar last. */
export function saveVectorIndex(store: RagStore, collection: string, index: VectorIndex, sidecar: Sidecar): boolean {
  const file = store.indexFile(collection);
  if (file === undefined || !(index instanceof HnswIndex)) return false;
  index.write(`${file}.tmp`);
  renameSync(`${file}.tmp`, file);
  writeFileSync(`${file}.json.tmp`, JSON.stringify(sidecar));
  renameSync(`${file}.json.tmp`, `${file}.json`);
  return true;
}

function readSidecar(file: string): Sidecar | undefined {
  if (!existsSync(`${file}.json`) || !existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Sidecar;
  } catch {
    return undefined;
  }
}
