import { type BackoffOptions, backoffDelay } from './backoff.ts';

/** A connection that lived this long resets the restart backoff. */
const STABLE_MS = 60_000;

/**
 * When to try an upstream again: exponential backoff with jitter, a cap on attempts in a row, and a
 * reset once a connection has proved stable (so a server that crashes once a day restarts at once,
 * while one in a crash loop backs off).
 */
export class ReconnectSchedule {
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private connectedAt: number | undefined;
  /** When the next attempt is due (ms, by `now`), while one is scheduled. */
  nextAttemptAt: number | undefined;

  constructor(
    private readonly policy: BackoffOptions & { maxAttempts: number },
    private readonly now: () => number,
    private readonly random?: () => number,
  ) {}

  get attempts(): number {
    return this.attempt;
  }

  get connectedSince(): number | undefined {
    return this.connectedAt;
  }

  connected(): void {
    this.connectedAt = this.now();
    this.nextAttemptAt = undefined;
  }

  lost(): void {
    if (this.connectedAt !== undefined && this.now() - this.connectedAt >= STABLE_MS) this.attempt = 0;
    this.connectedAt = undefined;
  }

  /** Runs `attempt` after the next delay; false (nothing scheduled) once attempts are used up. */
  schedule(attempt: () => void): boolean {
    if (this.timer !== undefined) return true;
    if (this.policy.maxAttempts > 0 && this.attempt >= this.policy.maxAttempts) {
      this.nextAttemptAt = undefined;
      return false;
    }
    const delay = backoffDelay(this.attempt++, this.policy, this.random);
    this.nextAttemptAt = this.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      attempt();
    }, delay);
    this.timer.unref();
    return true;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
