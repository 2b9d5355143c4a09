import { existsSync, realpathSync } from 'node:fs';
import { delimiter, posix, resolve } from 'node:path';
import { closeOnSignals, createLogger, parseServerFlags, runServer, ToolError } from '@switchboard/kit';
import type { FsBackend } from './backend.ts';
import { MemoryFsBackend } from './backend-mock.ts';
import { createDiskBackend } from './backend-real.ts';
import { DEFAULT_DENY, type FsConfig, FsConfigSchema } from './config.ts';
import { isInside } from './guard.ts';
import { parseRootSpec } from './root-spec.ts';
import { createServer } from './server.ts';

export const USAGE = `switchboard server fs --root DIR[:ro][:deny=GLOB,...] [--root ...] [--read-only]
    [--deny GLOB ...] [--no-default-deny] [--protect PATH ...] [--mock [--seed DIR]]
    [--max-read-bytes N] [--max-write-bytes N] [--max-read-many-bytes N]
    [--transport stdio|http] [--port N] [--host H]
  env: FS_ROOTS (list separated by '${delimiter}'), FS_READ_ONLY=1,
       SWITCHBOARD_PROTECT (paths separated by '${delimiter}': the hub's config, roles, audit store, keys)
  default deny globs: ${DEFAULT_DENY.join(' ')}`;

const flagOf: Record<string, string> = { roots: 'root', protect: 'protect', deny: 'deny' };

/** Flags, then env, into a validated config. Disk roots become absolute real paths. */
export function parseFsArgs(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values, transport } = parseServerFlags(argv, {
    root: { type: 'string', multiple: true },
    'read-only': { type: 'boolean' },
    deny: { type: 'string', multiple: true },
    'no-default-deny': { type: 'boolean' },
    protect: { type: 'string', multiple: true },
    mock: { type: 'boolean' },
    seed: { type: 'string' },
    'max-read-bytes': { type: 'string' },
    'max-write-bytes': { type: 'string' },
    'max-read-many-bytes': { type: 'string' },
  });
  const specs = (values.root as string[] | undefined) ?? env.FS_ROOTS?.split(delimiter).filter(Boolean) ?? [];
  const mock = values.mock === true;
  const place = (path: string) => (mock ? posix.resolve('/', path) : absoluteReal(path));
  const roots = specs.map((spec) => {
    const root = parseRootSpec(spec);
    return { ...root, path: place(root.path) };
  });
  const protect = [
    ...((values.protect as string[] | undefined) ?? []),
    ...(env.SWITCHBOARD_PROTECT?.split(delimiter).filter(Boolean) ?? []),
  ];
  const numbers = ['max-read-bytes', 'max-write-bytes', 'max-read-many-bytes'] as const;
  const parsed = FsConfigSchema.safeParse({
    roots,
    readOnly: values['read-only'] === true || env.FS_READ_ONLY === '1',
    deny: [...(values['no-default-deny'] === true ? [] : DEFAULT_DENY), ...((values.deny as string[] | undefined) ?? [])],
    protect: protect.map((path) => (mock ? posix.resolve('/', path) : absoluteReal(path))),
    mock,
    seed: values.seed === undefined ? undefined : resolve(values.seed as string),
    ...Object.fromEntries(
      numbers
        .filter((flag) => values[flag] !== undefined)
        .map((flag) => [flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), Number(values[flag])]),
    ),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const flag = flagOf[key] ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new ToolError('INVALID_CONFIG', `--${flag}: ${issue?.message}`, key);
  }
  if (parsed.data.seed !== undefined && !parsed.data.mock) throw new ToolError('INVALID_CONFIG', '--seed works only with --mock', 'seed');
  return { config: parsed.data, transport };
}

/** Real path when it exists (so symlink checks compare like with like), else the absolute path. */
function absoluteReal(path: string): string {
  const absolute = resolve(path);
  return existsSync(absolute) ? realpathSync(absolute) : absolute;
}

export function createBackend(config: FsConfig): FsBackend {
  return config.mock ? MemoryFsBackend.seeded(config.roots[0]?.path as string, config.seed) : createDiskBackend();
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, transport } = parseFsArgs(argv);
  const logger = createLogger('fs');
  const missing = config.mock ? [] : config.roots.filter((root) => !existsSync(root.path)).map((root) => root.path);
  if (missing.length > 0) logger.warn({ missing }, 'some roots are missing; the others keep working');
  const shadowed = config.roots.filter((root) => config.protect.some((entry) => isInside(entry, root.path))).map((root) => root.path);
  if (shadowed.length > 0) logger.warn({ shadowed }, 'some roots lie inside protected paths; every call there is refused');
  const backend = createBackend(config);
  const running = await runServer({
    factory: () => createServer(backend, config).server,
    transport,
    logger,
    close: () => backend.close(),
  });
  logger.info(
    { roots: config.roots, readOnly: config.readOnly, deny: config.deny, protect: config.protect.length, backend: backend.kind },
    'fs server ready',
  );
  closeOnSignals(running, logger);
}
