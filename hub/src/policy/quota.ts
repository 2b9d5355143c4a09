import type { QuotaRule } from '../config/index.ts';
import { matchesAnyGlob, toolGlobToRegExp } from './glob.ts';
import type { Principal } from './principal.ts';

export interface Clock {
  /** Milliseconds, monotonic enough for windows; tests inject a fake. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

const WINDOW_MS = 60_000;
/** A concurrency refusal has no natural end time; a second is a fair first retry. */
const CONCURRENCY_RETRY_MS = 1_000;

export interface QuotaTicket {
  /** Ends the call: frees its concurrency slot and counts the bytes it returned. */
  release(bytesReturned: number): void;
}

export type QuotaDecision = { ok: true; ticket: QuotaTicket } | { ok: false; rule: string; reason: string; retryAfterMs: number };

/** One budget: calls and bytes seen in the last minute, and calls running now. */
interface Budget {
  calls: number[];
  bytes: { at: number; n: number }[];
  running: number;
}

/**
 * Calls per minute, concurrent calls and bytes returned per minute, over sliding one-minute windows.
 * Every rule matching the principal and tool must have room; each keeps one budget per principal
 * (or one shared, `per: all`). Bytes are counted when a call ends, so the call that crosses the
 * limit completes and the next ones wait.
 */
export class QuotaLimiter {
  private readonly budgets = new Map<string, Budget>();

  constructor(
    private readonly rules: readonly QuotaRule[],
    private readonly clock: Clock = systemClock,
  ) {}

  acquire(principal: Principal, tool: string): QuotaDecision {
    const now = this.clock.now();
    const matched = this.rules.flatMap((rule, index) => (applies(rule, principal, tool) ? [{ rule, index }] : []));
    const budgets = matched.map(({ rule, index }) => ({
      rule,
      name: rule.name ?? `quotas[${index}]`,
      budget: this.budget(rule, index, principal, now),
    }));
    for (const { rule, name, budget } of budgets) {
      const refusal = refuse(rule, budget, now);
      if (refusal !== undefined) {
        const who = rule.per === 'all' ? 'all matching principals' : `principal '${principal.id}'`;
        return { ok: false, rule: name, reason: `${who} ${refusal.why} (quota '${name}')`, retryAfterMs: refusal.retryAfterMs };
      }
    }
    for (const { budget } of budgets) {
      budget.calls.push(now);
      budget.running += 1;
    }
    let released = false;
    return {
      ok: true,
      ticket: {
        release: (bytesReturned) => {
          if (released) return;
          released = true;
          const at = this.clock.now();
          for (const { rule, budget } of budgets) {
            budget.running -= 1;
            if (rule.bytesPerMinute !== undefined && bytesReturned > 0) budget.bytes.push({ at, n: bytesReturned });
          }
        },
      },
    };
  }

  private budget(rule: QuotaRule, index: number, principal: Principal, now: number): Budget {
    const key = rule.per === 'all' ? `${index}` : `${index}\0${principal.id}`;
    let budget = this.budgets.get(key);
    if (budget === undefined) {
      budget = { calls: [], bytes: [], running: 0 };
      this.budgets.set(key, budget);
      if (this.budgets.size % 1024 === 0) this.sweep(now);
    }
    prune(budget, now);
    return budget;
  }

  /** Forgets idle budgets so a stream of one-off principals cannot grow the map without bound. */
  private sweep(now: number): void {
    for (const [key, budget] of this.budgets) {
      prune(budget, now);
      if (budget.running === 0 && budget.calls.length === 0 && budget.bytes.length === 0) this.budgets.delete(key);
    }
  }
}

function applies(rule: QuotaRule, principal: Principal, tool: string): boolean {
  if (rule.roles !== undefined && !rule.roles.includes(principal.role)) return false;
  if (!rule.principals.some((glob) => toolGlobToRegExp(glob).test(principal.id))) return false;
  return matchesAnyGlob(tool, rule.tools) !== undefined;
}

function prune(budget: Budget, now: number): void {
  const since = now - WINDOW_MS;
  while (budget.calls.length > 0 && (budget.calls[0] as number) <= since) budget.calls.shift();
  while (budget.bytes.length > 0 && (budget.bytes[0] as { at: number }).at <= since) budget.bytes.shift();
}

function refuse(rule: QuotaRule, budget: Budget, now: number): { why: string; retryAfterMs: number } | undefined {
  if (rule.concurrent !== undefined && budget.running >= rule.concurrent)
    return { why: `has ${budget.running} calls running (limit ${rule.concurrent})`, retryAfterMs: CONCURRENCY_RETRY_MS };
  if (rule.callsPerMinute !== undefined && budget.calls.length >= rule.callsPerMinute) {
    // Room opens when enough of the oldest calls leave the window.
    const freeing = budget.calls[budget.calls.length - rule.callsPerMinute] as number;
    return {
      why: `made ${budget.calls.length} calls in the last minute (limit ${rule.callsPerMinute})`,
      retryAfterMs: freeing + WINDOW_MS - now,
    };
  }
  if (rule.bytesPerMinute !== undefined) {
    let total = budget.bytes.reduce((sum, entry) => sum + entry.n, 0);
    if (total >= rule.bytesPerMinute) {
      const limit = rule.bytesPerMinute;
      const why = `received ${total} bytes in the last minute (limit ${limit})`;
      for (const entry of budget.bytes) {
        total -= entry.n;
        if (total < limit) return { why, retryAfterMs: entry.at + WINDOW_MS - now };
      }
    }
  }
  return undefined;
}
