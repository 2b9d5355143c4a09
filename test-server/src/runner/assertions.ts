import { Ajv, type ErrorObject } from 'ajv';
import { findSubsetMismatch } from './compare.ts';

/** One checked expectation. `name` says which step and what was expected, so a failure names itself. */
export interface AssertionRecord {
  name: string;
  passed: boolean;
  expected: unknown;
  actual: unknown;
  message: string;
}

export interface TextExpectation {
  contains?: string;
  equals?: string;
  matches?: string;
}

export interface JsonExpectation {
  schema?: Record<string, unknown>;
  equals?: unknown;
}

const ajv = new Ajv({ allErrors: true, strict: false });

export function record(name: string, passed: boolean, expected: unknown, actual: unknown, failure: string): AssertionRecord {
  return { name, passed, expected, actual, message: passed ? 'ok' : failure };
}

/** `<prefix> is <expected>` by strict equality. */
export function assertEquals(name: string, expected: unknown, actual: unknown): AssertionRecord {
  return record(name, Object.is(expected, actual), expected, actual, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** One record per given matcher of `text: { contains, equals, matches }`. */
export function assertText(prefix: string, expected: TextExpectation, actual: string | undefined): AssertionRecord[] {
  const text = actual ?? '';
  const shown = clip(text);
  const records: AssertionRecord[] = [];
  if (expected.contains !== undefined) {
    const passed = text.includes(expected.contains);
    records.push(
      record(`${prefix} contains ${JSON.stringify(clip(expected.contains))}`, passed, expected.contains, shown, 'substring not found'),
    );
  }
  if (expected.equals !== undefined) {
    const passed = text === expected.equals;
    records.push(record(`${prefix} equals ${JSON.stringify(clip(expected.equals))}`, passed, expected.equals, shown, 'text differs'));
  }
  if (expected.matches !== undefined) {
    records.push(assertMatches(`${prefix} matches /${expected.matches}/`, expected.matches, text));
  }
  return records;
}

function assertMatches(name: string, pattern: string, text: string): AssertionRecord {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    return record(name, false, pattern, clip(text), `invalid regular expression: ${(error as Error).message}`);
  }
  return record(name, regex.test(text), pattern, clip(text), 'no match');
}

/** `schema` (JSON Schema via ajv) and/or `equals` (partial deep-equal) on a JSON value. */
export function assertJson(prefix: string, expected: JsonExpectation, actual: unknown): AssertionRecord[] {
  const records: AssertionRecord[] = [];
  if (expected.schema !== undefined) records.push(assertSchema(`${prefix} matches schema`, expected.schema, actual));
  if (expected.equals !== undefined) {
    const mismatch = findSubsetMismatch(expected.equals, actual);
    records.push(
      record(
        `${prefix} equals (subset) ${clip(JSON.stringify(expected.equals))}`,
        mismatch === undefined,
        expected.equals,
        actual,
        mismatch ?? '',
      ),
    );
  }
  return records;
}

function assertSchema(name: string, schema: Record<string, unknown>, actual: unknown): AssertionRecord {
  try {
    const validate = ajv.compile(schema);
    const passed = validate(actual) === true;
    return record(name, passed, schema, actual, formatSchemaErrors(validate.errors ?? []));
  } catch (error) {
    return record(name, false, schema, actual, `invalid JSON Schema in the case: ${(error as Error).message}`);
  }
}

function formatSchemaErrors(errors: readonly ErrorObject[]): string {
  return errors.map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`).join('; ');
}

export function assertMaxMs(prefix: string, maxMs: number, durationMs: number): AssertionRecord {
  return record(`${prefix} answers within ${maxMs}ms`, durationMs <= maxMs, maxMs, durationMs, `took ${durationMs}ms`);
}

/** One record per name: `lists "x"` for includes, `does not list "y"` for excludes. */
export function assertListed(
  prefix: string,
  names: readonly string[],
  expected: { includes?: string[]; excludes?: string[] },
): AssertionRecord[] {
  const listed = new Set(names);
  const includes = (expected.includes ?? []).map((name) =>
    record(
      `${prefix} lists "${name}"`,
      listed.has(name),
      name,
      listed.has(name) ? name : null,
      `"${name}" is not among the ${names.length} listed tools`,
    ),
  );
  const excludes = (expected.excludes ?? []).map((name) =>
    record(`${prefix} does not list "${name}"`, !listed.has(name), null, listed.has(name) ? name : null, `"${name}" is listed`),
  );
  return [...includes, ...excludes];
}

/** Long texts are cut in records (the full text is in the step's outcome). */
export function clip(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
