import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bm25Index } from './bm25.ts';
import { ExactIndex } from './exact-index.ts';
import { reciprocalRankFusion } from './fuse.ts';
import { HnswIndex } from './hnsw-index.ts';
import { TopK } from './top-k.ts';

function randomUnitVectors(count: number, dimensions: number, seed = 1): Float32Array[] {
  let s = seed;
  const random = () => {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    return s / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: dimensions }, random);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

describe('top-k heap', () => {
  it('keeps the k best, best first, ties by label', () => {
    const top = new TopK(3);
    for (const [label, score] of [
      [1, 0.5],
      [2, 0.9],
      [3, 0.1],
      [4, 0.9],
      [5, 0.7],
    ] as const)
      top.push(label, score);
    assert.deepEqual(
      top.sorted().map((s) => s.label),
      [2, 4, 5],
    );
  });
});

describe('exact index', () => {
  it('finds the true nearest neighbours and survives removals', () => {
    const vectors = randomUnitVectors(300, 18);
    const index = new ExactIndex(18, 8);
    for (const [i, v] of vectors.entries()) index.add(i, v);
    const query = vectors[42] as Float32Array;
    assert.equal(index.search(query, 1)[0]?.label, 42);
    index.remove(42);
    index.remove(0);
    assert.equal(index.size, 298);
    assert.notEqual(index.search(query, 1)[0]?.label, 42);
    const brute = vectors
      .map((v, label) => ({ label, score: v.reduce((s, x, j) => s + x * (query[j] as number), 0) }))
      .filter((r) => r.label !== 42 && r.label !== 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);
    assert.deepEqual(
      index.search(query, 10).map((r) => r.label),
      brute.map((r) => r.label),
    );
    assert.deepEqual(
      index.search(query, 5, (label) => label % 2 === 1).every((r) => r.label % 2 === 1),
      true,
    );
  });
});

describe('hnsw index', () => {
  it('agrees with exact search on most neighbours, filters, removes and grows', () => {
    const vectors = randomUnitVectors(2000, 32, 9);
    const exact = new ExactIndex(32);
    const hnsw = HnswIndex.create(32, { m: 16, efConstruction: 100, efSearch: 50 }, 100);
    vectors.forEach((v, i) => {
      exact.add(i, v);
      hnsw.add(i, v);
    });
    assert.equal(hnsw.size, 2000);
    let overlap = 0;
    for (const query of randomUnitVectors(20, 32, 77)) {
      const truth = new Set(exact.search(query, 10).map((r) => r.label));
      overlap += hnsw.search(query, 10).filter((r) => truth.has(r.label)).length;
    }
    assert.ok(overlap / 200 > 0.8, `recall ${overlap / 200}`);
    hnsw.remove(5);
    assert.equal(
      hnsw.search(vectors[5] as Float32Array, 3).some((r) => r.label === 5),
      false,
    );
    const filtered = hnsw.search(vectors[7] as Float32Array, 5, (label) => label < 20);
    assert.equal(filtered.length, 5);
    assert.ok(filtered.every((r) => r.label < 20));
  });
});

describe('bm25', () => {
  it('ranks by term rarity and frequency, and forgets removed chunks', () => {
    const index = new Bm25Index();
    index.add(1, ['wing', 'flow', 'flow']);
    index.add(2, ['wing', 'heat']);
    index.add(3, ['heat', 'slab', 'conduct']);
    assert.deepEqual(
      index.search(['flow'], 5).map((r) => r.label),
      [1],
    );
    assert.deepEqual(
      index.search(['heat', 'conduct'], 5).map((r) => r.label),
      [3, 2],
    );
    index.remove(3, ['heat', 'slab', 'conduct']);
    assert.deepEqual(
      index.search(['conduct'], 5).map((r) => r.label),
      [],
    );
    assert.equal(index.size, 2);
  });
});

describe('reciprocal-rank fusion', () => {
  it('rewards agreement between lists', () => {
    const fused = reciprocalRankFusion(
      [
        {
          results: [
            { label: 1, score: 9 },
            { label: 2, score: 8 },
          ],
          weight: 1,
        },
        {
          results: [
            { label: 2, score: 0.9 },
            { label: 3, score: 0.8 },
          ],
          weight: 1,
        },
      ],
      60,
      3,
    );
    assert.deepEqual(
      fused.map((r) => r.label),
      [2, 1, 3],
    );
  });
});
