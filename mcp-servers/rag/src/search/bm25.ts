import { TopK } from './top-k.ts';
import type { LabelFilter } from './vector-index.ts';

export interface Bm25Options {
  k1: number;
  b: number;
}

export const DEFAULT_BM25: Bm25Options = { k1: 1.2, b: 0.75 };

/**
 * An in-memory BM25 index over chunk terms (Okapi BM25 with the Lucene IDF, which is never
 * negative). Postings are per term, so a query touches only the chunks that share a term with it.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly lengths = new Map<number, number>();
  private totalLength = 0;

  constructor(private readonly options: Bm25Options = DEFAULT_BM25) {}

  get size(): number {
    return this.lengths.size;
  }

  get vocabulary(): number {
    return this.postings.size;
  }

  add(label: number, terms: readonly string[]): void {
    if (this.lengths.has(label)) this.remove(label, terms);
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) {
      const posting = this.postings.get(term);
      if (posting === undefined) this.postings.set(term, new Map([[label, count]]));
      else posting.set(label, count);
    }
    this.lengths.set(label, terms.length);
    this.totalLength += terms.length;
  }

  /** Removes a chunk; `terms` must be the ones it was added with. */
  remove(label: number, terms: readonly string[]): void {
    const length = this.lengths.get(label);
    if (length === undefined) return;
    for (const term of new Set(terms)) {
      const posting = this.postings.get(term);
      posting?.delete(label);
      if (posting?.size === 0) this.postings.delete(term);
    }
    this.lengths.delete(label);
    this.totalLength -= length;
  }

  search(queryTerms: readonly string[], k: number, accept?: LabelFilter): { label: number; score: number }[] {
    const n = this.lengths.size;
    if (n === 0) return [];
    const { k1, b } = this.options;
    const average = this.totalLength / n || 1;
    const scores = new Map<number, number>();
    for (const term of new Set(queryTerms)) {
      const posting = this.postings.get(term);
      if (posting === undefined) continue;
      const idf = Math.log(1 + (n - posting.size + 0.5) / (posting.size + 0.5));
      for (const [label, tf] of posting) {
        const length = this.lengths.get(label) as number;
        const weight = (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / average));
        scores.set(label, (scores.get(label) ?? 0) + weight);
      }
    }
    const top = new TopK(k);
    for (const [label, score] of scores) if (accept === undefined || accept(label)) top.push(label, score);
    return top.sorted();
  }
}
