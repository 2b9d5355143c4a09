export type { BatchOutcome, Delivery, QueueBackend, QueueStats } from './backend.ts';
export { MemoryQueueBackend } from './backend-mock.ts';
export { createAmqpBackend } from './backend-real.ts';
export { type QueueConfig, QueueConfigSchema } from './config.ts';
export { checkAllowed, checkHeaders } from './guard.ts';
export { createBackend, main, parseQueueArgs, redactUrl } from './main.ts';
export { createServer } from './server.ts';
