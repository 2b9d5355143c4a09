import { DEFAULT_AUDIT_LIMIT, matchesQuery } from './filter.ts';
import type { AuditFinish, AuditQuery, AuditRecord, AuditStart, AuditStore } from './types.ts';

/** Keeps records in this process only (`audit.store: memory`): for tests and throwaway hubs. */
export class MemoryAuditStore implements AuditStore {
  readonly kind = 'memory';
  private readonly records = new Map<string, AuditRecord>();

  async begin(start: AuditStart): Promise<void> {
    this.records.set(start.id, { ...start, argKeys: [...start.argKeys], outcome: 'unfinished' });
  }

  async finish(id: string, finish: AuditFinish): Promise<void> {
    const record = this.records.get(id);
    if (record !== undefined) Object.assign(record, finish);
  }

  async record(start: AuditStart, finish: AuditFinish): Promise<void> {
    this.records.set(start.id, { ...start, argKeys: [...start.argKeys], ...finish });
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    return [...this.records.values()]
      .reverse()
      .filter((record) => matchesQuery(record, query))
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? DEFAULT_AUDIT_LIMIT))
      .map((record) => ({ ...record }));
  }

  async close(): Promise<void> {}
}
