export type { DirEntry, EntryStat, Fence, FsBackend, RaceHook } from './backend.ts';
export { MemoryFsBackend } from './backend-mock.ts';
export { createDiskBackend } from './backend-real.ts';
export { DEFAULT_DENY, type FsConfig, type FsConfigInput, FsConfigSchema, type Root } from './config.ts';
export { createBackend, main, parseFsArgs } from './main.ts';
export { createServer } from './server.ts';
