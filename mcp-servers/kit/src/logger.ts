import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logs to stderr: stdout belongs to the stdio transport, and one stray byte there breaks the
 * protocol. Level from LOG_LEVEL (default info); `silent` turns logging off in tests.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { name, pid: process.pid } }, pino.destination({ fd: 2, sync: true }));
}
