import { closeOnSignals, createLogger, parseServerFlags, runServer, ToolError } from '@switchboard/kit';
import type { MongoBackend } from './backend.ts';
import { type MongoConfig, MongoConfigSchema } from './config.ts';
import { createServer } from './server.ts';

export const USAGE = `switchboard server mongo --url mongodb://HOST:27017[/DB] | --mock
    [--db NAME] [--collections a,b] [--read-only] [--max-documents N] [--max-bytes N] [--timeout-ms N]
    [--transport stdio|http] [--port N] [--host H]
  env: MONGODB_URL (when neither --url nor --mock is given), MONGODB_DB, MONGODB_COLLECTIONS, MONGODB_READ_ONLY=1
  The database is --db, else the one named in the URL, else 'switchboard'.`;

const list = (values: string[] | undefined): string[] | undefined =>
  values === undefined
    ? undefined
    : values
        .flatMap((value) => value.split(','))
        .map((item) => item.trim())
        .filter(Boolean);

/** The database named in a mongodb:// URL's path, if any. */
function dbOfUrl(url: string | undefined): string | undefined {
  const match = url === undefined ? null : /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]+)/.exec(url);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** Flags, then env, into a validated config. */
export function parseMongoArgs(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values, transport } = parseServerFlags(argv, {
    url: { type: 'string' },
    mock: { type: 'boolean' },
    db: { type: 'string' },
    collections: { type: 'string', multiple: true },
    'read-only': { type: 'boolean' },
    'max-documents': { type: 'string' },
    'max-bytes': { type: 'string' },
    'timeout-ms': { type: 'string' },
  });
  const mock = values.mock === true;
  const url = (values.url as string | undefined) ?? (mock ? undefined : env.MONGODB_URL || undefined);
  const db = (values.db as string | undefined) ?? env.MONGODB_DB ?? dbOfUrl(url);
  const collections =
    list(values.collections as string[] | undefined) ?? list(env.MONGODB_COLLECTIONS ? [env.MONGODB_COLLECTIONS] : undefined) ?? [];
  const number = (flag: string, key: string) => (values[flag] === undefined ? {} : { [key]: Number(values[flag]) });
  const parsed = MongoConfigSchema.safeParse({
    url,
    mock,
    ...(db === undefined ? {} : { db }),
    collections,
    readOnly: values['read-only'] === true || env.MONGODB_READ_ONLY === '1',
    ...number('max-documents', 'maxDocuments'),
    ...number('max-bytes', 'maxBytes'),
    ...number('timeout-ms', 'timeoutMs'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    throw new ToolError('INVALID_CONFIG', `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue?.message}`, key);
  }
  const system = parsed.data.collections.find((name) => name.startsWith('system.') || name.includes('$'));
  if (system !== undefined) throw new ToolError('INVALID_CONFIG', `--collections: '${system}' cannot be allowed`, 'collections');
  return { config: parsed.data, transport };
}

/** Loads only the backend in use: the mock never loads the driver, a real server never loads mingo. */
export async function createBackend(config: MongoConfig): Promise<MongoBackend> {
  if (config.mock) return new (await import('./backend-mock.ts')).MemoryMongoBackend(config.db);
  const { createMongoBackend } = await import('./backend-real.ts');
  return createMongoBackend(config.url as string, config.db, { timeoutMs: config.timeoutMs });
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, transport } = parseMongoArgs(argv);
  const logger = createLogger('mongo');
  const backend = await createBackend(config);
  const running = await runServer({ factory: () => createServer(backend, config).server, transport, logger, close: () => backend.close() });
  logger.info({ db: config.db, collections: config.collections, readOnly: config.readOnly, backend: backend.kind }, 'mongo server ready');
  closeOnSignals(running, logger);
}
