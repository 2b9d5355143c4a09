import { compareScored, type Scored } from './top-k.ts';

/**
 * Reciprocal-rank fusion: each list gives a chunk weight / (k + rank), the sums rank the union. Ranks,
 * not scores, are combined, so BM25's unbounded scores and cosines need no calibration against each other.
 */
export function reciprocalRankFusion(lists: { results: Scored[]; weight: number }[], k: number, limit: number): Scored[] {
  const fused = new Map<number, number>();
  for (const { results, weight } of lists) {
    results.forEach((item, rank) => {
      fused.set(item.label, (fused.get(item.label) ?? 0) + weight / (k + rank + 1));
    });
  }
  return [...fused]
    .map(([label, score]) => ({ label, score }))
    .sort(compareScored)
    .slice(0, limit);
}
