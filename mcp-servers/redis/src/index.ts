export { type RedisBackend, RedisBackendError, type RedisFailure } from './backend.ts';
export { MemoryRedisBackend } from './backend-mock.ts';
export { createRedisBackend } from './backend-real.ts';
export { ManualClock } from './clock.ts';
export { CONFINABLE_COMMANDS, NEVER_ALLOWED } from './commands.ts';
export { type RedisConfig, RedisConfigSchema } from './config.ts';
export { createBackend, main, parseRedisArgs } from './main.ts';
export { createServer } from './server.ts';
