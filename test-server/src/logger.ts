import pino, { type Logger } from 'pino';

/** JSON logs to stderr; level from LOG_LEVEL (default info, `silent` in tests). */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'test-server', level, base: { name: 'test-server', pid: process.pid } }, pino.destination({ fd: 2, sync: true }));
}
