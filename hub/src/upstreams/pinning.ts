import { EventEmitter } from 'node:events';
import { unwatchFile, watchFile } from 'node:fs';
import type { Tool } from '@modelcontextprotocol/client';
import { type ToolPinStore, type ToolRedefinition, toolFingerprint } from './tool-pins.ts';

export interface PinningEvents {
  /** A tool's definition differs from its approved one: for the audit log. */
  redefined: [ToolRedefinition];
  /** Blocked tools were re-approved (by `switchboard pins approve`, or `approve()`). */
  approved: [string[]];
}

/**
 * Tool pinning across every upstream: reviews each fresh tool list against the approved
 * definitions, flags redefinitions, and with `pinTools` blocks them until re-approved. Without
 * `pinTools` a redefinition is flagged and then accepted as the new approved definition.
 */
export class ToolPinning extends EventEmitter<PinningEvents> {
  private readonly blocked = new Map<string, ToolRedefinition>();
  private watching = false;

  constructor(private readonly store: ToolPinStore) {
    super();
  }

  /** Reviews an upstream's current tools, given by hub name. */
  review(upstream: string, tools: { name: string; definition: Tool }[], enforce: boolean): void {
    for (const { name, definition } of tools) {
      const current = toolFingerprint(definition);
      const pin = this.store.get(name);
      if (pin === undefined) {
        this.store.approve(name, current);
        continue;
      }
      if (pin.fingerprint === current) {
        if (this.blocked.delete(name)) this.store.clearPending(name);
        continue;
      }
      const redefinition: ToolRedefinition = { tool: name, upstream, approved: pin.fingerprint, current, blocked: enforce };
      if (!enforce) {
        this.store.approve(name, current);
        this.emit('redefined', redefinition);
      } else if (this.blocked.get(name)?.current !== current) {
        this.blocked.set(name, redefinition);
        this.store.markPending(name, upstream, current);
        this.emit('redefined', redefinition);
      }
    }
    this.watchWhileBlocked();
  }

  isBlocked(name: string): boolean {
    return this.blocked.has(name);
  }

  blockedTools(): ToolRedefinition[] {
    return [...this.blocked.values()];
  }

  /** Approves the current definition of a blocked tool; false when it was not blocked. */
  approve(name: string): boolean {
    const redefinition = this.blocked.get(name);
    if (redefinition === undefined) return false;
    this.store.approve(name, redefinition.current);
    this.blocked.delete(name);
    this.emit('approved', [name]);
    this.watchWhileBlocked();
    return true;
  }

  /** Picks up approvals written to the pin file by another process. */
  checkApprovals(): string[] {
    this.store.reload();
    const approved: string[] = [];
    for (const [name, redefinition] of this.blocked) {
      if (this.store.get(name)?.fingerprint === redefinition.current) {
        this.blocked.delete(name);
        approved.push(name);
      }
    }
    if (approved.length > 0) this.emit('approved', approved);
    this.watchWhileBlocked();
    return approved;
  }

  close(): void {
    if (this.watching && this.store.file !== undefined) unwatchFile(this.store.file);
    this.watching = false;
  }

  /** Polls the pin file only while something is blocked; polling (not fs.watch) survives renames. */
  private watchWhileBlocked(): void {
    const file = this.store.file;
    if (file === undefined) return;
    if (this.blocked.size > 0 && !this.watching) {
      watchFile(file, { interval: 1000, persistent: false }, () => this.checkApprovals());
      this.watching = true;
    } else if (this.blocked.size === 0 && this.watching) {
      this.close();
    }
  }
}
