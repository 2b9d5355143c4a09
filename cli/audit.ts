import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  AUDIT_OUTCOMES,
  type AuditOutcome,
  type AuditQuery,
  type AuditRecord,
  loadHubConfig,
  openAuditStore,
  sqliteAuditFile,
} from '@switchboard/hub';
import { defaultRolesDir } from './start-hub.ts';
import { UsageError } from './usage.ts';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m`, `2h`, `7d` ago, or an ISO date/time. */
export function parseTime(value: string, flag: string, now = Date.now()): number {
  const relative = /^(\d+)([smhd])$/.exec(value);
  if (relative) return now - Number(relative[1]) * (UNITS[relative[2] as string] as number);
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new UsageError(`${flag}: '${value}' is neither a duration (15m, 2h, 7d) nor a date (2026-01-31T12:00Z)`);
  return at;
}

export function queryOf(values: Record<string, string | boolean | undefined>, now = Date.now()): AuditQuery {
  const query: AuditQuery = {};
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const principal = text('principal');
  if (principal !== undefined) query.principal = principal;
  const role = text('role');
  if (role !== undefined) query.role = role;
  const tool = text('tool');
  if (tool !== undefined) query.tool = tool;
  const correlation = text('correlation');
  if (correlation !== undefined) query.correlationId = correlation;
  const outcome = text('outcome');
  if (outcome !== undefined) {
    if (!AUDIT_OUTCOMES.includes(outcome as AuditOutcome)) throw new UsageError(`--outcome: must be one of ${AUDIT_OUTCOMES.join(', ')}`);
    query.outcome = outcome as AuditOutcome;
  }
  const since = text('since');
  if (since !== undefined) query.since = parseTime(since, '--since', now);
  const until = text('until');
  if (until !== undefined) query.until = parseTime(until, '--until', now);
  const limit = Number(text('limit') ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new UsageError('--limit: a whole number from 1 to 100000');
  query.limit = limit;
  return query;
}

/** One line per call: when, outcome, who (role), what, how long, how much, and why it was refused. */
export function formatRecord(record: AuditRecord): string {
  const who = `${record.principal} (${record.role}${record.onBehalfOf ? `, for ${record.onBehalfOf}` : ''})`;
  const parts = [new Date(record.startedAt).toISOString(), record.outcome.padEnd(12), who, record.tool];
  if (record.durationMs !== undefined && record.outcome !== 'denied' && record.outcome !== 'rate_limited')
    parts.push(`${record.durationMs} ms`);
  if (record.bytes !== undefined && record.bytes > 0) parts.push(`${record.bytes} B`);
  if (record.errorCode !== undefined) parts.push(record.errorCode);
  if (record.rule !== undefined) parts.push(`rule: ${record.rule}`);
  parts.push(`corr=${record.correlationId}`);
  return parts.join('  ');
}

/**
 * `switchboard audit [filters] [--json]`: reads the audit log the config names (SQLite file or
 * Postgres) without starting the hub. Newest first.
 */
export async function audit(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      principal: { type: 'string' },
      role: { type: 'string' },
      tool: { type: 'string' },
      outcome: { type: 'string' },
      correlation: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const query = queryOf(values);
  const loaded = loadHubConfig({ ...(values.config ? { file: values.config } : {}), defaultRolesDir });
  const { audit: auditConfig, hub } = loaded.config;
  if (auditConfig.store === 'memory')
    throw new UsageError('this config keeps its audit log in memory (audit.store: memory): nothing to read');
  if (auditConfig.store === 'sqlite') {
    const file = sqliteAuditFile(auditConfig, loaded.baseDir, hub.dataDir);
    if (!existsSync(file)) {
      process.stderr.write(`switchboard audit: no audit log at ${file} yet (the hub writes it on its first call)\n`);
      if (values.json) process.stdout.write('[]\n');
      return;
    }
  }
  const store = await openAuditStore(auditConfig, loaded.baseDir, hub.dataDir);
  try {
    const records = await store.query(query);
    if (values.json) process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
    else for (const record of records) process.stdout.write(`${formatRecord(record)}\n`);
  } finally {
    await store.close();
  }
}
