import { ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { Doc } from '../backend.ts';
import type { MongoDeps } from '../deps.ts';
import { fromExtendedJson } from '../ejson.ts';
import { checkCollection, checkOperators } from '../guard.ts';

const EJSON_NOTE = 'relaxed Extended JSON: ObjectIds as { "$oid": "…" }, dates as { "$date": "2024-01-01T00:00:00Z" }';

export function collectionField(scope: string): z.ZodString {
  return z.string().describe(`the collection. ${scope}`);
}

export const DocumentSchema = z.record(z.string(), z.unknown());

export function filterField() {
  return DocumentSchema.describe(
    `a query filter, e.g. { "status": "open", "qty": { "$gt": 5 } }, in ${EJSON_NOTE}. $where, $function and $accumulator are refused`,
  );
}

export function documentField(what: string) {
  return DocumentSchema.describe(`${what}, in ${EJSON_NOTE}; _id is generated when absent; field names may not start with $`);
}

/** The collection and a filter-like argument, checked and decoded: what the backend gets. */
export function prepareQuery(
  { policy }: MongoDeps,
  collection: string,
  value: Doc | undefined,
  field: string,
): { collection: string; value: Doc | undefined } {
  checkCollection(collection, policy);
  if (value === undefined) return { collection, value };
  checkOperators(value, policy, field);
  return { collection, value: fromExtendedJson(value, field) };
}

export function refuseWhenReadOnly(readOnly: boolean, tool: string): void {
  if (readOnly) throw new ToolError('READ_ONLY', `${tool} is refused: this mongo server is read-only`);
}

export const readAnnotations = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;
export const writeAnnotations = (destructive: boolean, idempotent: boolean) =>
  ({ readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: false }) as const;
