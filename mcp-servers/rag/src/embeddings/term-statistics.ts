/** Signed changes to document frequencies: what one write adds to (or takes from) a collection's statistics. */
export interface StatsDelta {
  documents: number;
  df: Map<number, number>;
}

/**
 * Document frequencies per feature hash over a collection's chunks: the IDF half of the hashing
 * embedder. Kept per collection, persisted with it, and changed in the same transaction as the
 * chunks it counts.
 */
export class TermStatistics {
  documents = 0;
  readonly df = new Map<number, number>();
  /** Bumped on every change: cached query vectors made under an older version are stale. */
  version = 0;

  static from(stored: { documents: number; df: Map<number, number> }): TermStatistics {
    const statistics = new TermStatistics();
    statistics.documents = stored.documents;
    for (const [feature, count] of stored.df) statistics.df.set(feature, count);
    return statistics;
  }

  apply(delta: StatsDelta, sign: 1 | -1 = 1): void {
    this.version++;
    this.documents += sign * delta.documents;
    for (const [feature, change] of delta.df) {
      const next = (this.df.get(feature) ?? 0) + sign * change;
      if (next > 0) this.df.set(feature, next);
      else this.df.delete(feature);
    }
  }

  /**
   * Smoothed IDF; 0 for a feature no chunk has, since it can only match through hash collisions.
   * Without any statistics (an empty collection, or the embedder used on its own) every feature weighs 1.
   */
  idf(feature: number): number {
    if (this.documents <= 0) return 1;
    const df = this.df.get(feature) ?? 0;
    if (df === 0) return 0;
    return Math.log(1 + (this.documents - df + 0.5) / (df + 0.5));
  }
}

export function emptyDelta(): StatsDelta {
  return { documents: 0, df: new Map() };
}
