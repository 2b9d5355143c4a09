import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRagStore } from '../mcp-servers/rag/src/backend-real.ts';
import { RagConfigSchema } from '../mcp-servers/rag/src/config.ts';
import { createEmbedderProvider } from '../mcp-servers/rag/src/embeddings/provider.ts';
import { RagEngine } from '../mcp-servers/rag/src/engine/engine.ts';
import { ExactIndex } from '../mcp-servers/rag/src/search/exact-index.ts';
import { DEFAULT_HNSW, HnswIndex } from '../mcp-servers/rag/src/search/hnsw-index.ts';
import { type BenchFigure, median, percentile } from './stats.ts';

/** Deterministic synthetic text: Zipf-distributed pseudo-words, so term statistics look like prose. */
function synthetic(seed: number) {
  let s = seed >>> 0;
  const random = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'do', 'gi', 'fu', 'he', 'ja', 'wi'];
  const vocabulary = Array.from({ length: 8000 }, () =>
    Array.from({ length: 2 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * 16)]).join(''),
  );
  // Zipf: rank r drawn with probability ~ 1/r, by inverting the harmonic CDF approximately.
  const word = () =>
    vocabulary[Math.min(vocabulary.length - 1, Math.floor(Math.exp(random() * Math.log(vocabulary.length))) - 1)] as string;
  const text = (words: number) => Array.from({ length: words }, word).join(' ');
  return { text };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

/**
 * Index throughput (chunks/s, beside embedding alone), query latency per mode, HNSW recall@10 and
 * latency against exact search on the same vectors, and memory — on synthetic chunks of ~60 words.
 * Sizes from RAG_BENCH_SIZES (default 10000; e.g. RAG_BENCH_SIZES=10000,100000 for the large run).
 */
