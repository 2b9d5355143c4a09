import type { Logger } from '../logger.ts';

/** Closes `running` once on SIGINT/SIGTERM (or stdin end for stdio), then exits. */
export function closeOnSignals(running: { close(): Promise<void> }, logger: Logger): void {
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
}
