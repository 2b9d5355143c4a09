import { closeOnSignals, createLogger, parseServerFlags, runServer, ToolError } from '@switchboard/kit';
import type { RedisBackend } from './backend.ts';
import { resolveRawCommands } from './commands.ts';
import { type RedisConfig, RedisConfigSchema } from './config.ts';
import { createServer } from './server.ts';

export const USAGE = `switchboard server redis --url redis://HOST:6379[/DB] | --mock
    [--prefix app:,cache: ...] [--read-only] [--max-value-bytes N] [--max-items N]
    [--raw-commands safe|CMD,CMD...] [--transport stdio|http] [--port N] [--host H]
  env: REDIS_URL (when neither --url nor --mock is given), REDIS_PREFIXES (comma-separated), REDIS_READ_ONLY=1`;

const list = (values: string[] | undefined): string[] | undefined =>
  values === undefined
    ? undefined
    : values
        .flatMap((value) => value.split(','))
        .map((item) => item.trim())
        .filter(Boolean);

/** Flags, then env, into a validated config. */
export function parseRedisArgs(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values, transport } = parseServerFlags(argv, {
    url: { type: 'string' },
    mock: { type: 'boolean' },
    prefix: { type: 'string', multiple: true },
    'read-only': { type: 'boolean' },
    'max-value-bytes': { type: 'string' },
    'max-items': { type: 'string' },
    'raw-commands': { type: 'string', multiple: true },
  });
  const mock = values.mock === true;
  const url = (values.url as string | undefined) ?? (mock ? undefined : env.REDIS_URL || undefined);
  const prefixes =
    list(values.prefix as string[] | undefined) ?? list(env.REDIS_PREFIXES === undefined ? undefined : [env.REDIS_PREFIXES]) ?? [];
  const raw = list(values['raw-commands'] as string[] | undefined);
  const parsed = RedisConfigSchema.safeParse({
    url,
    mock,
    prefixes,
    readOnly: values['read-only'] === true || env.REDIS_READ_ONLY === '1',
    ...(values['max-value-bytes'] === undefined ? {} : { maxValueBytes: Number(values['max-value-bytes']) }),
    ...(values['max-items'] === undefined ? {} : { maxItems: Number(values['max-items']) }),
    ...(raw === undefined ? {} : { rawCommands: resolveRawCommands(raw) }),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const flag = key === 'prefixes' ? 'prefix' : key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new ToolError('INVALID_CONFIG', `--${flag}: ${issue?.message}`, key);
  }
  return { config: parsed.data, transport };
}

/** Loads only the backend in use: the mock never loads ioredis. */
export async function createBackend(config: RedisConfig, onConnectionError?: (error: Error) => void): Promise<RedisBackend> {
  if (config.mock) return new (await import('./backend-mock.ts')).MemoryRedisBackend();
  const { createRedisBackend } = await import('./backend-real.ts');
  return createRedisBackend(config.url as string, onConnectionError ? { onConnectionError } : {});
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, transport } = parseRedisArgs(argv);
  const logger = createLogger('redis');
  let lastProblem = '';
  const backend = await createBackend(config, (error) => {
    // ioredis reports every reconnect attempt; log each distinct problem once.
    if (error.message === lastProblem) return;
    lastProblem = error.message;
    logger.warn({ problem: error.message }, 'redis connection problem; calls fail with UPSTREAM_UNAVAILABLE until it recovers');
  });
  if (config.prefixes.length === 0) logger.warn('no --prefix given: every key of the database is reachable');
  const running = await runServer({ factory: () => createServer(backend, config).server, transport, logger, close: () => backend.close() });
  logger.info(
    { prefixes: config.prefixes, readOnly: config.readOnly, backend: backend.kind, rawCommands: config.rawCommands?.length ?? 0 },
    'redis server ready',
  );
  closeOnSignals(running, logger);
}
