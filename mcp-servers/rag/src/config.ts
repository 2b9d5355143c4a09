import { z } from 'zod';
import { DEFAULT_HNSW } from './search/hnsw-index.ts';

const MiB = 1024 * 1024;
const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const EmbedderConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('hashing'),
    dimensions: int(16, 8192).default(1024).describe('hashed feature buckets; 4 bytes per dimension per chunk'),
  }),
  z.strictObject({
    kind: z.literal('openai'),
    url: z.url().describe('base URL of an OpenAI-compatible API; POST {url}/embeddings'),
    model: z.string().min(1),
    apiKey: z.string().optional().describe('from RAG_EMBEDDINGS_API_KEY only, never a flag'),
    dimensions: int(1, 16384).optional().describe('ask the model for this many dimensions; learnt from the first answer otherwise'),
  }),
  z.strictObject({
    kind: z.literal('transformers'),
    modelDir: z.string().min(1).describe('local directory holding the model (no download at run time)'),
    model: z.string().min(1).describe('model name inside modelDir, e.g. Xenova/all-MiniLM-L6-v2'),
    allowRemoteModels: z.boolean().default(false),
  }),
]);
export type EmbedderConfig = z.infer<typeof EmbedderConfigSchema>;

export const RagConfigSchema = z
  .object({
    data: z.string().min(1).optional().describe('data directory (SQLite + index files); required unless mock'),
    mock: z.boolean().default(false).describe('in-memory store instead of the data dir'),
    readOnly: z.boolean().default(false).describe('refuse every write: create, index, delete'),
    collections: z
      .array(z.string().regex(/^[A-Za-z0-9_.*?-]+$/, 'collection globs use letters, digits, _ . - * ?'))
      .min(1)
      .default(['*'])
      .describe('collection allowlist (globs); others are refused'),
    roots: z.array(z.string().min(1)).default([]).describe('directories index_path may read; none = index_path refused'),
    chunkSize: int(100, 100_000).default(1000).describe('default characters per chunk for new collections'),
    chunkOverlap: int(0, 50_000).default(150).describe('default characters shared by consecutive chunks'),
    maxDocumentBytes: int(1, 64 * MiB).default(MiB),
    maxDocumentsPerCall: int(1, 100_000).default(1000),
    maxK: int(1, 10_000).default(100),
    maxFiles: int(1, 100_000).default(1000).describe('files one index_path call reads at most'),
    hnswThreshold: int(0, 100_000_000).default(20_000).describe('chunks above which a collection uses HNSW instead of exact search'),
    hnsw: z
      .strictObject({
        m: int(4, 64).default(DEFAULT_HNSW.m),
        efConstruction: int(10, 2000).default(DEFAULT_HNSW.efConstruction),
        efSearch: int(10, 5000).default(DEFAULT_HNSW.efSearch),
      })
      .default(DEFAULT_HNSW),
    bm25: z
      .strictObject({ k1: z.number().min(0).max(10).default(1.2), b: z.number().min(0).max(1).default(0.75) })
      .default({ k1: 1.2, b: 0.75 }),
    rrfK: int(1, 1000).default(60).describe('reciprocal-rank fusion constant for hybrid search'),
    queryCacheSize: int(0, 100_000).default(256),
    embeddingCacheSize: int(0, 1_000_000).default(2048),
    embedder: EmbedderConfigSchema.default({ kind: 'hashing', dimensions: 1024 }),
  })
  .refine((c) => c.mock || c.data !== undefined, { message: 'give --data DIR (or --mock)', path: ['data'] })
  .refine((c) => c.chunkOverlap * 2 <= c.chunkSize, { message: 'overlap must be at most half the chunk size', path: ['chunkOverlap'] });

export type RagConfig = z.infer<typeof RagConfigSchema>;
export type RagConfigInput = z.input<typeof RagConfigSchema>;

/** How the tool descriptions state the scope, so a model does not waste calls on refused collections. */
export function scopeText(config: Pick<RagConfig, 'collections' | 'readOnly'>): string {
  const all = config.collections.length === 1 && config.collections[0] === '*';
  return `${all ? 'Any collection name is allowed' : `Collections allowed: ${config.collections.join(', ')}`}${config.readOnly ? '. This server is read-only.' : '.'}`;
}
