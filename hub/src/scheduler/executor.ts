import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult, toErrorPayload } from '@switchboard/kit';
import { isRetryable } from './backoff.ts';
import type { TaskError, TaskPrincipal } from './task-model.ts';

/** What a task's call gets besides its input. */
export interface ExecutionContext {
  /** Aborted when the task is cancelled, times out or loses its lease: pass it on (→ MCP cancellation). */
  signal: AbortSignal;
  correlationId: string;
  taskId: string;
  attempt: number;
  /** The submitting principal: the call must run under this identity (null: the hub's own). */
  principal: TaskPrincipal | null;
}

/**
 * The one thing the scheduler needs from the hub: run a tool by name. Domain failures come back as
 * `isError` results (with `_meta['switchboard/error']`); throwing means the call itself broke.
 */
export type TaskExecutor = (target: string, input: Record<string, unknown>, context: ExecutionContext) => Promise<CallToolResult>;

/** Why a running call was aborted. Only a deadline turns into an outcome; the others are already recorded. */
export type AbortReason = 'deadline' | 'cancelled' | 'lease-lost' | 'shutdown';

export class TaskAbort extends Error {
  override readonly name = 'TaskAbort';
  constructor(readonly reason: AbortReason) {
    super(`task call aborted: ${reason}`);
  }
}

/** The error of an isError result: its Switchboard payload, else the tool's own text. */
export function errorOfToolResult(result: CallToolResult): TaskError {
  const payload = errorOfResult(result);
  if (payload) return { ...payload };
  const text = result.content
    .filter((b): b is { type: 'text'; text: string } => b.type === 'text')
    .map((b) => b.text)
    .join('\n');
  return { code: 'TOOL_ERROR', message: text.slice(0, 2000) || 'the tool reported an error without text' };
}

export type Classified =
  | { kind: 'succeeded'; result: CallToolResult }
  | { kind: 'failed'; error: TaskError; retryable: boolean }
  | { kind: 'timed_out'; error: TaskError }
  | { kind: 'dropped' };

/** Turns what the executor did into an outcome. */
export function classify(
  settled: { result?: CallToolResult; thrown?: unknown },
  signal: Pick<AbortSignal, 'aborted' | 'reason'>,
): Classified {
  const reason = signal.aborted ? (signal.reason instanceof TaskAbort ? signal.reason.reason : 'cancelled') : undefined;
  if (reason === 'deadline')
    return { kind: 'timed_out', error: { code: 'TIMEOUT', message: 'the deadline passed; the running call was cancelled' } };
  if (reason !== undefined) return { kind: 'dropped' };
  if (settled.result !== undefined) {
    if (!settled.result.isError) return { kind: 'succeeded', result: settled.result };
    const error = errorOfToolResult(settled.result);
    return { kind: 'failed', error, retryable: isRetryable(error) };
  }
  const error: TaskError = { ...toErrorPayload(settled.thrown) };
  return { kind: 'failed', error, retryable: isRetryable(error) };
}
