import { toolGlobToRegExp } from '../glob.ts';
import type { AuditQuery, AuditRecord } from './types.ts';

export const DEFAULT_AUDIT_LIMIT = 100;

/** The in-memory form of a query, shared by the memory store and tests. */
export function matchesQuery(record: AuditRecord, query: AuditQuery): boolean {
  if (query.principal !== undefined && record.principal !== query.principal) return false;
  if (query.role !== undefined && record.role !== query.role) return false;
  if (query.tool !== undefined && !toolGlobToRegExp(query.tool).test(record.tool)) return false;
  if (query.outcome !== undefined && record.outcome !== query.outcome) return false;
  if (query.correlationId !== undefined && record.correlationId !== query.correlationId) return false;
  if (query.since !== undefined && record.startedAt < query.since) return false;
  if (query.until !== undefined && record.startedAt > query.until) return false;
  return true;
}

/** A tool glob as a SQL LIKE pattern (escape `\`), for the SQL stores. */
export function globToLike(glob: string): string {
  return glob
    .replace(/[\\%_]/g, '\\$&')
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}
