import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Tool } from '@modelcontextprotocol/client';

/**
 * What a tool promises a model and its user: the description and schemas the model reads, and the
 * annotations clients use to auto-approve (a tool that turns `readOnlyHint` off is a redefinition
 * too). The name is the key, so it is not part of the print.
 */
export function toolFingerprint(tool: Tool): string {
  const { title, description, inputSchema, outputSchema, annotations } = tool;
  return createHash('sha256').update(canonicalJson({ title, description, inputSchema, outputSchema, annotations })).digest('hex');
}

/** JSON with object keys sorted at every level, so equal values always print equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface ToolPin {
  fingerprint: string;
  approvedAt: string;
}

/** A redefinition a hub has blocked, waiting for an operator: `switchboard pins approve <tool>`. */
export interface PendingPin {
  fingerprint: string;
  upstream: string;
  seenAt: string;
}

/** Where a hub keeps its pins: `hub.pinFile`, else `<hub.dataDir>/tool-pins.json`, relative to the config. */
export function pinFileOf(baseDir: string, hub: { pinFile?: string | undefined; dataDir: string }): string {
  return resolve(baseDir, hub.pinFile ?? resolve(baseDir, hub.dataDir, 'tool-pins.json'));
}

/** A tool whose definition differs from the one approved for its name. */
export interface ToolRedefinition {
  /** The hub name, e.g. `fs__read_file`. */
  tool: string;
  upstream: string;
  approved: string;
  current: string;
  /** True when `pinTools` is on: the tool is hidden and refused until re-approved. */
  blocked: boolean;
  /** Set when it is held because it looks poisoned (tool-screening.ts), not because it changed. */
  reasons?: string[];
}

/**
 * Approved tool definitions by hub tool name ("trust on first use"): the first definition seen is
 * approved; a later, different one is a redefinition. Kept in a JSON file when given one, so a hub
 * restart does not silently re-trust a changed tool; `switchboard pins approve` edits that file.
 */
export class ToolPinStore {
  private pins = new Map<string, ToolPin>();
  private pending = new Map<string, PendingPin>();

  /**
   * @param onWriteError told when the file cannot be written; the pins then live in memory only. The
   * CLI leaves it unset, so a failed approval is an error it reports.
   */
  constructor(
    readonly file?: string,
    private readonly onWriteError?: (error: Error) => void,
  ) {
    this.reload();
  }

  /** Re-reads the file (another process, the CLI, may have approved something). */
  reload(): void {
    if (this.file === undefined) return;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw error;
    }
    const parsed = JSON.parse(text) as { pins?: Record<string, ToolPin>; pending?: Record<string, PendingPin> };
    this.pins = new Map(Object.entries(parsed.pins ?? {}));
    this.pending = new Map(Object.entries(parsed.pending ?? {}));
  }

  get(tool: string): ToolPin | undefined {
    return this.pins.get(tool);
  }

  entries(): [string, ToolPin][] {
    return [...this.pins.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  approve(tool: string, fingerprint: string, now = new Date()): void {
    this.pins.set(tool, { fingerprint, approvedAt: now.toISOString() });
    if (this.pending.get(tool)?.fingerprint === fingerprint) this.pending.delete(tool);
    this.save();
  }

  /** Redefinitions waiting for approval. */
  pendingEntries(): [string, PendingPin][] {
    return [...this.pending.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  /** Records a blocked redefinition, so an operator can approve it without the hub's help. */
  markPending(tool: string, upstream: string, fingerprint: string, now = new Date()): void {
    if (this.pending.get(tool)?.fingerprint === fingerprint) return;
    this.pending.set(tool, { fingerprint, upstream, seenAt: now.toISOString() });
    this.save();
  }

  clearPending(tool: string): void {
    if (this.pending.delete(tool)) this.save();
  }

  /** Approves what a hub recorded as pending for `tool`; false when nothing is pending. */
  approvePending(tool: string, now = new Date()): boolean {
    const pending = this.pending.get(tool);
    if (pending === undefined) return false;
    this.approve(tool, pending.fingerprint, now);
    return true;
  }

  private save(): void {
    if (this.file === undefined) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const pins = Object.fromEntries(this.entries());
      const pending = Object.fromEntries(this.pendingEntries());
      // Write then rename: a reader never sees half a file.
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify({ pins, pending }, null, 2)}\n`, { mode: 0o600 });
      renameSync(temp, this.file);
    } catch (error) {
      if (this.onWriteError === undefined) throw error;
      this.onWriteError(error as Error);
    }
  }
}
