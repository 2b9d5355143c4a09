export type {
  ColumnInfo,
  ExplainResult,
  Field,
  RunOptions,
  RunResult,
  SqlBackend,
  SqlParam,
  Statement,
  TableDescription,
  TableInfo,
} from './backend.ts';
export { MemorySqlBackend } from './backend-mock.ts';
export { PostgresBackend, type PostgresOptions } from './backend-real.ts';
export { allowlistOf, redactUrl, type SqlConfig, SqlConfigSchema, scopeText } from './config.ts';
export {
  type Allowlist,
  checkRelations,
  isRelationAllowed,
  opaqueFunctionsInPlan,
  type RelationRef,
  relationsInPlan,
  type Touched,
  touchedByPlan,
} from './guard.ts';
export { createBackend, main, parseSqlArgs } from './main.ts';
export { createServer } from './server.ts';
