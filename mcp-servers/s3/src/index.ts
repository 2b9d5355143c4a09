export type { ListPage, ObjectBody, ObjectInfo, S3Backend } from './backend.ts';
export { MemoryS3Backend } from './backend-mock.ts';
export { createS3Backend, type S3Connection } from './backend-real.ts';
export { type S3Config, S3ConfigSchema } from './config.ts';
export { type BucketRule, checkKey, checkObject, parseBucketSpecs } from './guard.ts';
export { createBackend, main, parseS3Args } from './main.ts';
export { createServer } from './server.ts';
