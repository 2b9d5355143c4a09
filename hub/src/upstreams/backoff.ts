export interface BackoffOptions {
  /** Delay before the first retry. */
  initialDelayMs: number;
  /** Cap on any one delay. */
  maxDelayMs: number;
  /** Growth per attempt; 2 doubles. */
  factor?: number;
}

/**
 * Delay before retry number `attempt` (0-based): exponential growth, capped, with "equal jitter"
 * (half fixed, half random) so a fleet of hubs restarting one crashed server don't retry in step.
 * `random` is injectable so tests get exact numbers.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const factor = options.factor ?? 2;
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * factor ** Math.max(0, attempt));
  return Math.round(base / 2 + (base / 2) * random());
}
