import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { evaluate, loadCranfield, locateCranfield, plainBm25 } from './rag-cranfield.ts';
import type { BenchFigure } from './stats.ts';

const root = join(import.meta.dirname, '..');
const DEPTH = 100;

interface SearchResult {
  documentId: string;
}

/**
 * Retrieval quality on Cranfield (1,400 abstracts, 225 queries, graded judgements), through the rag
 * server over stdio on its default settings (hashing embedder, chunks of 1,000 characters): nDCG@10
 * and MAP@100 for lexical, vector and hybrid search, beside a plain BM25 baseline computed here on
 * whole documents. Chunk results are folded to documents at their best rank.
 */
export async function run(): Promise<BenchFigure[]> {
  const located = locateCranfield();
  if ('missing' in located) {
    process.stderr.write(`rag-quality: skipped: ${located.missing}\n`);
    return [];
  }
  const cranfield = loadCranfield(located.dir);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [join(root, 'bin', 'switchboard.mjs'), 'server', 'rag', '--mock', '--max-k', '1000', '--max-documents', '2000'],
      cwd: root,
      env: { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' },
      stderr: 'inherit',
    }),
  );
  try {
    await call(client, 'create_collection', { collection: 'cranfield' });
    const started = performance.now();
    const indexed = await call(client, 'index', {
      collection: 'cranfield',
      documents: cranfield.docs.map((d) => ({ id: d.id, text: `${d.title}\n\n${d.text}`, metadata: { author: d.author } })),
    });
    const indexSeconds = (performance.now() - started) / 1000;
    const chunks = indexed.chunksAdded as number;

    const baseline = plainBm25(cranfield.docs);
    const baselineScores = evaluate(cranfield, new Map(cranfield.queries.map((q) => [q.number, baseline(q.text)])), DEPTH);
    const scores: Record<string, { ndcg10: number; map: number }> = {};
    for (const mode of ['lexical', 'vector', 'hybrid']) {
      const rankings = new Map<number, string[]>();
      for (const query of cranfield.queries) {
        const found = await call(client, 'search', { collection: 'cranfield', query: query.text, k: 3 * DEPTH, mode });
        const ids = [...new Set((found.results as SearchResult[]).map((r) => r.documentId))];
        rankings.set(query.number, ids.slice(0, DEPTH));
      }
      scores[mode] = evaluate(cranfield, rankings, DEPTH);
    }
    const figures = {
      documents: cranfield.docs.length,
      chunks,
      queries: cranfield.queries.length,
      indexSeconds,
      bm25BaselineNdcg10: baselineScores.ndcg10,
      bm25BaselineMap: baselineScores.map,
      ...Object.fromEntries(
        Object.entries(scores).flatMap(([mode, s]) => [
          [`${mode}Ndcg10`, s.ndcg10],
          [`${mode}Map`, s.map],
        ]),
      ),
    };
    const hybrid = scores.hybrid as { ndcg10: number; map: number };
    return [
      {
        name: 'rag-quality nDCG@10 (Cranfield, hybrid vs plain BM25)',
        ratioOf: 'hybrid / BM25 baseline',
        ratio: hybrid.ndcg10 / baselineScores.ndcg10,
        figures,
      },
      {
        name: 'rag-quality MAP@100 (Cranfield, hybrid vs plain BM25)',
        ratioOf: 'hybrid / BM25 baseline',
        ratio: hybrid.map / baselineScores.map,
        figures: { hybridMap: hybrid.map, bm25BaselineMap: baselineScores.map },
      },
    ];
  } finally {
    await client.close();
  }
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as Record<string, unknown>;
}
