import type { CallToolResult } from '@modelcontextprotocol/client';
import { ToolError, toolErrorResult } from '@switchboard/kit';
import type { ExecutionContext, TaskExecutor } from '../executor.ts';

export type Handler = (input: Record<string, unknown>, context: ExecutionContext) => Promise<CallToolResult> | CallToolResult;

export interface Call {
  target: string;
  input: Record<string, unknown>;
  context: ExecutionContext;
}

export const ok = (text = 'ok'): CallToolResult => ({ content: [{ type: 'text', text }], structuredContent: { text } });
export const fail = (code: ConstructorParameters<typeof ToolError>[0], message = 'nope'): CallToolResult =>
  toolErrorResult(new ToolError(code, message));

/** Resolves when the call's signal aborts; the result says so, as an MCP client would after cancelling. */
export function untilAborted(context: ExecutionContext): Promise<CallToolResult> {
  return new Promise((resolve) => {
    context.signal.addEventListener('abort', () => resolve(fail('INTERNAL', 'cancelled')), { once: true });
  });
}

/** A scripted executor: a handler per target (default: ok), recording every call in order. */
export function fakeExecutor(handlers: Record<string, Handler> = {}) {
  const calls: Call[] = [];
  let active = 0;
  let maxActive = 0;
  const activeByTarget = new Map<string, number>();
  const maxByTarget = new Map<string, number>();
  const executor: TaskExecutor = async (target, input, context) => {
    calls.push({ target, input, context });
    active++;
    maxActive = Math.max(maxActive, active);
    activeByTarget.set(target, (activeByTarget.get(target) ?? 0) + 1);
    maxByTarget.set(target, Math.max(maxByTarget.get(target) ?? 0, activeByTarget.get(target) ?? 0));
    try {
      const handler = handlers[target];
      return handler ? await handler(input, context) : ok(target);
    } finally {
      active--;
      activeByTarget.set(target, (activeByTarget.get(target) ?? 1) - 1);
    }
  };
  return {
    executor,
    calls,
    handlers,
    get maxActive() {
      return maxActive;
    },
    maxActiveOf: (target: string) => maxByTarget.get(target) ?? 0,
    targets: () => calls.map((c) => c.target),
  };
}
