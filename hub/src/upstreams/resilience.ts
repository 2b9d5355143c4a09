import type { BackoffOptions } from './backoff.ts';

/** How hard the hub works to keep one upstream usable; every field has a default. */
export interface Resilience {
  /** Cap on any one call; a caller may ask for less, never more. */
  timeoutMs: number;
  restart: BackoffOptions & {
    /** Give up after this many failed attempts in a row (state `failed`); 0 retries forever. */
    maxAttempts: number;
  };
  breaker: { failureThreshold: number; cooldownMs: number };
  /** Ping interval that notices a hung or silently dropped upstream; 0 turns it off. */
  healthIntervalMs: number;
  /** Override of the hub-wide `pinTools` for this upstream. */
  pinTools?: boolean;
}

export const DEFAULT_RESILIENCE: Resilience = {
  timeoutMs: 30_000,
  restart: { initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 0 },
  breaker: { failureThreshold: 5, cooldownMs: 30_000 },
  healthIntervalMs: 30_000,
};

/** The resilience settings of an upstream spec, defaults filled in. */
export function resilienceOf(
  spec: Partial<Omit<Resilience, 'restart' | 'breaker'>> & {
    restart?: Partial<Resilience['restart']>;
    breaker?: Partial<Resilience['breaker']>;
  },
): Resilience {
  return {
    timeoutMs: spec.timeoutMs ?? DEFAULT_RESILIENCE.timeoutMs,
    restart: { ...DEFAULT_RESILIENCE.restart, ...spec.restart },
    breaker: { ...DEFAULT_RESILIENCE.breaker, ...spec.breaker },
    healthIntervalMs: spec.healthIntervalMs ?? DEFAULT_RESILIENCE.healthIntervalMs,
    ...(spec.pinTools === undefined ? {} : { pinTools: spec.pinTools }),
  };
}
