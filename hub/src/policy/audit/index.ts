export { canonicalJson, digestArguments } from './digest.ts';
export { MemoryAuditStore } from './memory-store.ts';
export { openAuditStore, sqliteAuditFile } from './open-store.ts';
export { PostgresAuditStore } from './postgres-store.ts';
export { SqliteAuditStore } from './sqlite-store.ts';
export { type ToolFlag, toolFlagRecord } from './tool-flags.ts';
export {
  AUDIT_OUTCOMES,
  type AuditFinish,
  type AuditOutcome,
  type AuditQuery,
  type AuditRecord,
  type AuditStart,
  type AuditStore,
} from './types.ts';
