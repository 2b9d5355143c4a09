import type { Doc } from './backend.ts';
import { isPlainObject } from './guard.ts';

/**
 * The fields an upsert starts from, as MongoDB takes them from the filter: top-level equality
 * conditions (`{ a: 1 }`, `{ a: { $eq: 1 } }`), also inside `$and`. Answered as `$set` paths.
 */
export function upsertSeed(filter: Doc): Doc {
  const seed: Doc = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) if (isPlainObject(part)) Object.assign(seed, upsertSeed(part));
    } else if (!key.startsWith('$')) {
      const operators = isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'));
      if (!operators) seed[key] = value;
      else if (isPlainObject(value) && '$eq' in value) seed[key] = value.$eq;
    }
  }
  return seed;
}
