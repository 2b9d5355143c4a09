import type { ToolOutcome } from '../hub-client.ts';
import { type AssertionRecord, clip, record } from './assertions.ts';
import { deepEqual } from './compare.ts';

const errorPrefix = /^([A-Z][A-Z0-9_]*):/;

/**
 * The switchboard error code of an isError result: `_meta['switchboard/error'].code` when present,
 * else the text's `CODE:` prefix. Undefined for successful results or uncoded errors.
 */
export function errorCodeOf(outcome: ToolOutcome): string | undefined {
  if (!outcome.isError) return undefined;
  const detail = outcome.meta?.['switchboard/error'];
  if (typeof detail === 'object' && detail !== null && typeof (detail as { code?: unknown }).code === 'string') {
    return (detail as { code: string }).code;
  }
  return errorPrefix.exec(outcome.text)?.[1];
}

export function assertErrorCode(prefix: string, expected: string, outcome: ToolOutcome): AssertionRecord {
  const actual = errorCodeOf(outcome) ?? null;
  const failure = outcome.isError
    ? `error code is ${actual ?? 'missing'} (text: ${JSON.stringify(clip(outcome.text, 120))})`
    : 'the result is not an error';
  return record(`${prefix} errorCode is ${expected}`, actual === expected, expected, actual, failure);
}

/** The parts of a tool result that must repeat on an idempotent call. */
export function comparableParts(outcome: ToolOutcome): { isError: boolean; text: string; structuredContent: unknown } {
  return { isError: outcome.isError, text: outcome.text, structuredContent: outcome.structuredContent ?? null };
}

/** Second call vs first: same isError, same text, same structuredContent (deep). Names what differs. */
export function assertIdempotent(prefix: string, first: ToolOutcome, second: ToolOutcome): AssertionRecord {
  const before = comparableParts(first);
  const after = comparableParts(second);
  const differing = (Object.keys(before) as (keyof typeof before)[]).filter((key) => !deepEqual(before[key], after[key]));
  return record(
    `${prefix} is idempotent (a second call answers the same)`,
    differing.length === 0,
    before,
    after,
    `differs in ${differing.join(', ')}`,
  );
}
