import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closeOnSignals, createLogger, parseServerFlags, runServer, ToolError } from '@switchboard/kit';
import type { SqlBackend } from './backend.ts';
import { MemorySqlBackend } from './backend-mock.ts';
import { PostgresBackend } from './backend-real.ts';
import { redactUrl, type SqlConfig, SqlConfigSchema } from './config.ts';
import { createServer } from './server.ts';

export const USAGE = `switchboard server sql --url postgres://USER@HOST:5432/DB [--allow-writes] [--schemas a,b] [--tables s.t,u]
    [--max-rows N] [--max-bytes N] [--statement-timeout-ms N] [--pool-size N] [--allow-superuser]
    [--transport stdio|http] [--port N] [--host H]
  switchboard server sql --mock [--seed FILE.sql] [same options]
  env: DATABASE_URL (else --url; PGPASSWORD and other PG* variables also apply), SQL_SCHEMAS, SQL_TABLES,
       SQL_MAX_ROWS, SQL_MAX_BYTES, SQL_STATEMENT_TIMEOUT_MS (flags win; nothing that widens access comes from env)`;

const numberFlags = {
  'max-rows': ['maxRows', 'SQL_MAX_ROWS'],
  'max-bytes': ['maxBytes', 'SQL_MAX_BYTES'],
  'statement-timeout-ms': ['statementTimeoutMs', 'SQL_STATEMENT_TIMEOUT_MS'],
  'pool-size': ['poolSize', undefined],
} as const;

/** Flags, then env, into a validated config. Errors name the flag. */
export function parseSqlArgs(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values, transport } = parseServerFlags(argv, {
    url: { type: 'string' },
    mock: { type: 'boolean' },
    seed: { type: 'string' },
    'allow-writes': { type: 'boolean' },
    'allow-superuser': { type: 'boolean' },
    schemas: { type: 'string' },
    tables: { type: 'string' },
    ...Object.fromEntries(Object.keys(numberFlags).map((flag) => [flag, { type: 'string' as const }])),
  });
  const mock = values.mock === true;
  const numbers: Record<string, number> = {};
  for (const [flag, [key, envName]] of Object.entries(numberFlags)) {
    const raw = (values[flag] as string | undefined) ?? (envName === undefined ? undefined : env[envName]);
    if (raw !== undefined) numbers[key] = raw.trim() === '' ? Number.NaN : Number(raw);
  }
  const parsed = SqlConfigSchema.safeParse({
    url: mock ? undefined : ((values.url as string | undefined) ?? env.DATABASE_URL),
    mock,
    seed: values.seed === undefined ? undefined : resolve(values.seed as string),
    allowWrites: values['allow-writes'] === true,
    allowSuperuser: values['allow-superuser'] === true,
    schemas: list((values.schemas as string | undefined) ?? env.SQL_SCHEMAS),
    tables: list((values.tables as string | undefined) ?? env.SQL_TABLES),
    ...numbers,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new ToolError('INVALID_CONFIG', `--${flag}: ${issue?.message}`, key);
  }
  return { config: parsed.data, transport };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function createBackend(config: SqlConfig): SqlBackend {
  if (config.mock) {
    let seed: string | undefined;
    if (config.seed !== undefined) {
      try {
        seed = readFileSync(config.seed, 'utf8');
      } catch {
        throw new ToolError('INVALID_CONFIG', `--seed: cannot read ${config.seed}`, 'seed');
      }
    }
    try {
      return MemorySqlBackend.seeded(seed);
    } catch (error) {
      throw new ToolError('INVALID_CONFIG', `--seed: ${config.seed} failed: ${(error as Error).message.split('\n')[0]}`, 'seed');
    }
  }
  return new PostgresBackend({ url: config.url as string, poolSize: config.poolSize, allowSuperuser: config.allowSuperuser });
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, transport } = parseSqlArgs(argv);
  const logger = createLogger('sql');
  const backend = createBackend(config);
  if (backend instanceof PostgresBackend) {
    // A role that can reach past the database stops the server now; an unreachable database does
    // not (the tools answer UPSTREAM_UNAVAILABLE until it is back).
    try {
      await backend.verify();
    } catch (error) {
      if (error instanceof ToolError && error.code === 'INVALID_CONFIG') {
        await backend.close();
        throw error;
      }
      logger.warn({ err: (error as Error).message }, 'PostgreSQL is not reachable yet; tools will report UPSTREAM_UNAVAILABLE until it is');
    }
  }
  const running = await runServer({ factory: () => createServer(backend, config).server, transport, logger, close: () => backend.close() });
  logger.info(
    {
      backend: backend.kind,
      ...(config.url === undefined ? {} : { url: redactUrl(config.url) }),
      allowWrites: config.allowWrites,
      schemas: config.schemas,
      tables: config.tables,
    },
    'sql server ready',
  );
  closeOnSignals(running, logger);
}
