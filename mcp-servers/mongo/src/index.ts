export type { Doc, FindOptions, MongoBackend, MongoFailure, UpdateOutcome } from './backend.ts';
export { MongoBackendError } from './backend.ts';
export { MemoryMongoBackend } from './backend-mock.ts';
export { createMongoBackend } from './backend-real.ts';
export { type MongoConfig, MongoConfigSchema } from './config.ts';
export { fromExtendedJson, toExtendedJson } from './ejson.ts';
export { createBackend, main, parseMongoArgs } from './main.ts';
export { createServer } from './server.ts';
