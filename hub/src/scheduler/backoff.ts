import type { ErrorPayload } from '@switchboard/kit';
import type { BackoffPolicy, TaskError } from './task-model.ts';

/**
 * Delay before attempt `attempt + 1`, after `attempt` failed (attempt ≥ 1): exponential, capped, with
 * jitter taking up to `jitter` of it away (so retries of many tasks spread out). `random` ∈ [0, 1).
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: number): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - policy.jitter * random));
}

/** Errors worth another attempt: the call may succeed later. Denials and bad input never will. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set(['UPSTREAM_UNAVAILABLE', 'TIMEOUT', 'INTERNAL', 'LEASE_EXPIRED']);

export function isRetryable(error: TaskError | ErrorPayload): boolean {
  return RETRYABLE_CODES.has(error.code);
}
