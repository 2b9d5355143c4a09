import type { Logger } from '../logger.ts';

/**
 * Closes `running` once on SIGINT/SIGTERM, or when stdin ends for a stdio server: a parent that dies
 * (even by SIGKILL) closes our stdin, and a server must not outlive it as an orphan. An HTTP server
 * whose parent asks for the same (SWITCHBOARD_EXIT_WITH_STDIN=1, as `switchboard up` does) watches
 * its stdin too.
 */
export function closeOnSignals(running: { close(): Promise<void>; transport?: 'stdio' | 'http' }, logger: Logger): void {
  let closing = false;
  const stop = (reason: string) => {
    if (closing) return;
    closing = true;
    logger.info({ reason }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const watchStdin = running.transport === 'http' && process.env.SWITCHBOARD_EXIT_WITH_STDIN === '1';
  // over HTTP nothing reads stdin: read (and drop) it, or its end would never be seen
  if (watchStdin) process.stdin.resume();
  if (running.transport === 'stdio' || watchStdin) {
    process.stdin.once('end', () => stop('stdin closed'));
    process.stdin.once('close', () => stop('stdin closed'));
  }
}
