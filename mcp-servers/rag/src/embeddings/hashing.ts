import { Embeddings } from '@langchain/core/embeddings';
import { DEFAULT_FEATURES, type FeatureList, type FeatureOptions, featureList } from './features.ts';
import { emptyDelta, type StatsDelta, TermStatistics } from './term-statistics.ts';

export const HASHING_EMBEDDER = 'hashing-v1';
const PENDING_LIMIT = 20_000;

export interface HashingEmbeddingsOptions {
  dimensions: number;
  /** The collection's document frequencies; a private empty set when not given (then IDF is flat). */
  statistics?: TermStatistics;
  features?: FeatureOptions;
}

/**
 * The offline default embedder: no model, no download. Stems, stem pairs and character n-grams are
 * hashed (with a sign bit, so collisions cancel rather than pile up) into `dimensions` buckets,
 * weighted by sublinear TF × the collection's IDF, and L2-normalised, so the inner product is the
 * cosine. It captures lexical overlap and spelling variants (aerodynamic ~ aerodynamics), not meaning.
 *
 * IDF comes from the collection's statistics at the time a text is embedded; stored vectors are not
 * re-weighted when later writes shift those statistics (the drift is small once a collection has a
 * few hundred chunks, and the vectors stay valid without re-embedding).
 */
export class HashingEmbeddings extends Embeddings {
  readonly name = HASHING_EMBEDDER;
  readonly dimensions: number;
  readonly statistics: TermStatistics;
  private readonly features: FeatureOptions;
  /** Features of texts just counted by statisticsDelta, so embedding them next does not extract them twice. */
  private readonly pending = new Map<string, FeatureList>();

  constructor(options: HashingEmbeddingsOptions) {
    super({});
    this.dimensions = options.dimensions;
    this.statistics = options.statistics ?? new TermStatistics();
    this.features = options.features ?? DEFAULT_FEATURES;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => Array.from(this.embed(text)));
  }

  async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.embed(text));
  }

  /** The vector of one text as a Float32Array (what the index stores). */
  embed(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const features = this.pending.get(text) ?? featureList(text, this.features);
    this.pending.delete(text);
    const { hashes, counts, weights } = features;
    for (let i = 0; i < hashes.length; i++) {
      const feature = hashes[i] as number;
      const weight = (1 + Math.log(counts[i] as number)) * (weights[i] as number) * this.statistics.idf(feature);
      if (weight === 0) continue;
      const bucket = feature % this.dimensions;
      vector[bucket] = (vector[bucket] as number) + (feature & 0x80000000 ? -weight : weight);
    }
    let norm = 0;
    for (let i = 0; i < vector.length; i++) norm += (vector[i] as number) ** 2;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
    }
    return vector;
  }

  /** How adding and removing these chunk texts changes the document frequencies. */
  statisticsDelta(added: readonly string[], removed: readonly string[]): StatsDelta {
    const delta = emptyDelta();
    this.pending.clear();
    const count = (texts: readonly string[], sign: number) => {
      for (const text of texts) {
        delta.documents += sign;
        const features = featureList(text, this.features);
        for (const feature of features.hashes) delta.df.set(feature, (delta.df.get(feature) ?? 0) + sign);
        if (sign > 0 && this.pending.size < PENDING_LIMIT) this.pending.set(text, features);
      }
    };
    count(added, 1);
    count(removed, -1);
    for (const [feature, change] of delta.df) if (change === 0) delta.df.delete(feature);
    return delta;
  }
}
