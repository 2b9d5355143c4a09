import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRagStore } from '../mcp-servers/rag/src/backend-real.ts';
import { RagConfigSchema } from '../mcp-servers/rag/src/config.ts';
import { createEmbedderProvider } from '../mcp-servers/rag/src/embeddings/provider.ts';
import { RagEngine } from '../mcp-servers/rag/src/engine/engine.ts';
import { ExactIndex } from '../mcp-servers/rag/src/search/exact-index.ts';
import { DEFAULT_HNSW, HnswIndex } from '../mcp-servers/rag/src/search/hnsw-index.ts';
import { type BenchFigure, median, percentile } from './stats.ts';

/**
 * Deterministic synthetic text with topics, as real corpora have: 100 topics of 150 words each; half
 * of a chunk's words come from its topic (Zipf-distributed), half from the 8,000-word vocabulary
 * (Zipf too). Structureless text (every word i.i.d.) is a worst case for HNSW, whose neighbours are
 * then barely closer than anything else (see docs/servers/rag.md).
 */
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
  // Zipf: rank r with probability ~ 1/r, by inverting the harmonic CDF approximately.
  const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.exp(random() * Math.log(n))) - 1);
  const topics = Array.from({ length: 100 }, () =>
    Array.from({ length: 150 }, () => vocabulary[Math.floor(random() * vocabulary.length)] as string),
  );
  const text = (words: number) => {
    const topic = topics[Math.floor(random() * topics.length)] as string[];
    return Array.from({ length: words }, () => (random() < 0.5 ? topic[zipf(topic.length)] : vocabulary[zipf(vocabulary.length)])).join(
      ' ',
    );
  };
  return { text };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

/** This process's CPU time so far (user + system), in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Wall time and this process's CPU time (user + system, ms): CPU time holds still on a loaded machine. */
async function timedCpu<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  const cpu = process.cpuUsage();
  const [result, wall] = await timed(work);
  const used = process.cpuUsage(cpu);
  return [result, wall, (used.user + used.system) / 1000];
}

/**
 * Index throughput (chunks/s, beside embedding alone), query latency per mode, HNSW recall@10 and
 * latency against exact search on the same vectors, and memory — on synthetic chunks of 60 words.
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
    const [, , embedCpuMs] = await timedCpu(async () => {
      probe.statisticsDelta?.(sample, []);
      await probe.embedDocuments(sample);
    });
    const embedOnlyPerCpuSecond = sample.length / (embedCpuMs / 1000);

    const batch = 1000;
    const [, indexMs, indexCpuMs] = await timedCpu(async () => {
      for (let i = 0; i < size; i += batch) await engine.index('bench', documents.slice(i, i + batch));
    });
    const collection = await engine.collection('bench');
    const memoryAfter = process.memoryUsage();
    const chunksPerSecond = size / (indexMs / 1000);
    const chunksPerCpuSecond = size / (indexCpuMs / 1000);

    // Query latency through the engine, every query distinct (the result cache never answers).
    const queries = Array.from({ length: 300 }, () => gen.text(6));
    // Wall time per query (p50/p99), and CPU time per block of queries: per-query CPU readings are
    // tick-granular, the mean over a block is not, and unlike wall time it ignores other processes.
    const latency: Record<string, number[]> = { lexical: [], vector: [], hybrid: [] };
    const cpuMean: Record<string, number> = {};
    for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
      const started = cpuMs();
      for (const [i, query] of queries.entries()) {
        const [, ms] = await timed(() => engine.search('bench', { query: `${query} ${i} ${mode}`, k: 10, mode }));
        latency[mode]?.push(ms);
      }
      cpuMean[mode] = (cpuMs() - started) / queries.length;
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
    let started = cpuMs();
    const truths = queryVectors.map((vector) => {
      const t = performance.now();
      const truth = exact.search(vector, 10);
      exactMs.push(performance.now() - t);
      return new Set(truth.map((r) => r.label));
    });
    const exactCpuMean = (cpuMs() - started) / queryVectors.length;
    started = cpuMs();
    const answers = queryVectors.map((vector) => {
      const t = performance.now();
      const approx = hnsw.search(vector, 10);
      hnswMs.push(performance.now() - t);
      return approx;
    });
    const hnswCpuMean = (cpuMs() - started) / queryVectors.length;
    let overlap = 0;
    answers.forEach((approx, i) => {
      overlap += approx.filter((r) => truths[i]?.has(r.label)).length;
    });
    const recall = overlap / (10 * queryVectors.length);
    // Recall and latency as the candidate list grows: the knob that trades one for the other.
    const sweep: Record<string, number> = {};
    for (const ef of [50, 100, 400, 800]) {
      const graph = hnsw.withEfSearch(ef);
      let hits = 0;
      const before = cpuMs();
      const found = queryVectors.map((vector) => graph.search(vector, 10));
      const mean = (cpuMs() - before) / queryVectors.length;
      found.forEach((approx, i) => {
        hits += approx.filter((r) => truths[i]?.has(r.label)).length;
      });
      sweep[`recallAt10Ef${ef}`] = hits / (10 * queryVectors.length);
      sweep[`cpuMeanMsEf${ef}`] = mean;
    }
    const mb = (bytes: number) => bytes / 2 ** 20;
    const p = (mode: string, q: number) => percentile(latency[mode] ?? [], q);
    return [
      {
        name: `rag-speed index (${size} chunks, SQLite, hashing ${dimensions}d)`,
        ratioOf: 'full indexing rate / embedding-only rate (per CPU second)',
        ratio: chunksPerCpuSecond / embedOnlyPerCpuSecond,
        figures: {
          chunksPerSecond,
          chunksPerCpuSecond,
          embedOnlyChunksPerCpuSecond: embedOnlyPerCpuSecond,
          indexSeconds: indexMs / 1000,
          indexCpuSeconds: indexCpuMs / 1000,
          loadAverage1m: loadavg()[0] as number,
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
            [`${mode}CpuMeanMs`, cpuMean[mode] as number],
          ]),
        ),
      },
      {
        name: `rag-speed hnsw vs exact (${size} vectors, m=${DEFAULT_HNSW.m}, efSearch=${DEFAULT_HNSW.efSearch})`,
        ratioOf: 'exact CPU / hnsw CPU per query (speed-up)',
        ratio: exactCpuMean / hnswCpuMean,
        figures: {
          recallAt10: recall,
          exactCpuMeanMs: exactCpuMean,
          hnswCpuMeanMs: hnswCpuMean,
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
