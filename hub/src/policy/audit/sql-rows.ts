import type { AuditFinish, AuditOutcome, AuditQuery, AuditRecord, AuditStart } from './types.ts';

/** One row as both SQL stores keep it (snake_case columns). */
export interface AuditRow {
  id: string;
  instance: string;
  started_at: number | string;
  finished_at: number | string | null;
  principal: string;
  role: string;
  on_behalf_of: string | null;
  tool: string;
  args_digest: string;
  arg_keys: string;
  outcome: string;
  error_code: string | null;
  rule: string | null;
  duration_ms: number | null;
  bytes: number | string | null;
  correlation_id: string;
  depth: number;
}

export const AUDIT_COLUMNS =
  'id, instance, started_at, finished_at, principal, role, on_behalf_of, tool, args_digest, arg_keys, outcome, error_code, rule, duration_ms, bytes, correlation_id, depth';

/** Rows back to records; Postgres answers BIGINT as strings, SQLite as numbers. */
export function recordOfRow(row: AuditRow): AuditRecord {
  const record: AuditRecord = {
    id: row.id,
    instance: row.instance,
    startedAt: Number(row.started_at),
    principal: row.principal,
    role: row.role,
    tool: row.tool,
    argsDigest: row.args_digest,
    argKeys: JSON.parse(row.arg_keys) as string[],
    outcome: row.outcome as AuditOutcome,
    correlationId: row.correlation_id,
    depth: Number(row.depth),
  };
  if (row.on_behalf_of !== null) record.onBehalfOf = row.on_behalf_of;
  if (row.finished_at !== null) record.finishedAt = Number(row.finished_at);
  if (row.error_code !== null) record.errorCode = row.error_code;
  if (row.rule !== null) record.rule = row.rule;
  if (row.duration_ms !== null) record.durationMs = Number(row.duration_ms);
  if (row.bytes !== null) record.bytes = Number(row.bytes);
  return record;
}

/** How a store matches a tool glob: SQLite's GLOB takes it as is, Postgres gets a LIKE pattern. */
export interface ToolMatch {
  sql(placeholder: string): string;
  value(glob: string): string;
}

/** WHERE clause and parameters for a query; `param(n)` renders the n-th placeholder (`?` or `$n`). */
export function whereOf(query: AuditQuery, param: (n: number) => string, toolMatch: ToolMatch): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(param(params.length)));
  };
  if (query.principal !== undefined) add((p) => `principal = ${p}`, query.principal);
  if (query.role !== undefined) add((p) => `role = ${p}`, query.role);
  if (query.tool !== undefined) add(toolMatch.sql, toolMatch.value(query.tool));
  if (query.outcome !== undefined) add((p) => `outcome = ${p}`, query.outcome);
  if (query.correlationId !== undefined) add((p) => `correlation_id = ${p}`, query.correlationId);
  if (query.since !== undefined) add((p) => `started_at >= ${p}`, query.since);
  if (query.until !== undefined) add((p) => `started_at <= ${p}`, query.until);
  return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

export function finishColumns(finish: AuditFinish | undefined) {
  return {
    finished_at: finish?.finishedAt ?? null,
    outcome: finish?.outcome ?? 'unfinished',
    error_code: finish?.errorCode ?? null,
    rule: finish?.rule ?? null,
    duration_ms: finish?.durationMs ?? null,
    bytes: finish?.bytes ?? null,
  };
}

/** All columns of a new row, keyed by column name. */
export function rowOf(start: AuditStart, finish: AuditFinish | undefined): AuditRow {
  return {
    id: start.id,
    instance: start.instance,
    started_at: start.startedAt,
    principal: start.principal,
    role: start.role,
    on_behalf_of: start.onBehalfOf ?? null,
    tool: start.tool,
    args_digest: start.argsDigest,
    arg_keys: JSON.stringify(start.argKeys),
    correlation_id: start.correlationId,
    depth: start.depth,
    ...finishColumns(finish),
  };
}
