import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logs to stderr: stdout belongs to the stdio transport, and one stray byte there breaks the
 * protocol. Level from LOG_LEVEL (default info); `silent` turns logging off in tests.
 *
 * One line format for the hub, every server and the test-server (docs/operations.md, "Logs"):
 * `time` (ISO 8601), `level` (a label: info, warn, …), `msg`, `service` (hub, fs, …), `pid`, and per
 * call `correlationId`, `principal`, `tool`, `durationMs`.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
