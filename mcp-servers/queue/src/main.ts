import { readFileSync } from 'node:fs';
import { closeOnSignals, createLogger, parseServerFlags, runServer, ToolError } from '@switchboard/kit';
import type { QueueBackend } from './backend.ts';
import { MemoryQueueBackend } from './backend-mock.ts';
import { createAmqpBackend } from './backend-real.ts';
import { type QueueConfig, QueueConfigSchema } from './config.ts';
import { createServer } from './server.ts';

export const USAGE = `switchboard server queue (--url amqp://USER:PASS@HOST:5672/VHOST | --mock) --queue NAME [--queue ...]
    [--exchange NAME ...] [--allow-purge] [--max-message-bytes N] [--max-batch-bytes N]
    [--transport stdio|http] [--port N] [--host H]
  A name ending in '*' allows every name with that prefix ('*' alone: all).
  env: AMQP_URL (or AMQP_URL_FILE), AMQP_QUEUES, AMQP_EXCHANGES (comma-separated)`;

const flagOf: Record<string, string> = {
  queues: 'queue',
  exchanges: 'exchange',
  allowPurge: 'allow-purge',
  maxMessageBytes: 'max-message-bytes',
  maxBatchBytes: 'max-batch-bytes',
};

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** `AMQP_URL`, else the trimmed contents of the file `AMQP_URL_FILE` names (it may hold a password). */
function urlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  if (env.AMQP_URL) return env.AMQP_URL;
  if (!env.AMQP_URL_FILE) return undefined;
  try {
    return readFileSync(env.AMQP_URL_FILE, 'utf8').trim();
  } catch (error) {
    throw new ToolError(
      'INVALID_CONFIG',
      `AMQP_URL_FILE: cannot read '${env.AMQP_URL_FILE}' (${(error as NodeJS.ErrnoException).code})`,
      'AMQP_URL_FILE',
    );
  }
}

/** Flags, then env, into a validated config. */
export function parseQueueArgs(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values, transport } = parseServerFlags(argv, {
    url: { type: 'string' },
    mock: { type: 'boolean' },
    queue: { type: 'string', multiple: true },
    exchange: { type: 'string', multiple: true },
    'allow-purge': { type: 'boolean' },
    'max-message-bytes': { type: 'string' },
    'max-batch-bytes': { type: 'string' },
  });
  const mock = values.mock === true;
  if (mock && values.url !== undefined) throw new ToolError('INVALID_CONFIG', '--mock and --url exclude each other', 'url');
  const url = mock ? undefined : ((values.url as string | undefined) ?? urlFromEnv(env));
  if (!mock && url === undefined) throw new ToolError('INVALID_CONFIG', '--url: give --url amqp://… (or AMQP_URL), or --mock', 'url');
  const number = (flag: string) => (values[flag] === undefined ? undefined : Number(values[flag]));
  const parsed = QueueConfigSchema.safeParse({
    url,
    mock,
    queues: (values.queue as string[] | undefined) ?? list(env.AMQP_QUEUES) ?? [],
    exchanges: (values.exchange as string[] | undefined) ?? list(env.AMQP_EXCHANGES) ?? [],
    allowPurge: values['allow-purge'] === true,
    maxMessageBytes: number('max-message-bytes'),
    maxBatchBytes: number('max-batch-bytes'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    // The URL may hold a password: name the flag, never echo the value.
    throw new ToolError('INVALID_CONFIG', `--${flagOf[key] ?? key}: ${issue?.message}`, key);
  }
  if (parsed.data.queues.length + parsed.data.exchanges.length === 0)
    throw new ToolError('INVALID_CONFIG', "--queue: allow at least one queue or exchange (--queue NAME, or --queue '*' for all)", 'queues');
  return { config: parsed.data, transport };
}

export function createBackend(config: QueueConfig): QueueBackend {
  return config.mock
    ? new MemoryQueueBackend(config.exchanges.filter((name) => !name.endsWith('*')))
    : createAmqpBackend(config.url as string);
}

/** The URL for logs: the password replaced. */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'amqp://(unparsable)';
  }
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, transport } = parseQueueArgs(argv);
  const logger = createLogger('queue');
  const backend = createBackend(config);
  const running = await runServer({ factory: () => createServer(backend, config).server, transport, logger, close: () => backend.close() });
  logger.info(
    {
      url: redactUrl(config.url) ?? 'memory',
      queues: config.queues,
      exchanges: config.exchanges,
      allowPurge: config.allowPurge,
      backend: backend.kind,
    },
    'queue server ready',
  );
  closeOnSignals(running, logger);
}
