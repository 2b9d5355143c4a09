import { randomUUID } from 'node:crypto';
import type { AuditFinish, AuditStart } from './types.ts';

/** Something the hub noticed about an upstream's tool definition (not a call). */
export interface ToolFlag {
  kind: 'suspicious' | 'redefined';
  /** The hub tool name. */
  tool: string;
  upstream: string;
  /** The definition's fingerprint (tool-pins.ts), in the record's digest column. */
  fingerprint: string;
  reasons: string[];
  /** Quarantined/blocked (`pinTools`), or only flagged. */
  blocked: boolean;
}

const ERROR_CODES = { suspicious: 'TOOL_SUSPICIOUS', redefined: 'TOOL_REDEFINED' } as const;

/**
 * The audit record of a flagged tool definition, so `switchboard audit --outcome flagged` and the
 * console show it beside the calls: principal `upstream:<name>` (who said it), outcome `flagged`,
 * the code saying what, and in `rule` why (the screening reasons) and whether it was blocked.
 */
export function toolFlagRecord(flag: ToolFlag, instance: string, now: number): [AuditStart, AuditFinish] {
  const why = flag.kind === 'suspicious' ? flag.reasons.join('; ') : 'definition changed since approval';
  return [
    {
      id: randomUUID(),
      instance,
      startedAt: now,
      principal: `upstream:${flag.upstream}`,
      role: 'upstream',
      tool: flag.tool,
      argsDigest: flag.fingerprint,
      argKeys: [],
      correlationId: randomUUID(),
      depth: 0,
    },
    {
      finishedAt: now,
      outcome: 'flagged',
      errorCode: ERROR_CODES[flag.kind],
      rule: `${flag.blocked ? 'quarantined until approved (pinTools)' : 'flagged (pinTools off: still callable)'}: ${why}`,
      durationMs: 0,
    },
  ];
}
