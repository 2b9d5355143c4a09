import { ToolError } from '@switchboard/kit';

export type Row = Record<string, unknown>;
export type TruncatedBy = 'rows' | 'bytes';

/**
 * Object keys for result columns. Postgres allows duplicate names (`SELECT 1 AS a, 2 AS a`); an
 * object would silently keep only the last, so later duplicates become `a_2`, `a_3`, …
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let n = 2; seen.has(candidate); n++) candidate = `${name}_${n}`;
    seen.add(candidate);
    return candidate;
  });
}

/** One value as JSON can carry it without loss or surprise. */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value); // NaN/Infinity would become null
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`; // Postgres' own bytea text form
  if (Array.isArray(value)) return value.map(toJsonValue);
  return value;
}

export function rowFromArray(keys: readonly string[], values: readonly unknown[]): Row {
  const row: Row = {};
  for (let i = 0; i < keys.length; i++) row[keys[i] as string] = toJsonValue(values[i]);
  return row;
}

/**
 * Collects rows up to a row limit and a byte limit (measured as the rows' JSON), never silently:
 * it keeps fetching one row past the limit so a result of exactly `maxRows` rows is not reported as
 * cut, and records why it stopped.
 */
export class RowCollector {
  readonly rows: Row[] = [];
  truncatedBy: TruncatedBy | undefined;
  private bytes = 2; // "[]"

  constructor(
    readonly maxRows: number,
    readonly maxBytes: number,
  ) {}

  get done(): boolean {
    return this.truncatedBy !== undefined;
  }

  /** Adds a row; false once the result is full (the row was not kept), so the caller stops fetching. */
  add(row: Row): boolean {
    if (this.truncatedBy !== undefined) return false;
    if (this.rows.length >= this.maxRows) {
      this.truncatedBy = 'rows';
      return false;
    }
    const size = Buffer.byteLength(JSON.stringify(row)) + 1;
    if (this.bytes + size > this.maxBytes) {
      if (this.rows.length === 0)
        throw new ToolError(
          'TOO_LARGE',
          `the first row alone is ${size} bytes, over the ${this.maxBytes}-byte result limit; select fewer or shorter columns`,
          'sql',
        );
      this.truncatedBy = 'bytes';
      return false;
    }
    this.rows.push(row);
    this.bytes += size;
    return true;
  }
}
