import { ToolError } from '@switchboard/kit';
import { EJSON } from 'bson';

/**
 * Documents cross the tool boundary as relaxed Extended JSON v2: ObjectIds as `{ "$oid": "…" }`,
 * dates as `{ "$date": "2024-01-01T00:00:00Z" }`, plain JSON numbers as doubles/ints, and
 * `{ "$numberDecimal" }`, `{ "$binary" }`, `{ "$regularExpression" }`, … for the rest. The same
 * notation is accepted in filters, documents, updates and pipelines.
 */
export type Json = unknown;

/** Caller JSON → BSON-typed values; a malformed wrapper (`{ "$oid": "zz" }`) is INVALID_ARGUMENT naming the field. */
export function fromExtendedJson<T>(value: T, field: string): T {
  if (value === undefined) return value;
  try {
    return EJSON.deserialize(value as never, { relaxed: true }) as T;
  } catch (error) {
    throw new ToolError('INVALID_ARGUMENT', `${field} holds invalid Extended JSON: ${(error as Error).message}`, field);
  }
}

/** BSON-typed values → relaxed Extended JSON, ready for structuredContent. */
export function toExtendedJson(value: unknown): Json {
  return EJSON.serialize(value as never, { relaxed: true });
}
