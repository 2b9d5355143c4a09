import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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

/** A tool whose definition differs from the one approved for its name. */
export interface ToolRedefinition {
  /** The hub name, e.g. `fs__read_file`. */
  tool: string;
  upstream: string;
  approved: string;
  current: string;
  /** True when `pinTools` is on: the tool is hidden and refused until re-approved. */
  blocked: boolean;
}

/**
 * Approved tool definitions by hub tool name ("trust on first use"): the first definition seen is
 * approved; a later, different one is a redefinition. Kept in a JSON file when given one, so a hub
 * restart does not silently re-trust a changed tool; `switchboard pins approve` edits that file.
 */
export class ToolPinStore {
  private pins = new Map<string, ToolPin>();

  constructor(readonly file?: string) {
    this.reload();
  }

  /** Re-reads the file (another process, the CLI, may have approved something). */
  reload(): void {
    if (this.file === undefined) return;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const parsed = JSON.parse(text) as { pins?: Record<string, ToolPin> };
    this.pins = new Map(Object.entries(parsed.pins ?? {}));
  }

  get(tool: string): ToolPin | undefined {
    return this.pins.get(tool);
  }

  entries(): [string, ToolPin][] {
    return [...this.pins.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  approve(tool: string, fingerprint: string, now = new Date()): void {
    this.pins.set(tool, { fingerprint, approvedAt: now.toISOString() });
    this.save();
  }

  private save(): void {
    if (this.file === undefined) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const pins = Object.fromEntries(this.entries());
    // Write then rename: a reader never sees half a file.
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ pins }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
