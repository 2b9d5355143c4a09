export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  cooldownMs: number;
  /** Injectable clock (ms); tests drive it by hand. */
  now?: () => number;
}

/**
 * Per-upstream circuit breaker. Closed: calls pass and consecutive failures are counted. Open: calls
 * fail fast until the cool-down has passed. Half-open: exactly one trial call passes; its success
 * closes the circuit, its failure opens it again for another cool-down.
 *
 * Only upstream faults count (timeouts, dropped connections); a tool answering `isError` or refusing
 * bad arguments is a healthy server and resets the count.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly now: () => number;
  private listener: ((state: BreakerState) => void) | undefined;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  /** Consecutive upstream faults counted so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Milliseconds until an open circuit lets a trial call through (0 when not open). */
  retryInMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.openedAt + this.options.cooldownMs - this.now());
  }

  /** Observes state changes (for the breaker-state gauge and logs). */
  onChange(listener: (state: BreakerState) => void): void {
    this.listener = listener;
  }

  /** May a call go through now? In half-open, only the first asker gets the trial. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    this.listener?.('half-open');
    return true;
  }

  success(): void {
    const wasOpen = this.openedAt !== undefined;
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
    if (wasOpen) this.listener?.('closed');
  }

  failure(): void {
    this.failures += 1;
    if (this.trialInFlight || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
      this.trialInFlight = false;
      this.listener?.('open');
    }
  }

  /** A call that ended without telling us anything (the caller cancelled it): frees the trial slot. */
  release(): void {
    this.trialInFlight = false;
  }

  /** Forgets history, e.g. after the upstream was restarted. */
  reset(): void {
    this.success();
  }
}
