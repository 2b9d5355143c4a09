import { isDeepStrictEqual } from 'node:util';

/**
 * Partial deep-equal: every key of an expected object must match in `actual` (extra keys in `actual`
 * are fine); arrays must have the same length and match element by element; anything else must be
 * strictly equal. Returns undefined on a match, else where and how it differs.
 */
export function findSubsetMismatch(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at(path)}expected an array, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `${at(path)}expected ${expected.length} items, got ${actual.length}`;
    for (const [index, item] of expected.entries()) {
      const mismatch = findSubsetMismatch(item, actual[index], `${path}[${index}]`);
      if (mismatch !== undefined) return mismatch;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual))
      return `${at(path)}expected an object, got ${describe(actual)}`;
    for (const [key, item] of Object.entries(expected)) {
      const keyPath = `${path}.${key}`;
      if (!Object.hasOwn(actual, key)) return `${at(keyPath)}missing`;
      const mismatch = findSubsetMismatch(item, (actual as Record<string, unknown>)[key], keyPath);
      if (mismatch !== undefined) return mismatch;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : `${at(path)}expected ${describe(expected)}, got ${describe(actual)}`;
}

/** Full deep equality (for idempotency: the second answer must be the same as the first). */
export function deepEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}

function at(path: string): string {
  return path === '' ? '' : `at ${path}: `;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
