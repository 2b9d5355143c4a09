import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { StatsDelta, TermStatistics } from './term-statistics.ts';

/**
 * What the engine needs from an embedder, per collection: unit-length Float32Array vectors. Every
 * embedder here is also a LangChain `Embeddings`; this is the thin typed-array view over it.
 */
export interface CollectionEmbedder {
  /** Stored with the collection: vectors of different embedders are not comparable. */
  readonly name: string;
  readonly dimensions: number;
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
  /** Corpus-aware embedders (the hashing one) keep per-collection statistics, changed with each write. */
  readonly statistics?: TermStatistics;
  statisticsDelta?(added: readonly string[], removed: readonly string[]): StatsDelta;
}

/** Builds the configured embedder for a collection; `statistics` feeds corpus-aware ones. */
export interface EmbedderProvider {
  readonly name: string;
  /** The vector size; may call the model once to learn it. */
  dimensions(): Promise<number>;
  forCollection(statistics: TermStatistics): Promise<CollectionEmbedder>;
  close?(): Promise<void>;
}

/** Wraps any LangChain embeddings as a CollectionEmbedder: typed arrays, L2-normalised, sizes checked. */
export function fromLangChain(embeddings: EmbeddingsInterface, name: string, dimensions: number): CollectionEmbedder {
  const check = (vector: number[]): Float32Array => {
    if (vector.length !== dimensions) throw new Error(`embedder '${name}' answered ${vector.length} dimensions, expected ${dimensions}`);
    return normalise(Float32Array.from(vector));
  };
  return {
    name,
    dimensions,
    embedDocuments: async (texts) => {
      const vectors = texts.length === 0 ? [] : await embeddings.embedDocuments(texts);
      if (vectors.length !== texts.length)
        throw new Error(`embedder '${name}' answered ${vectors.length} vectors for ${texts.length} texts`);
      return vectors.map(check);
    },
    embedQuery: async (text) => check(await embeddings.embedQuery(text)),
  };
}

export function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += (vector[i] as number) ** 2;
  if (norm === 0) return vector;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
  return vector;
}
