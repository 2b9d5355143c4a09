import { EventEmitter } from 'node:events';
import type { Tool } from '@modelcontextprotocol/client';
import { type ToolPinStore, type ToolRedefinition, toolFingerprint } from './tool-pins.ts';
import { screenTool } from './tool-screening.ts';

/** A tool whose definition looks like it carries instructions for the model (tool-screening.ts). */
export interface SuspiciousTool {
  tool: string;
  upstream: string;
  fingerprint: string;
  reasons: string[];
  /** True when `pinTools` is on: quarantined (hidden and refused) until an operator approves it. */
  blocked: boolean;
}

export interface PinningEvents {
  /** A tool's definition differs from its approved one: for the audit log. */
  redefined: [ToolRedefinition];
  /** A tool's definition looks poisoned (hidden instructions): for the audit log. */
  suspicious: [SuspiciousTool];
  /** Blocked tools were re-approved (by `switchboard pins approve`, or `approve()`). */
  approved: [string[]];
}

/**
 * Tool pinning across every upstream: reviews each fresh tool list against the approved
 * definitions, flags redefinitions, and with `pinTools` blocks them until re-approved. Without
 * `pinTools` a redefinition is flagged and then accepted as the new approved definition.
 * A definition that is not approved yet is also screened for hidden instructions: a suspicious one
 * is flagged (once per definition) and never trusted on first use; with `pinTools` it is
 * quarantined until an operator approves exactly that definition (`switchboard pins approve`).
 */
export class ToolPinning extends EventEmitter<PinningEvents> {
  private readonly blocked = new Map<string, ToolRedefinition>();
  /** The definition last flagged per tool, so a relist does not flag the same change again. */
  private readonly flagged = new Map<string, string>();
  private poller: NodeJS.Timeout | undefined;

  constructor(private readonly store: ToolPinStore) {
    super();
  }

  /**
   * Reviews an upstream's current tools, given by hub name. `screen: false` for the built-in servers:
   * they are this program's own code, and their descriptions name what they refuse (`.env`, keys), which
   * the screening would read as bait. Their redefinitions are still pinned like anyone's.
   */
  review(upstream: string, tools: { name: string; definition: Tool }[], enforce: boolean, screen = true): void {
    for (const { name, definition } of tools) {
      const current = toolFingerprint(definition);
      const pin = this.store.get(name);
      if (pin?.fingerprint === current) {
        this.flagged.delete(name);
        if (this.blocked.delete(name)) this.store.clearPending(name);
        continue;
      }
      const reasons = screen ? screenTool(definition) : [];
      const suspicious = reasons.length > 0;
      if (pin === undefined && !suspicious) {
        this.store.approve(name, current);
        continue;
      }
      // A changed definition, or a new one that looks poisoned: held with pinTools, else flagged
      // (a changed clean one is then accepted; a poisoned one is never trusted on first use).
      const why = suspicious ? { reasons } : {};
      if (enforce && this.blocked.get(name)?.current !== current) {
        this.blocked.set(name, { tool: name, upstream, approved: pin?.fingerprint ?? '', current, blocked: true, ...why });
        this.store.markPending(name, upstream, current);
      } else if (!enforce && !suspicious) {
        this.store.approve(name, current);
      }
      if (this.flagged.get(name) === current) continue;
      this.flagged.set(name, current);
      if (suspicious) this.emit('suspicious', { tool: name, upstream, fingerprint: current, reasons, blocked: enforce });
      if (pin !== undefined) this.emit('redefined', { tool: name, upstream, approved: pin.fingerprint, current, blocked: enforce, ...why });
    }
    this.watchWhileBlocked();
  }

  /** Why a blocked tool is held, for the refusal its callers get; undefined when it is not blocked. */
  blockedBecause(name: string): string | undefined {
    const held = this.blocked.get(name);
    if (held === undefined) return undefined;
    const why: string[] = [];
    if (held.approved !== '') why.push('changed its description or schema since it was approved');
    if (held.reasons !== undefined) why.push(`looks like it carries hidden instructions for the model (${held.reasons.join('; ')})`);
    return why.join(', and ');
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
    clearInterval(this.poller);
    this.poller = undefined;
  }

  /**
   * Re-reads the pin file every second, only while something is blocked. A plain read, not
   * fs.watch (which loses renames) nor fs.watchFile (which compares against a first stat it takes
   * asynchronously, so an approval written before that stat on a busy machine was never seen).
   */
  private watchWhileBlocked(): void {
    if (this.store.file === undefined) return;
    if (this.blocked.size > 0 && this.poller === undefined) {
      // An unreadable file (mid-edit by hand) approves nothing: the tools stay blocked, the next tick retries.
      this.poller = setInterval(() => {
        try {
          this.checkApprovals();
        } catch {}
      }, 1000);
      this.poller.unref();
    } else if (this.blocked.size === 0 && this.poller !== undefined) {
      this.close();
    }
  }
}
