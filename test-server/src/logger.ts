import pino, { type Logger } from 'pino';

/**
 * JSON logs to stderr, in the line format every Switchboard process shares (the kit's createLogger;
 * the test-server may not import the kit): ISO `time`, `level` label, `msg`, `service`, `pid`.
 * Level from LOG_LEVEL (default info, `silent` in tests).
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { service: 'test-server', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
