import type { Context, Hono } from 'hono';
import { stream } from 'hono/streaming';
import type { Hub } from '../../hub.ts';
import { AUDIT_OUTCOMES, type AuditOutcome, type AuditQuery } from '../../policy/index.ts';
import { ConsoleApiError, handle, requireAdmin } from './access.ts';
import type { ConsoleRouteOptions } from './catalog-routes.ts';

export const AUDIT_PAGE_MAX = 500;
const EXPORT_PAGE = 1000;
const TEXT_FILTERS = ['principal', 'role', 'tool', 'correlationId'] as const;
const KNOWN = new Set([...TEXT_FILTERS, 'outcome', 'since', 'until', 'limit', 'offset']);

/** `2026-01-01T00:00:00Z`, epoch milliseconds, or a time ago: `15m`, `2h`, `7d`. */
export function parseTime(value: string, field: string, now: number): number {
  if (/^\d{1,16}$/.test(value)) return Number(value);
  const ago = /^(\d{1,6})(s|m|h|d)$/.exec(value);
  if (ago) return now - Number(ago[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 's' | 'm' | 'h' | 'd'];
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new ConsoleApiError(
      'INVALID_ARGUMENT',
      `${field}: an ISO 8601 time, epoch milliseconds, or a time ago such as 15m, 2h, 7d`,
      field,
    );
  return parsed;
}

function integer(value: string | undefined, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new ConsoleApiError('INVALID_ARGUMENT', `${field}: an integer from ${min} to ${max}`, field);
  return n;
}

/**
 * The filters of an audit request. Without `until`, it is pinned to now and echoed back, so the pages
 * a client walks with `offset` do not shift as new calls are recorded.
 */
export function auditQueryOf(c: Context, now: number): AuditQuery & { until: number } {
  const q = c.req.query();
  const unknown = Object.keys(q).find((key) => !KNOWN.has(key));
  if (unknown !== undefined)
    throw new ConsoleApiError('INVALID_ARGUMENT', `unknown filter '${unknown}' (filters: ${[...KNOWN].join(', ')})`, unknown);
  const query: AuditQuery & { until: number } = { until: q.until ? parseTime(q.until, 'until', now) : now };
  for (const key of TEXT_FILTERS) {
    const value = q[key];
    if (value === undefined || value === '') continue;
    if (value.length > 200) throw new ConsoleApiError('INVALID_ARGUMENT', `${key}: at most 200 characters`, key);
    query[key] = value;
  }
  if (q.outcome) {
    if (!AUDIT_OUTCOMES.includes(q.outcome as AuditOutcome))
      throw new ConsoleApiError('INVALID_ARGUMENT', `outcome: one of ${AUDIT_OUTCOMES.join(', ')}`, 'outcome');
    query.outcome = q.outcome as AuditOutcome;
  }
  if (q.since) query.since = parseTime(q.since, 'since', now);
  return query;
}

/** `GET /v1/audit` (a page, newest first) and `GET /v1/audit/export` (every match as JSON lines). Admin only. */
export function mountAuditRoutes(app: Hono, hub: Hub, options: ConsoleRouteOptions): void {
  app.get(
    '/v1/audit',
    handle(async (c) => {
      requireAdmin(options.principalOf(c), 'the audit log');
      const query = auditQueryOf(c, Date.now());
      const limit = integer(c.req.query('limit'), 'limit', 1, AUDIT_PAGE_MAX, 50);
      const offset = integer(c.req.query('offset'), 'offset', 0, 10_000_000, 0);
      // One more than asked says whether another page exists, without counting the whole log.
      const rows = await hub.auditStore.query({ ...query, limit: limit + 1, offset });
      const records = rows.slice(0, limit);
      return c.json({
        records,
        offset,
        limit,
        nextOffset: rows.length > limit ? offset + limit : null,
        until: new Date(query.until).toISOString(),
      });
    }, options.onError),
  );

  app.get(
    '/v1/audit/export',
    handle(async (c) => {
      requireAdmin(options.principalOf(c), 'the audit log');
      const query = auditQueryOf(c, Date.now());
      if (c.req.query('limit') !== undefined || c.req.query('offset') !== undefined)
        throw new ConsoleApiError(
          'INVALID_ARGUMENT',
          'export writes every matching record: narrow it with since/until, not limit/offset',
          'limit',
        );
      const stamp = new Date(query.until).toISOString().replace(/[:.]/g, '-');
      c.header('content-type', 'application/x-ndjson; charset=utf-8');
      c.header('content-disposition', `attachment; filename="switchboard-audit-${stamp}.jsonl"`);
      return stream(c, async (out) => {
        for (let offset = 0; !out.aborted; offset += EXPORT_PAGE) {
          const page = await hub.auditStore.query({ ...query, limit: EXPORT_PAGE, offset });
          if (page.length > 0) await out.write(`${page.map((record) => JSON.stringify(record)).join('\n')}\n`);
          if (page.length < EXPORT_PAGE) break;
        }
      });
    }, options.onError),
  );
}
