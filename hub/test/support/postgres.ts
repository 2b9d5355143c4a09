import assert from 'node:assert/strict';
import { it } from 'node:test';
import pg from 'pg';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Undefined when Postgres answers, else why not (never the password). */
export async function postgresUnavailable(url = DATABASE_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const safe = new URL(url);
    safe.password = '';
    return `no Postgres at ${safe.host}${safe.pathname} (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Registers the reason as a skipped test, or with REQUIRE_SERVICES=1 (CI) as a failing one, so a
 * missing database never passes quietly.
 */
export function reportMissingPostgres(reason: string): void {
  if (process.env.REQUIRE_SERVICES === '1') {
    it('Postgres is reachable', () => assert.fail(`REQUIRE_SERVICES=1 but ${reason}`));
  } else {
    console.log(`# skipping Postgres tests: ${reason}; set DATABASE_URL, or REQUIRE_SERVICES=1 to make this a failure`);
    it(`Postgres tests skipped: ${reason}`, { skip: reason }, () => {});
  }
}

export const randomSchema = (prefix: string) => `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
