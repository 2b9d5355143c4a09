import { DEFAULT_AUDIT_LIMIT, matchesQuery } from './filter.ts';
import type { AuditFinish, AuditQuery, AuditRecord, AuditStart, AuditStore } from './types.ts';

/** How many records the memory store keeps (the newest). */
export const MEMORY_AUDIT_CAPACITY = 10_000;

/**
 * Keeps the newest records in this process only (`audit.store: memory`): for tests and throwaway
 * hubs. Bounded, so a long-running hub does not grow without end (the oldest go first).
 */
export class MemoryAuditStore implements AuditStore {
  readonly kind = 'memory';
  private readonly records = new Map<string, AuditRecord>();

  constructor(private readonly capacity = MEMORY_AUDIT_CAPACITY) {}

  async begin(start: AuditStart): Promise<void> {
    this.keep(start.id, { ...start, argKeys: [...start.argKeys], outcome: 'unfinished' });
  }

  async finish(id: string, finish: AuditFinish): Promise<void> {
    const record = this.records.get(id);
    if (record !== undefined) Object.assign(record, finish);
  }

  async record(start: AuditStart, finish: AuditFinish): Promise<void> {
    this.keep(start.id, { ...start, argKeys: [...start.argKeys], ...finish });
  }

  private keep(id: string, record: AuditRecord): void {
    this.records.set(id, record);
    // A Map iterates in insertion order: the first key is the oldest record.
    if (this.records.size > this.capacity) this.records.delete(this.records.keys().next().value as string);
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
