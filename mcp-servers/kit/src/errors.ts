import type { CallToolResult } from '@modelcontextprotocol/server';

/** Domain error codes shared by every server and the hub. They become `isError` tool results. */
export type ErrorCode =
  | 'ACL_DENIED'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'TOO_LARGE'
  | 'READ_ONLY'
  | 'INVALID_CONFIG'
  | 'UPSTREAM_UNAVAILABLE'
  | 'TIMEOUT'
  | 'LIMIT_EXCEEDED'
  | 'RATE_LIMITED'
  | 'INTERNAL';

/** An error a tool reports to its caller; `field` names the argument at fault, when there is one. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  field?: string;
}

/** Normalises anything thrown into the payload callers see. Unknown errors never leak stack traces. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof ToolError) {
    return error.field === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, field: error.field };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}

/** The MCP `isError` result for an error: a one-line text rendering plus the payload in `_meta`. */
export function toolErrorResult(error: unknown): CallToolResult {
  const payload = toErrorPayload(error);
  const where = payload.field === undefined ? '' : ` (field '${payload.field}')`;
  return {
    isError: true,
    content: [{ type: 'text', text: `${payload.code}: ${payload.message}${where}` }],
    _meta: { 'switchboard/error': payload },
  };
}

/** Reads the structured error back out of a result made by `toolErrorResult`, if it is one. */
export function errorOfResult(result: { isError?: boolean; _meta?: Record<string, unknown> }): ErrorPayload | undefined {
  if (!result.isError) return undefined;
  const payload = result._meta?.['switchboard/error'];
  return payload && typeof payload === 'object' ? (payload as ErrorPayload) : undefined;
}

/** Wraps a tool handler so anything it throws becomes an `isError` result with a code, never a crash. */
export function handleToolErrors<A extends unknown[]>(
  handler: (...args: A) => Promise<CallToolResult>,
): (...args: A) => Promise<CallToolResult> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      return toolErrorResult(error);
    }
  };
}
