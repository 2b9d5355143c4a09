import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { type ErrorCode, errorOfResult, type Logger, ToolError, toolErrorResult } from '@switchboard/kit';
import { type AuditFinish, type AuditStart, type AuditStore, digestArguments } from './audit/index.ts';
import type { Policy } from './policy.ts';
import type { Principal } from './principal.ts';
import type { Clock, QuotaLimiter } from './quota.ts';

/** A tool name is the caller's to choose, even an unknown one; the audit log keeps a bounded prefix. */
const MAX_LOGGED_NAME = 256;

export interface GateCall {
  principal: Principal;
  tool: string;
  args: Record<string, unknown>;
  correlationId: string;
  depth: number;
}

export interface CallGateDeps {
  policy: Policy;
  quotas: QuotaLimiter;
  audit: AuditStore;
  clock: Clock;
  logger: Logger;
}

/**
 * Every tool call passes here: policy (tool allowed? arguments within the rules?) → quota → audit
 * record written → the call → audit record finished. A refused call never reaches `dispatch`, and is
 * audited too. If the audit log cannot record a call, the call does not run.
 */
export class CallGate {
  /** This hub process, in every record it writes: an `unfinished` record of a dead instance crashed. */
  readonly instance = randomUUID();

  constructor(private readonly deps: CallGateDeps) {}

  async run(call: GateCall, dispatch: () => Promise<CallToolResult>): Promise<CallToolResult> {
    const { policy, quotas, audit, clock } = this.deps;
    const { principal, tool, args } = call;
    const start: AuditStart = {
      id: randomUUID(),
      instance: this.instance,
      startedAt: clock.now(),
      principal: principal.id,
      role: principal.role,
      ...(principal.onBehalfOf === undefined ? {} : { onBehalfOf: principal.onBehalfOf }),
      tool: tool.length > MAX_LOGGED_NAME ? `${tool.slice(0, MAX_LOGGED_NAME)}…` : tool,
      ...digestArguments(args),
      correlationId: call.correlationId,
      depth: call.depth,
    };
    const decision = policy.check(principal, tool, args);
    if (!decision.allowed) {
      await this.refused(start, { outcome: 'denied', errorCode: 'ACL_DENIED', rule: decision.rule });
      return refusal('ACL_DENIED', `${decision.reason} [rule: ${decision.rule}]`, decision.field, { rule: decision.rule });
    }
    const quota = quotas.acquire(principal, tool);
    if (!quota.ok) {
      await this.refused(start, { outcome: 'rate_limited', errorCode: 'RATE_LIMITED', rule: quota.rule });
      const seconds = Math.max(1, Math.ceil(quota.retryAfterMs / 1000));
      return refusal('RATE_LIMITED', `${quota.reason}; retry after ${seconds} s`, undefined, {
        rule: quota.rule,
        retryAfterMs: quota.retryAfterMs,
      });
    }
    const began = performance.now();
    try {
      await audit.begin(start);
    } catch (error) {
      quota.ticket.release(0);
      this.deps.logger.error(
        { err: (error as Error).message, tool, correlationId: call.correlationId },
        'audit store failed; call not run',
      );
      return toolErrorResult(new ToolError('INTERNAL', 'the audit log could not record this call, so it was not run; see the hub log'));
    }
    let result: CallToolResult | undefined;
    let thrown: unknown;
    try {
      result = await dispatch();
    } catch (error) {
      thrown = error;
    }
    const bytes = result === undefined ? 0 : Buffer.byteLength(JSON.stringify(result));
    quota.ticket.release(bytes);
    const code = result === undefined ? codeOf(thrown) : result.isError ? (errorOfResult(result)?.code ?? 'UNKNOWN') : undefined;
    const finish: AuditFinish = {
      finishedAt: clock.now(),
      outcome: code === undefined ? 'ok' : 'error',
      ...(code === undefined ? {} : { errorCode: code }),
      durationMs: Math.round((performance.now() - began) * 10) / 10,
      bytes,
    };
    try {
      await audit.finish(start.id, finish);
    } catch (error) {
      this.deps.logger.error(
        { err: (error as Error).message, tool, correlationId: call.correlationId },
        'audit store failed to finish a record',
      );
    }
    if (result === undefined) throw thrown;
    return result;
  }

  private async refused(start: AuditStart, finish: Omit<AuditFinish, 'finishedAt' | 'durationMs'>): Promise<void> {
    try {
      await this.deps.audit.record(start, { ...finish, finishedAt: start.startedAt, durationMs: 0 });
    } catch (error) {
      this.deps.logger.error({ err: (error as Error).message, tool: start.tool }, 'audit store failed to record a refusal');
    }
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'INTERNAL';
}

/** An `isError` result with extra fields (rule, retryAfterMs) in `_meta['switchboard/error']`. */
function refusal(code: ErrorCode, message: string, field: string | undefined, extra: Record<string, unknown>): CallToolResult {
  const result = toolErrorResult(new ToolError(code, message, field)) as CallToolResult;
  Object.assign(result._meta?.['switchboard/error'] as object, extra);
  return result;
}
