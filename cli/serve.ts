import { parseArgs } from 'node:util';
import { serveHubHttp, serveHubStdio } from '@switchboard/hub';
import { startHub } from './start-hub.ts';
import { UsageError } from './usage.ts';

/** How long shutdown waits for the client face (HTTP sessions, streams) to close. */
const FACE_CLOSE_MS = 5000;

/** `switchboard serve [--http|--stdio [--profile NAME] [--tools GLOBS]] [--port N] [--host H] [--config FILE]` — runs until a signal. */
export async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stdio: { type: 'boolean' },
      http: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      'drain-ms': { type: 'string' },
      profile: { type: 'string' },
      tools: { type: 'string' },
    },
    strict: true,
  });
  if (values.stdio && values.http) throw new UsageError('choose one of --stdio and --http');
  if ((values.profile !== undefined || values.tools !== undefined) && !values.stdio)
    throw new UsageError('--profile and --tools are for --stdio; over HTTP use /mcp/<profile> and ?tools=');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new UsageError(`--port: '${values.port}' is not a port number`);
  const drainMs = Number(values['drain-ms'] ?? process.env.SWITCHBOARD_DRAIN_MS ?? 10_000);
  if (!Number.isInteger(drainMs) || drainMs < 0)
    throw new UsageError(`--drain-ms: '${values['drain-ms']}' is not a number of milliseconds`);
  const hub = await startHub(values.config);
  hub.tasks.start();
  let face: { close(): Promise<void> };
  if (values.stdio) {
    face = serveHubStdio(hub, { profile: values.profile, tools: values.tools });
    hub.logger.info({ transport: 'stdio', profile: values.profile, tools: values.tools }, 'serving');
    process.stdin.once('end', () => stop('stdin closed'));
  } else {
    const { host: configHost, port: configPort } = hub.config.hub.http;
    const listening = await serveHubHttp(hub, values.host ?? configHost, port ?? configPort);
    face = listening;
    hub.logger.info({ transport: 'http', url: listening.url }, 'listening');
  }
  let stopping = false;
  // SIGTERM (compose, Kubernetes) or Ctrl-C: drain, then close. A second signal exits at once.
  function stop(reason: string): void {
    if (stopping) {
      hub.logger.warn({ reason }, 'second signal: exiting without waiting for calls in flight');
      process.exit(1);
    }
    stopping = true;
    hub.logger.info({ reason, inFlight: hub.callsInFlight, drainMs }, 'shutting down: draining calls in flight');
    void hub
      .drain(drainMs)
      .then(({ drained, inFlight }) => {
        if (drained) hub.logger.info('drained: no call in flight');
        else hub.logger.warn({ inFlight }, 'drain period over: cancelling the calls still running');
        // The face's close waits on its sessions' transports, and now and then under load one never
        // settles (seen in test/isolation/process-hygiene.test.ts): calls are drained by now, so it
        // gets FACE_CLOSE_MS, then the hub exits anyway. The hub itself (upstreams, stores) is awaited.
        let timer: NodeJS.Timeout | undefined;
        const faceClosed = Promise.race([
          face.close().then(() => hub.logger.info('face closed')),
          new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              hub.logger.warn({ waitedMs: FACE_CLOSE_MS }, 'the client face did not close in time: exiting anyway');
              resolve();
            }, FACE_CLOSE_MS);
          }),
        ]).finally(() => clearTimeout(timer));
        return Promise.allSettled([faceClosed, hub.close()]);
      })
      .then(() => {
        hub.logger.info('stopped');
        process.exit(0);
      });
  }
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
