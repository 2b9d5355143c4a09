import { readFileSync } from 'node:fs';
import { closeOnSignals, createLogger, type Logger, parseServerFlags, runServer, ToolError } from '@switchboard/kit';
import type { KafkaBackend } from './backend.ts';
import { MemoryKafkaBackend } from './backend-mock.ts';
import { type KafkaConfig, KafkaConfigSchema } from './config.ts';
import { createServer } from './server.ts';

export const USAGE = `switchboard server kafka (--brokers HOST:PORT[,HOST:PORT…] | --mock)
    [--topic NAME ...] [--produce-topic NAME ...] [--consume-topic NAME ...] [--group NAME ...]
    [--allow-create-topics] [--max-message-bytes N] [--max-batch-bytes N] [--ssl] [--client-id ID]
    [--session-timeout-ms N] [--transport stdio|http] [--port N] [--host H]
  --topic allows both produce and consume; a name ending in '*' allows a prefix ('*' alone: all).
  --group limits the consumer groups consume may use (default: any).
  env: KAFKA_BROKERS, KAFKA_TOPICS, KAFKA_PRODUCE_TOPICS, KAFKA_CONSUME_TOPICS, KAFKA_GROUPS (comma-separated);
       KAFKA_SASL_MECHANISM (plain|scram-sha-256|scram-sha-512), KAFKA_SASL_USERNAME,
       KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)`;

const flagOf: Record<string, string> = {
  brokers: 'brokers',
  produceTopics: 'produce-topic',
  consumeTopics: 'consume-topic',
  groups: 'group',
  maxMessageBytes: 'max-message-bytes',
  maxBatchBytes: 'max-batch-bytes',
  clientId: 'client-id',
  sessionTimeoutMs: 'session-timeout-ms',
  sasl: 'KAFKA_SASL_*',
};

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** SASL settings from env only: a password in argv is visible in `ps`. */
function saslFromEnv(env: NodeJS.ProcessEnv) {
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism === undefined || mechanism === '') return undefined;
  let password = env.KAFKA_SASL_PASSWORD;
  if (password === undefined && env.KAFKA_SASL_PASSWORD_FILE) {
    try {
      password = readFileSync(env.KAFKA_SASL_PASSWORD_FILE, 'utf8').trim();
    } catch (error) {
      throw new ToolError(
        'INVALID_CONFIG',
        `KAFKA_SASL_PASSWORD_FILE: cannot read '${env.KAFKA_SASL_PASSWORD_FILE}' (${(error as NodeJS.ErrnoException).code})`,
        'KAFKA_SASL_PASSWORD_FILE',
      );
    }
  }
  return { mechanism: mechanism.toLowerCase(), username: env.KAFKA_SASL_USERNAME, password };
}

/** Flags, then env, into a validated config. */
export function parseKafkaArgs(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values, transport } = parseServerFlags(argv, {
    brokers: { type: 'string' },
    mock: { type: 'boolean' },
    topic: { type: 'string', multiple: true },
    'produce-topic': { type: 'string', multiple: true },
    'consume-topic': { type: 'string', multiple: true },
    group: { type: 'string', multiple: true },
    'allow-create-topics': { type: 'boolean' },
    'max-message-bytes': { type: 'string' },
    'max-batch-bytes': { type: 'string' },
    'client-id': { type: 'string' },
    'session-timeout-ms': { type: 'string' },
    ssl: { type: 'boolean' },
  });
  const mock = values.mock === true;
  if (mock && values.brokers !== undefined) throw new ToolError('INVALID_CONFIG', '--mock and --brokers exclude each other', 'brokers');
  const brokers = mock ? undefined : list((values.brokers as string | undefined) ?? env.KAFKA_BROKERS);
  if (!mock && (brokers === undefined || brokers.length === 0))
    throw new ToolError('INVALID_CONFIG', '--brokers: give --brokers host:port[,host:port…] (or KAFKA_BROKERS), or --mock', 'brokers');
  const both = (values.topic as string[] | undefined) ?? list(env.KAFKA_TOPICS) ?? [];
  const strings = (flag: string, envName: string) => (values[flag] as string[] | undefined) ?? list(env[envName]);
  const number = (flag: string) => (values[flag] === undefined ? undefined : Number(values[flag]));
  const parsed = KafkaConfigSchema.safeParse({
    brokers,
    mock,
    produceTopics: [...both, ...(strings('produce-topic', 'KAFKA_PRODUCE_TOPICS') ?? [])],
    consumeTopics: [...both, ...(strings('consume-topic', 'KAFKA_CONSUME_TOPICS') ?? [])],
    groups: strings('group', 'KAFKA_GROUPS'),
    allowCreateTopics: values['allow-create-topics'] === true,
    maxMessageBytes: number('max-message-bytes'),
    maxBatchBytes: number('max-batch-bytes'),
    clientId: values['client-id'],
    ssl: values.ssl === true,
    sasl: mock ? undefined : saslFromEnv(env),
    sessionTimeoutMs: number('session-timeout-ms'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const name = flagOf[key] ?? key;
    // SASL values may hold a password: name the setting, never echo the value.
    throw new ToolError('INVALID_CONFIG', `${name.startsWith('KAFKA') ? name : `--${name}`}: ${issue?.message}`, key);
  }
  if (parsed.data.produceTopics.length + parsed.data.consumeTopics.length === 0)
    throw new ToolError(
      'INVALID_CONFIG',
      "--topic: allow at least one topic (--topic, --produce-topic or --consume-topic NAME; '*' for all)",
      'produceTopics',
    );
  return { config: parsed.data, transport };
}

/**
 * The mock starts with every exactly-named allowlisted topic, one partition each. kafkajs loads only
 * for a real cluster: the hub starts every mock upstream at once, and each module read counts there.
 */
export async function createBackend(config: KafkaConfig, logger?: Logger): Promise<KafkaBackend> {
  if (!config.mock) return (await import('./backend-real.ts')).createKafkaBackend(config, logger);
  const named = [...config.produceTopics, ...config.consumeTopics].filter((name) => !name.includes('*') && !name.startsWith('__'));
  return new MemoryKafkaBackend([...new Set(named)].map((name) => [name, 1] as [string, number]));
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, transport } = parseKafkaArgs(argv);
  const logger = createLogger('kafka');
  const backend = await createBackend(config, logger);
  const running = await runServer({ factory: () => createServer(backend, config).server, transport, logger, close: () => backend.close() });
  logger.info(
    {
      brokers: config.brokers ?? 'memory',
      produceTopics: config.produceTopics,
      consumeTopics: config.consumeTopics,
      groups: config.groups,
      allowCreateTopics: config.allowCreateTopics,
      sasl: config.sasl?.mechanism ?? 'none',
      backend: backend.kind,
    },
    'kafka server ready',
  );
  closeOnSignals(running, logger);
}
