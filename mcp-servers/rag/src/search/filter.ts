import { z } from 'zod';

const Scalar = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
type ScalarValue = z.infer<typeof Scalar>;

const Operators = z
  .strictObject({
    $eq: Scalar.optional(),
    $ne: Scalar.optional(),
    $in: z.array(Scalar).max(100).optional(),
    $nin: z.array(Scalar).max(100).optional(),
    $gt: z.union([z.number(), z.string()]).optional(),
    $gte: z.union([z.number(), z.string()]).optional(),
    $lt: z.union([z.number(), z.string()]).optional(),
    $lte: z.union([z.number(), z.string()]).optional(),
    $exists: z.boolean().optional(),
  })
  .refine((ops) => Object.keys(ops).length > 0, {
    message: 'give at least one operator ($eq, $ne, $in, $nin, $gt, $gte, $lt, $lte, $exists)',
  });

/** A metadata filter: every key must match (AND); a value matches by equality, an object by its operators. */
export const FilterSchema = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'metadata keys are letters, digits, _, . and -'), z.union([Scalar, Operators]))
  .refine((filter) => Object.keys(filter).length <= 20, { message: 'at most 20 keys' })
  .describe(
    'metadata filter, all keys must match: `{ "lang": "ts" }` is equality; operators: `{ "year": { "$gte": 2020 } }`, $eq, $ne, $in, $nin, $gt, $gte, $lt, $lte, $exists',
  );

export type Filter = z.infer<typeof FilterSchema>;
export type MetadataPredicate = (metadata: Record<string, unknown>) => boolean;

/** Compiles a validated filter into a predicate over a chunk's document metadata. */
export function compileFilter(filter: Filter): MetadataPredicate {
  const tests = Object.entries(filter).map(([key, condition]) => {
    if (condition === null || typeof condition !== 'object') return (m: Record<string, unknown>) => equal(m[key], condition);
    const ops = condition;
    return (m: Record<string, unknown>) => {
      const value = m[key];
      if (ops.$exists !== undefined && (value !== undefined) !== ops.$exists) return false;
      if (ops.$eq !== undefined && !equal(value, ops.$eq)) return false;
      if (ops.$ne !== undefined && equal(value, ops.$ne)) return false;
      if (ops.$in !== undefined && !ops.$in.some((candidate) => equal(value, candidate))) return false;
      if (ops.$nin?.some((candidate) => equal(value, candidate))) return false;
      if (ops.$gt !== undefined && !(comparable(value, ops.$gt) && (value as number) > (ops.$gt as number))) return false;
      if (ops.$gte !== undefined && !(comparable(value, ops.$gte) && (value as number) >= (ops.$gte as number))) return false;
      if (ops.$lt !== undefined && !(comparable(value, ops.$lt) && (value as number) < (ops.$lt as number))) return false;
      if (ops.$lte !== undefined && !(comparable(value, ops.$lte) && (value as number) <= (ops.$lte as number))) return false;
      return true;
    };
  });
  return (metadata) => tests.every((test) => test(metadata));
}

/** Equality; a metadata array matches when it contains the value (tags: ["a", "b"] matches "a"). */
function equal(value: unknown, expected: ScalarValue): boolean {
  if (Array.isArray(value)) return value.some((item) => item === expected);
  return value === expected || (value === undefined && expected === null);
}

function comparable(value: unknown, bound: number | string): boolean {
  return typeof value === typeof bound;
}
