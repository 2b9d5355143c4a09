import { statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { FlagError, parseFlags } from './flags.ts';
import { createLogger } from './logger.ts';

export interface RunningTestServer {
  /** e.g. http://127.0.0.1:7800 (no trailing path). */
  url: string;
  close(): Promise<void>;
}

/** Starts the test-server from command-line flags; logs `listening` with its `url` once it is. */
export async function main(argv: string[]): Promise<RunningTestServer> {
  const flags = parseFlags(argv);
  const casesDir = resolve(flags.casesDir);
  if (!isDirectory(casesDir)) throw new FlagError(`--cases: '${flags.casesDir}' is not a directory of *.yaml cases`);
  const logger = createLogger();
  const app = createApp({ casesDir, hub: { url: flags.hubUrl, ...(flags.token ? { token: flags.token } : {}) }, logger });
  const server = await listen(app.fetch, flags.host, flags.port);
  const { port } = server.address() as AddressInfo;
  const host = flags.host.includes(':') ? `[${flags.host}]` : flags.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, hub: flags.hubUrl, cases: casesDir }, 'listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((done) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      server.close(() => done());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down');
    void close().then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { url, close };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`test-server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof FlagError ? 2 : 1);
  });
}
