export type { DirEntry, EntryStat, FsBackend } from './backend.ts';
export { MemoryFsBackend } from './backend-mock.ts';
export { createDiskBackend } from './backend-real.ts';
export { type FsConfig, FsConfigSchema } from './config.ts';
export { createBackend, main, parseFsArgs } from './main.ts';
export { createServer } from './server.ts';
