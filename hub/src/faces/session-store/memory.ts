import type { SessionRecord, SessionStore } from './types.ts';

/** Sessions of one hub process (the default): gone when it restarts. */
export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory';
  private readonly records = new Map<string, { record: SessionRecord; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async create(record: SessionRecord, ttlMs: number): Promise<void> {
    this.sweep();
    this.records.set(record.id, { record, expiresAt: this.now() + ttlMs });
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    return this.live(id)?.record;
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    const entry = this.live(id);
    if (entry === undefined) return false;
    entry.expiresAt = this.now() + ttlMs;
    return true;
  }

  async update(id: string, patch: Partial<Pick<SessionRecord, 'logLevel'>>): Promise<void> {
    const entry = this.live(id);
    if (entry) entry.record = { ...entry.record, ...patch };
  }

  async delete(id: string): Promise<void> {
    this.records.delete(id);
  }

  async close(): Promise<void> {
    this.records.clear();
  }

  private live(id: string) {
    const entry = this.records.get(id);
    if (entry !== undefined && entry.expiresAt <= this.now()) {
      this.records.delete(id);
      return undefined;
    }
    return entry;
  }

  /** Expired records go when new ones come, so an idle hub holds nothing for long. */
  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.records) if (entry.expiresAt <= now) this.records.delete(id);
  }
}
