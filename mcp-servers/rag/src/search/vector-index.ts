import type { Scored } from './top-k.ts';

/** A filter on chunk labels: search answers only labels it accepts. */
export type LabelFilter = (label: number) => boolean;

/**
 * Nearest neighbours by inner product over unit vectors (= cosine). Exact and HNSW implement it
 * alike, so a collection can move from one to the other without its callers noticing.
 */
export interface VectorIndex {
  readonly kind: 'exact' | 'hnsw';
  readonly dimensions: number;
  readonly size: number;
  add(label: number, vector: Float32Array): void;
  remove(label: number): void;
  has(label: number): boolean;
  search(query: Float32Array, k: number, accept?: LabelFilter): Scored[];
  /** Every stored label with its vector (to rebuild as another kind). */
  entries(): Iterable<[number, Float32Array]>;
  /** Bytes held for vectors and graph, roughly. */
  memoryBytes(): number;
}
