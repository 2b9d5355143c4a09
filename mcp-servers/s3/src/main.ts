import { closeOnSignals, createLogger, parseServerFlags, runServer, ToolError } from '@switchboard/kit';
import type { S3Backend } from './backend.ts';
import { MemoryS3Backend } from './backend-mock.ts';
import { createS3Backend } from './backend-real.ts';
import { type S3Config, S3ConfigSchema } from './config.ts';
import { type Credentials, credentialsFromEnv } from './credentials.ts';
import { parseBucketSpecs } from './guard.ts';
import { createServer } from './server.ts';

export const USAGE = `switchboard server s3 (--endpoint URL | --mock) --bucket NAME[:PREFIX/] [--bucket ...] [--region R]
    [--path-style] [--read-only] [--max-object-bytes N] [--max-presign-seconds N]
    [--transport stdio|http] [--port N] [--host H]
  --url is the same as --endpoint; without either, the AWS endpoint of --region is used.
  env: S3_ENDPOINT, S3_BUCKETS (comma-separated specs), AWS_REGION, S3_PATH_STYLE=1, S3_READ_ONLY=1,
       AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (or each as *_FILE)`;

const flagOf: Record<string, string> = {
  buckets: 'bucket',
  endpoint: 'endpoint',
  pathStyle: 'path-style',
  readOnly: 'read-only',
  maxObjectBytes: 'max-object-bytes',
  maxPresignSeconds: 'max-presign-seconds',
};

/** Flags, then env, into a validated config; credentials stay out of the config (it may be logged). */
export function parseS3Args(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values, transport } = parseServerFlags(argv, {
    endpoint: { type: 'string' },
    url: { type: 'string' },
    region: { type: 'string' },
    bucket: { type: 'string', multiple: true },
    'path-style': { type: 'boolean' },
    'read-only': { type: 'boolean' },
    mock: { type: 'boolean' },
    'max-object-bytes': { type: 'string' },
    'max-presign-seconds': { type: 'string' },
  });
  const mock = values.mock === true;
  const endpoint = (values.endpoint ?? values.url ?? env.S3_ENDPOINT) as string | undefined;
  if (mock && endpoint !== undefined && (values.endpoint ?? values.url) !== undefined)
    throw new ToolError('INVALID_CONFIG', '--mock and --endpoint exclude each other', 'endpoint');
  const specs =
    (values.bucket as string[] | undefined) ??
    env.S3_BUCKETS?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ??
    [];
  const number = (flag: string) => (values[flag] === undefined ? undefined : Number(values[flag]));
  const parsed = S3ConfigSchema.safeParse({
    endpoint: mock ? undefined : endpoint,
    region: (values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1') as string,
    pathStyle: values['path-style'] === true || env.S3_PATH_STYLE === '1',
    buckets: parseBucketSpecs(specs),
    readOnly: values['read-only'] === true || env.S3_READ_ONLY === '1',
    mock,
    maxObjectBytes: number('max-object-bytes'),
    maxPresignSeconds: number('max-presign-seconds'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    throw new ToolError('INVALID_CONFIG', `--${flagOf[key] ?? key}: ${issue?.message}`, key);
  }
  return { config: parsed.data, transport, credentials: mock ? undefined : credentialsFromEnv(env) };
}

export function createBackend(config: S3Config, credentials?: Credentials): S3Backend {
  if (config.mock) return new MemoryS3Backend(config.buckets.map((rule) => rule.name));
  return createS3Backend({ endpoint: config.endpoint, region: config.region, pathStyle: config.pathStyle, credentials });
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, transport, credentials } = parseS3Args(argv);
  const logger = createLogger('s3');
  const backend = createBackend(config, credentials);
  const running = await runServer({ factory: () => createServer(backend, config).server, transport, logger, close: () => backend.close() });
  logger.info(
    {
      endpoint: config.endpoint ?? (config.mock ? 'memory' : 'aws'),
      buckets: config.buckets,
      readOnly: config.readOnly,
      backend: backend.kind,
    },
    's3 server ready',
  );
  closeOnSignals(running, logger);
}
