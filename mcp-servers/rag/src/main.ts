import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { closeOnSignals, createLogger, parseServerFlags, runServer, ToolError } from '@switchboard/kit';
import type { RagStore } from './backend.ts';
import { MemoryRagStore } from './backend-mock.ts';
import { SqliteRagStore } from './backend-real.ts';
import { type RagConfig, RagConfigSchema } from './config.ts';
import { createEmbedderProvider } from './embeddings/provider.ts';
import { RagEngine } from './engine/engine.ts';
import { createServer } from './server.ts';

export const USAGE = `switchboard server rag --data DIR | --mock   [--read-only] [--collection GLOB ...] [--root DIR ...]
    [--embedder hashing|openai|transformers] [--dimensions N] [--embeddings-url URL] [--embeddings-model NAME]
    [--model-dir DIR] [--allow-remote-models] [--chunk-size N] [--chunk-overlap N] [--max-document-bytes N]
    [--max-documents N] [--max-k N] [--max-files N] [--hnsw-threshold N] [--transport stdio|http] [--port N] [--host H]
  env: RAG_DATA, RAG_READ_ONLY=1, RAG_COLLECTIONS (comma-separated globs), RAG_EMBEDDINGS_URL, RAG_EMBEDDINGS_MODEL,
       RAG_EMBEDDINGS_API_KEY (the endpoint's key: env only, never a flag), RAG_MODEL_DIR`;

const numbers = [
  'chunk-size',
  'chunk-overlap',
  'max-document-bytes',
  'max-documents',
  'max-k',
  'max-files',
  'hnsw-threshold',
  'dimensions',
] as const;
const keyOf: Record<(typeof numbers)[number], string> = {
  'chunk-size': 'chunkSize',
  'chunk-overlap': 'chunkOverlap',
  'max-document-bytes': 'maxDocumentBytes',
  'max-documents': 'maxDocumentsPerCall',
  'max-k': 'maxK',
  'max-files': 'maxFiles',
  'hnsw-threshold': 'hnswThreshold',
  dimensions: 'dimensions',
};
const flagOf = Object.fromEntries(Object.entries(keyOf).map(([flag, key]) => [key, flag]));

/** Flags, then env, into a validated config; errors name the flag. */
export function parseRagArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { config: RagConfig; transport: ReturnType<typeof parseServerFlags>['transport'] } {
  const { values, transport } = parseServerFlags(argv, {
    data: { type: 'string' },
    mock: { type: 'boolean' },
    'read-only': { type: 'boolean' },
    collection: { type: 'string', multiple: true },
    root: { type: 'string', multiple: true },
    embedder: { type: 'string' },
    'embeddings-url': { type: 'string' },
    'embeddings-model': { type: 'string' },
    'model-dir': { type: 'string' },
    'allow-remote-models': { type: 'boolean' },
    ...Object.fromEntries(numbers.map((flag) => [flag, { type: 'string' as const }])),
  });
  const number = (flag: (typeof numbers)[number]) => (values[flag] === undefined ? undefined : Number(values[flag]));
  const limits = Object.fromEntries(numbers.filter((f) => f !== 'dimensions' && values[f] !== undefined).map((f) => [keyOf[f], number(f)]));
  const kind = (values.embedder as string | undefined) ?? 'hashing';
  const embedder =
    kind === 'openai'
      ? {
          kind,
          url: (values['embeddings-url'] as string | undefined) ?? env.RAG_EMBEDDINGS_URL,
          model: (values['embeddings-model'] as string | undefined) ?? env.RAG_EMBEDDINGS_MODEL,
          ...(env.RAG_EMBEDDINGS_API_KEY ? { apiKey: env.RAG_EMBEDDINGS_API_KEY } : {}),
          ...(number('dimensions') === undefined ? {} : { dimensions: number('dimensions') }),
        }
      : kind === 'transformers'
        ? {
            kind,
            modelDir: absolute((values['model-dir'] as string | undefined) ?? env.RAG_MODEL_DIR),
            model: (values['embeddings-model'] as string | undefined) ?? env.RAG_EMBEDDINGS_MODEL,
            allowRemoteModels: values['allow-remote-models'] === true,
          }
        : { kind, ...(number('dimensions') === undefined ? {} : { dimensions: number('dimensions') }) };
  const mock = values.mock === true;
  const data = (values.data as string | undefined) ?? env.RAG_DATA;
  const parsed = RagConfigSchema.safeParse({
    ...(data === undefined || mock ? {} : { data: resolve(data) }),
    mock,
    readOnly: values['read-only'] === true || env.RAG_READ_ONLY === '1',
    ...(values.collection !== undefined || env.RAG_COLLECTIONS
      ? {
          collections:
            (values.collection as string[] | undefined) ??
            env.RAG_COLLECTIONS?.split(',')
              .map((s) => s.trim())
              .filter(Boolean),
        }
      : {}),
    roots: ((values.root as string[] | undefined) ?? []).map(absoluteRoot),
    embedder,
    ...limits,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map(String);
    const key = path[0] === 'embedder' ? (path[1] ?? 'embedder') : (path[0] ?? '');
    const flag =
      {
        collections: 'collection',
        roots: 'root',
        url: 'embeddings-url',
        model: 'embeddings-model',
        modelDir: 'model-dir',
        kind: 'embedder',
      }[key] ??
      flagOf[key] ??
      key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new ToolError('INVALID_CONFIG', `--${flag}: ${issue?.message}`, key);
  }
  return { config: parsed.data, transport };
}

function absolute(path: string | undefined): string | undefined {
  return path === undefined ? undefined : resolve(path);
}

/** Real path when the root exists (so symlink checks compare like with like), else the absolute path. */
function absoluteRoot(root: string): string {
  const path = resolve(root);
  return existsSync(path) ? realpathSync(path) : path;
}

export function createStore(config: RagConfig): RagStore {
  return config.mock ? new MemoryRagStore() : new SqliteRagStore(config.data as string);
}

export function createEngine(config: RagConfig, store: RagStore = createStore(config)): RagEngine {
  return new RagEngine(store, config, createEmbedderProvider(config.embedder));
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, transport } = parseRagArgs(argv);
  const logger = createLogger('rag');
  const missing = config.roots.filter((root) => !existsSync(root));
  if (missing.length > 0) logger.warn({ missing }, 'some index_path roots are missing; the others keep working');
  const engine = createEngine(config);
  const running = await runServer({ factory: () => createServer(engine, config).server, transport, logger, close: () => engine.close() });
  logger.info(
    { store: engine.store.kind, embedder: engine.provider.name, readOnly: config.readOnly, collections: config.collections },
    'rag server ready',
  );
  closeOnSignals(running, logger);
}
