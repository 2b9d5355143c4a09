import { randomUUID } from 'node:crypto';

export const CORRELATION_META_KEY = 'switchboard/correlationId';

/** Uses the caller's correlation id when it sent a sane one, else makes a new one. */
export function correlationIdFrom(meta: Record<string, unknown> | undefined): string {
  const given = meta?.[CORRELATION_META_KEY];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}
