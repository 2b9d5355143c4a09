// Shared by the fault tests (docs/reliability.md, "Faults"): a Postgres task store in a random schema
// of its own (dropped afterwards), and the REQUIRE_SERVICES rule: without Postgres the tests skip and
// say why; with REQUIRE_SERVICES=1 they fail.
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres } from '../../hub/test/support/postgres.ts';

export { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** The URL of the same database, reached through a proxy on `port` (the fault proxy). */
export function viaPort(url: string, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return proxied.toString();
}

/** host and port of a Postgres URL. */
export function hostPortOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 5432) };
}
