import { existsSync, realpathSync } from 'node:fs';
import { delimiter, posix, resolve } from 'node:path';
import { closeOnSignals, createLogger, parseServerFlags, runServer, ToolError } from '@switchboard/kit';
import type { FsBackend } from './backend.ts';
import { MemoryFsBackend } from './backend-mock.ts';
import { createDiskBackend } from './backend-real.ts';
import { type FsConfig, FsConfigSchema } from './config.ts';
import { createServer } from './server.ts';

export const USAGE = `switchboard server fs --root DIR [--root DIR ...] [--read-only] [--mock [--seed DIR]]
    [--max-read-bytes N] [--max-write-bytes N] [--transport stdio|http] [--port N] [--host H]
  env: FS_ROOTS (list separated by '${delimiter}'), FS_READ_ONLY=1`;

/** Flags, then env, into a validated config. Disk roots become absolute real paths. */
export function parseFsArgs(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values, transport } = parseServerFlags(argv, {
    root: { type: 'string', multiple: true },
    'read-only': { type: 'boolean' },
    mock: { type: 'boolean' },
    seed: { type: 'string' },
    'max-read-bytes': { type: 'string' },
    'max-write-bytes': { type: 'string' },
  });
  const roots = (values.root as string[] | undefined) ?? env.FS_ROOTS?.split(delimiter).filter(Boolean) ?? [];
  const mock = values.mock === true;
  const parsed = FsConfigSchema.safeParse({
    roots: roots.map((root) => (mock ? posix.resolve('/', root) : absoluteRoot(root))),
    readOnly: values['read-only'] === true || env.FS_READ_ONLY === '1',
    mock,
    seed: values.seed === undefined ? undefined : resolve(values.seed as string),
    ...(values['max-read-bytes'] === undefined ? {} : { maxReadBytes: Number(values['max-read-bytes']) }),
    ...(values['max-write-bytes'] === undefined ? {} : { maxWriteBytes: Number(values['max-write-bytes']) }),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const flag = key === 'roots' ? 'root' : key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new ToolError('INVALID_CONFIG', `--${flag}: ${issue?.message}`, key);
  }
  if (parsed.data.seed !== undefined && !parsed.data.mock) throw new ToolError('INVALID_CONFIG', '--seed works only with --mock', 'seed');
  return { config: parsed.data, transport };
}

/** Real path when the root exists (so symlink checks compare like with like), else the absolute path. */
function absoluteRoot(root: string): string {
  const absolute = resolve(root);
  return existsSync(absolute) ? realpathSync(absolute) : absolute;
}

export function createBackend(config: FsConfig): FsBackend {
  return config.mock ? MemoryFsBackend.seeded(config.roots[0] as string, config.seed) : createDiskBackend();
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, transport } = parseFsArgs(argv);
  const logger = createLogger('fs');
  const missing = config.mock ? [] : config.roots.filter((root) => !existsSync(root));
  if (missing.length > 0) logger.warn({ missing }, 'some roots are missing; the others keep working');
  const backend = createBackend(config);
  const running = await runServer({
    factory: () => createServer(backend, config).server,
    transport,
    logger,
    close: () => backend.close(),
  });
  logger.info({ roots: config.roots, readOnly: config.readOnly, backend: backend.kind }, 'fs server ready');
  closeOnSignals(running, logger);
}
