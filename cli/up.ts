import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Hub, type LoadedConfig, loadRoles, serveHubHttp } from '@switchboard/hub';
import { createLogger } from '@switchboard/kit';
import { defaultRolesDir, repoRoot } from './start-hub.ts';
import { loadUpConfig } from './up-defaults.ts';
import { type ManagedServer, type ServerSpec, ServerSupervisor } from './up-servers.ts';
import { UsageError } from './usage.ts';

const selfCommand = [process.execPath, join(repoRoot, 'bin', 'switchboard.mjs')];

/**
 * `switchboard up [--config FILE] [--port N] [--host H] [--drain-ms N]`: the whole system on one machine
 * without Docker. Every built-in server of the config runs as its own process on a loopback port with a
 * fresh bearer token; the hub runs here and reaches them over HTTP. Prints where each listens; Ctrl-C
 * (or SIGTERM) drains the hub, then stops every server.
 */
export async function up(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'drain-ms': { type: 'string' } },
    strict: true,
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new UsageError(`--port: '${values.port}' is not a port number`);
  const drainMs = Number(values['drain-ms'] ?? process.env.SWITCHBOARD_DRAIN_MS ?? 10_000);
  if (!Number.isInteger(drainMs) || drainMs < 0)
    throw new UsageError(`--drain-ms: '${values['drain-ms']}' is not a number of milliseconds`);

  const loaded = loadUpConfig(values.config, defaultRolesDir);
  const roles = loadRoles(loaded.rolesDir);
  const logger = createLogger('hub');
  const supervisor = new ServerSupervisor(selfCommand, loaded.baseDir, logger);
  const stopServers = () => supervisor.stopAll();
  process.once('exit', () => void stopServers());

  const builtins = Object.entries(loaded.config.upstreams).flatMap(([name, spec]) =>
    'server' in spec ? [[name, spec as ServerSpec] as const] : [],
  );
  const outcomes = await Promise.allSettled(builtins.map(([name, spec]) => supervisor.start(name, spec)));
  const servers: ManagedServer[] = [];
  const failed: string[] = [];
  outcomes.forEach((outcome, i) => {
    const name = builtins[i]?.[0] as string;
    if (outcome.status === 'fulfilled') servers.push(outcome.value);
    else {
      failed.push(name);
      logger.error({ server: name, err: (outcome.reason as Error).message }, 'server did not start; the hub runs without it');
    }
  });
  const hub = await Hub.start({ loaded: overHttp(loaded, servers, failed), roles, logger, selfCommand });
  hub.tasks.start();
  const http = hub.config.hub.http;
  const face = await serveHubHttp(hub, values.host ?? http.host, port ?? http.port);
  logger.info({ transport: 'http', url: face.url }, 'listening');
  process.stdout.write(summary(face.url, loaded, servers, failed));

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) {
      logger.warn({ reason }, 'second signal: stopping at once');
      void stopServers().finally(() => process.exit(1));
      return;
    }
    stopping = true;
    logger.info({ reason, inFlight: hub.callsInFlight, drainMs }, 'shutting down: draining calls in flight');
    void hub
      .drain(drainMs)
      .then(() => Promise.allSettled([face.close(), hub.close()]))
      .then(stopServers)
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** The config the hub runs on: each server `up` started is an HTTP upstream with its token; failed ones are left out. */
function overHttp(loaded: LoadedConfig, servers: ManagedServer[], failed: string[]): LoadedConfig {
  const upstreams: Record<string, unknown> = { ...loaded.config.upstreams };
  for (const name of failed) delete upstreams[name];
  for (const server of servers) {
    const { server: _builtin, args: _args, cwd: _cwd, ...common } = upstreams[server.name] as ServerSpec & Record<string, unknown>;
    upstreams[server.name] = { ...common, url: server.url, headers: { Authorization: `Bearer ${server.token}` } };
  }
  return { ...loaded, config: { ...loaded.config, upstreams: upstreams as LoadedConfig['config']['upstreams'] } };
}

function summary(hubUrl: string, loaded: LoadedConfig, servers: ManagedServer[], failed: string[]): string {
  const { config, baseDir, source } = loaded;
  const data = relative(process.cwd(), join(baseDir, config.hub.dataDir)) || '.';
  const rows = [
    ['hub', hubUrl, String(process.pid), `config ${source}; tasks ${config.tasks.store}, audit ${config.audit.store} (data: ${data})`],
    ...servers.map((s) => [s.name, s.url, String(s.pid() ?? '?'), 'bearer token: only the hub has it']),
    ...failed.map((name) => [name, 'NOT RUNNING', '-', 'see the error above']),
    ...Object.entries(config.upstreams)
      .filter(([, spec]) => !('server' in spec))
      .map(([name, spec]) => [name, 'url' in spec ? spec.url : 'stdio (spawned by the hub)', '-', 'not a built-in server']),
  ];
  const width = (i: number) => Math.max(...rows.map((r) => (r[i] ?? '').length));
  const lines = rows.map(
    (r) => `  ${(r[0] ?? '').padEnd(width(0))}  ${(r[1] ?? '').padEnd(width(1))}  pid ${(r[2] ?? '').padEnd(width(2))}  ${r[3]}`,
  );
  return `switchboard up: ${servers.length + 1} processes\n${lines.join('\n')}\nCtrl-C stops them all.\n`;
}
