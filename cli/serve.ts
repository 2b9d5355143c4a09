import { parseArgs } from 'node:util';
import { serveHubHttp, serveHubStdio } from '@switchboard/hub';
import { startHub } from './start-hub.ts';
import { UsageError } from './usage.ts';

/** `switchboard serve [--http|--stdio] [--port N] [--host H] [--config FILE]` — runs until a signal. */
export async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stdio: { type: 'boolean' },
      http: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
    },
    strict: true,
  });
  if (values.stdio && values.http) throw new UsageError('choose one of --stdio and --http');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new UsageError(`--port: '${values.port}' is not a port number`);
  const hub = await startHub(values.config);
  hub.tasks.start();
  let face: { close(): Promise<void> };
  if (values.stdio) {
    face = serveHubStdio(hub);
    hub.logger.info({ transport: 'stdio' }, 'serving');
    process.stdin.once('end', () => stop('stdin closed'));
  } else {
    const { host: configHost, port: configPort } = hub.config.hub.http;
    const listening = await serveHubHttp(hub, values.host ?? configHost, port ?? configPort);
    face = listening;
    hub.logger.info({ transport: 'http', url: listening.url }, 'listening');
  }
  let stopping = false;
  function stop(reason: string): void {
    if (stopping) return;
    stopping = true;
    hub.logger.info({ reason }, 'shutting down');
    Promise.allSettled([face.close(), hub.close()]).then(() => process.exit(0));
  }
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
