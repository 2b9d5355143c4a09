// The Cranfield collection for bench/rag-quality: parsing, a plain BM25 baseline, nDCG and MAP.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface CranfieldDoc {
  id: string;
  title: string;
  author: string;
  text: string;
}

export interface Cranfield {
  docs: CranfieldDoc[];
  /** Queries numbered 1..225 in file order: the qrels use these numbers, not the `.I` field. */
  queries: { number: number; text: string }[];
  /** query number → document id → relevance code (1 = complete answer … 4 = minimal interest). */
  qrels: Map<number, Map<string, number>>;
}

/**
 * Where the data lives: $CRANFIELD_DIR, else ../shared/data/cranfield beside the repository (the data
 * is not in the repository). Undefined with the reason when it is absent.
 */
export function locateCranfield(): { dir: string } | { missing: string } {
  const repo = resolve(import.meta.dirname, '..');
  const candidates = [process.env.CRANFIELD_DIR, join(repo, '..', 'shared', 'data', 'cranfield'), join(repo, 'data', 'cranfield')].filter(
    (dir): dir is string => dir !== undefined,
  );
  const dir = candidates.find((candidate) => ['cran.all.1400', 'cran.qry', 'cranqrel'].every((file) => existsSync(join(candidate, file))));
  return dir === undefined ? { missing: `Cranfield data not found (looked in ${candidates.join(', ')}; set CRANFIELD_DIR)` } : { dir };
}

function parseRecords(text: string): Record<string, string>[] {
  const records: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  let field: string | undefined;
  for (const line of text.replace(/\r/g, '').split('\n')) {
    const marker = /^\.([ITABW])\s*(.*)$/.exec(line);
    if (marker) {
      if (marker[1] === 'I') {
        current = { I: (marker[2] ?? '').trim() };
        records.push(current);
        field = undefined;
      } else field = marker[1];
      continue;
    }
    if (current !== undefined && field !== undefined) current[field] = current[field] === undefined ? line : `${current[field]}\n${line}`;
  }
  return records;
}

export function loadCranfield(dir: string): Cranfield {
  const docs = parseRecords(readFileSync(join(dir, 'cran.all.1400'), 'utf8')).map((r) => ({
    id: String(Number(r.I)),
    title: (r.T ?? '').trim(),
    author: (r.A ?? '').trim(),
    text: (r.W ?? '').trim(),
  }));
  const queries = parseRecords(readFileSync(join(dir, 'cran.qry'), 'utf8')).map((r, i) => ({ number: i + 1, text: (r.W ?? '').trim() }));
  const qrels = new Map<number, Map<string, number>>();
  for (const line of readFileSync(join(dir, 'cranqrel'), 'utf8').split(/\r?\n/)) {
    const [q, d, r] = line.trim().split(/\s+/).map(Number);
    if (!q || !d || r === undefined) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)?.set(String(d), r);
  }
  return { docs, queries, qrels };
}

/** Relevance codes 1..4 count as relevant; gain 4 for a complete answer down to 1 (code -1 is not relevant). */
const relevant = (code: number) => code >= 1 && code <= 4;
const gain = (code: number) => 5 - code;

/** Mean nDCG@10 (graded) and MAP over `depth` (binary) for rankings of document ids per query number. */
export function evaluate(cranfield: Cranfield, rankings: Map<number, string[]>, depth = 100): { ndcg10: number; map: number } {
  let ndcg = 0;
  let map = 0;
  for (const { number } of cranfield.queries) {
    const judged = cranfield.qrels.get(number) ?? new Map<string, number>();
    const ranked = (rankings.get(number) ?? []).slice(0, depth);
    let dcg = 0;
    ranked.slice(0, 10).forEach((id, i) => {
      const code = judged.get(id);
      if (code !== undefined && relevant(code)) dcg += gain(code) / Math.log2(i + 2);
    });
    const ideal = [...judged.values()]
      .filter(relevant)
      .map(gain)
      .sort((a, b) => b - a)
      .slice(0, 10)
      .reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
    ndcg += ideal > 0 ? dcg / ideal : 0;
    const total = [...judged.values()].filter(relevant).length;
    let hits = 0;
    let precisionSum = 0;
    ranked.forEach((id, i) => {
      const code = judged.get(id);
      if (code !== undefined && relevant(code)) precisionSum += ++hits / (i + 1);
    });
    map += total > 0 ? precisionSum / total : 0;
  }
  const n = cranfield.queries.length;
  return { ndcg10: ndcg / n, map: map / n };
}

/** Plain Okapi BM25 (k1 1.2, b 0.75): lowercase alphanumeric tokens, no stemming, no stopwords. */
export function plainBm25(docs: CranfieldDoc[], k1 = 1.2, b = 0.75): (query: string) => string[] {
  const tokenize = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const tokens = docs.map((d) => tokenize(`${d.title}\n${d.text}`));
  const average = tokens.reduce((sum, t) => sum + t.length, 0) / tokens.length;
  const postings = new Map<string, [number, number][]>();
  tokens.forEach((doc, i) => {
    const counts = new Map<string, number>();
    for (const term of doc) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) postings.set(term, [...(postings.get(term) ?? []), [i, count]]);
  });
  return (query) => {
    const scores = new Float64Array(docs.length);
    for (const term of new Set(tokenize(query))) {
      const list = postings.get(term);
      if (list === undefined) continue;
      const idf = Math.log(1 + (docs.length - list.length + 0.5) / (list.length + 0.5));
      for (const [i, tf] of list)
        scores[i] = (scores[i] as number) + (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * (tokens[i] as string[]).length) / average));
    }
    return [...scores.keys()]
      .filter((i) => (scores[i] as number) > 0)
      .sort((x, y) => (scores[y] as number) - (scores[x] as number) || x - y)
      .map((i) => (docs[i] as CranfieldDoc).id);
  };
}
