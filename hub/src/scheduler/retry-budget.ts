/**
 * A retry budget, as Finagle and the SRE book describe it: within any `windowMs`, retries may not
 * exceed `minPerSecond × window` plus `ratio` × the first attempts started in that window. When an
 * upstream fails for a minute, retries then add at most `ratio` to the load it sees (plus a small
 * floor, so a quiet hub still retries) instead of multiplying it by `maxAttempts`. A retry the budget
 * refuses ends its task `failed` with RETRY_BUDGET_EXHAUSTED (explicit, in the dead-letter view),
 * never silently. One budget per hub process; re-runs after a lost lease (a crashed worker) are not
 * retries of a failure and are not charged.
 */
export interface RetryBudgetOptions {
  /** Retries allowed per first attempt in the window, e.g. 0.2. */
  ratio: number;
  /** Retries per second always allowed, however few first attempts there were. */
  minPerSecond: number;
  windowMs: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = { ratio: 0.2, minPerSecond: 10, windowMs: 10_000 };

const SLOT_MS = 1000;

export class RetryBudget {
  /** Per one-second slot: first attempts and retries started in it. */
  private readonly slots = new Map<number, { firsts: number; retries: number }>();

  constructor(readonly options: RetryBudgetOptions = DEFAULT_RETRY_BUDGET) {}

  /** A first attempt started: it earns `ratio` of a retry. */
  deposit(now: number, count = 1): void {
    this.slot(now).firsts += count;
  }

  /** Takes one retry from the budget if there is room; false when it is spent. */
  tryWithdraw(now: number): boolean {
    const { firsts, retries } = this.totals(now);
    if (retries + 1 > this.allowance(firsts)) return false;
    this.slot(now).retries += 1;
    return true;
  }

  /** What the budget allows and has spent in the window ending now (for error messages and tests). */
  state(now: number): { firsts: number; retries: number; allowed: number } {
    const { firsts, retries } = this.totals(now);
    return { firsts, retries, allowed: Math.floor(this.allowance(firsts)) };
  }

  private allowance(firsts: number): number {
    return this.options.minPerSecond * (this.options.windowMs / 1000) + this.options.ratio * firsts;
  }

  private totals(now: number): { firsts: number; retries: number } {
    const oldest = Math.floor((now - this.options.windowMs) / SLOT_MS);
    let firsts = 0;
    let retries = 0;
    for (const [key, slot] of this.slots) {
      if (key <= oldest) this.slots.delete(key);
      else {
        firsts += slot.firsts;
        retries += slot.retries;
      }
    }
    return { firsts, retries };
  }

  private slot(now: number): { firsts: number; retries: number } {
    const key = Math.floor(now / SLOT_MS);
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { firsts: 0, retries: 0 };
      this.slots.set(key, slot);
    }
    return slot;
  }
}