export async function run(): Promise<BenchFigure[]> {
  const sizes = (process.env.RAG_BENCH_SIZES ?? '10000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const figures: BenchFigure[] = [];
  for (const size of sizes) figures.push(...(await runSize(size)));
  return figures;
}

async function runSize(size: number): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-rag-bench-'));
  const gen = synthetic(size);
  const config = RagConfigSchema.parse({ data: dir, maxDocumentsPerCall: 100_000 });
  const engine = new RagEngine(new SqliteRagStore(dir), config, createEmbedderProvider(config.embedder));
  try {
    await engine.createCollection('bench', { chunkSize: 2000, chunkOverlap: 0 });
    const documents = Array.from({ length: size }, (_, i) => ({ id: `doc-${i}`, text: gen.text(60), metadata: { shard: i % 10 } }));
    const memoryBefore = process.memoryUsage();

    // Baseline: the embedder alone on a sample (fresh statistics, as a new collection would have).
    const sample = documents.slice(0, Math.min(2000, size)).map((d) => d.text);
    const probe = await createEmbedderProvider(config.embedder).forCollection(
      (await engine.collection('bench')).embedder?.statistics ?? (undefined as never),
    );
    const [, embedMs] = await timed(async () => {
      probe.statisticsDelta?.(sample, []);
      await probe.embedDocuments(sample);
    });
    const embedOnlyPerSecond = sample.length / (embedMs / 1000);

    const batch = 1000;
    const [, indexMs] = await timed(async () => {
      for (let i = 0; i < size; i += batch) await engine.index('bench', documents.slice(i, i + batch));
    });
    const collection = await engine.collection('bench');
    const memoryAfter = process.memoryUsage();
    const chunksPerSecond = size / (indexMs / 1000);

    // Query latency through the engine, every query distinct (the result cache never answers).
    const queries = Array.from({ length: 300 }, () => gen.text(6));
    const latency: Record<string, number[]> = { lexical: [], vector: [], hybrid: [] };
    for (const [i, query] of queries.entries()) {
      for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
        const [, ms] = await timed(() => engine.search('bench', { query: `${query} ${i}`, k: 10, mode }));
        latency[mode]?.push(ms);
      }
    }

    // HNSW against exact on the same stored vectors.
    const dimensions = collection.meta.dimensions;
    const exact = new ExactIndex(dimensions, size);
    engine.store.forEachChunk('bench', true, (chunk) => exact.add(chunk.label, chunk.vector));
    // Past the threshold the engine already built its graph while indexing: compare that one.
    const own = collection.vectorIndex;
    const [hnsw, buildMs] =
      own instanceof HnswIndex
        ? [own, Number.NaN]
        : await timed(async () => {
            const index = HnswIndex.create(dimensions, DEFAULT_HNSW, size);
            for (const [label, vector] of exact.entries()) index.add(label, vector);
            return index;
          });
    const embedder = collection.embedder;
    if (embedder === undefined) throw new Error('no embedder');
    const queryVectors = await Promise.all(queries.slice(0, 200).map((q) => embedder.embedQuery(q)));
    const exactMs: number[] = [];
    const hnswMs: number[] = [];
    let overlap = 0;
    for (const vector of queryVectors) {
      let t = performance.now();
      const truth = exact.search(vector, 10);
      exactMs.push(performance.now() - t);
      t = performance.now();
      const approx = hnsw.search(vector, 10);
      hnswMs.push(performance.now() - t);
      const wanted = new Set(truth.map((r) => r.label));
      overlap += approx.filter((r) => wanted.has(r.label)).length;
    }
    const recall = overlap / (10 * queryVectors.length);
    // Recall and latency as the candidate list grows: the knob that trades one for the other.
    const sweep: Record<string, number> = {};
    for (const ef of [50, 100, 400]) {
      const graph = hnsw.withEfSearch(ef);
      let hits = 0;
      const ms: number[] = [];
      for (const vector of queryVectors) {
        const wanted = new Set(exact.search(vector, 10).map((r) => r.label));
        const t = performance.now();
        const approx = graph.search(vector, 10);
        ms.push(performance.now() - t);
        hits += approx.filter((r) => wanted.has(r.label)).length;
      }
      sweep[`recallAt10Ef${ef}`] = hits / (10 * queryVectors.length);
      sweep[`p50MsEf${ef}`] = median(ms);
    }
    const mb = (bytes: number) => bytes / 2 ** 20;
    const p = (mode: string, q: number) => percentile(latency[mode] ?? [], q);
    return [
      {
        name: `rag-speed index (${size} chunks, SQLite, hashing ${dimensions}d)`,
        ratioOf: 'full indexing rate / embedding-only rate',
        ratio: chunksPerSecond / embedOnlyPerSecond,
        figures: {
          chunksPerSecond,
          embedOnlyChunksPerSecond: embedOnlyPerSecond,
          indexSeconds: indexMs / 1000,
          vectorIndex: collection.indexKind,
          vectorMB: mb(collection.vectorBytes),
          heapGrowthMB: mb(memoryAfter.heapUsed - memoryBefore.heapUsed),
          arrayBuffersGrowthMB: mb(memoryAfter.arrayBuffers - memoryBefore.arrayBuffers),
          rssMB: mb(memoryAfter.rss),
        },
      },
      {
        name: `rag-speed query (${size} chunks, k=10, engine ${collection.indexKind})`,
        ratioOf: 'hybrid p50 / lexical p50',
        ratio: p('hybrid', 50) / p('lexical', 50),
        figures: Object.fromEntries(
          ['lexical', 'vector', 'hybrid'].flatMap((mode) => [
            [`${mode}P50Ms`, p(mode, 50)],
            [`${mode}P99Ms`, p(mode, 99)],
          ]),
        ),
      },
      {
        name: `rag-speed hnsw vs exact (${size} vectors, m=${DEFAULT_HNSW.m}, efSearch=${DEFAULT_HNSW.efSearch})`,
        ratioOf: 'exact p50 / hnsw p50 (speed-up)',
        ratio: median(exactMs) / median(hnswMs),
        figures: {
          recallAt10: recall,
          exactP50Ms: median(exactMs),
          exactP99Ms: percentile(exactMs, 99),
          hnswP50Ms: median(hnswMs),
          hnswP99Ms: percentile(hnswMs, 99),
          hnswBuildSeconds: buildMs / 1000,
          hnswMB: mb(hnsw.memoryBytes()),
          exactMB: mb(exact.memoryBytes()),
          ...sweep,
        },
      },
    ];
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
