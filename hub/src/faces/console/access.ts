import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Principal } from '../../policy/index.ts';

/** The role that sees everything in the console: every role, the whole catalogue, the audit log. */
export const ADMIN_ROLE_NAME = 'admin';

export const isAdmin = (principal: Principal): boolean => principal.role === ADMIN_ROLE_NAME;

export type ConsoleErrorCode = 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'ACL_DENIED' | 'CONFIRMATION_REQUIRED' | 'UNAVAILABLE' | 'INTERNAL';

const STATUS: Record<ConsoleErrorCode, ContentfulStatusCode> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  ACL_DENIED: 403,
  CONFIRMATION_REQUIRED: 428,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** A refusal the console API answers with, in the task API's error shape. */
export class ConsoleApiError extends Error {
  constructor(
    readonly code: ConsoleErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const CORRELATION_HEADER = 'x-correlation-id';

export function correlationIdOf(c: Context): string {
  const given = c.req.header(CORRELATION_HEADER);
  return given !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** Wraps a handler: every answer carries x-correlation-id; thrown ConsoleApiErrors become JSON errors. */
export function handle(run: (c: Context, correlationId: string) => Promise<Response>, onError?: (error: unknown) => void) {
  return async (c: Context): Promise<Response> => {
    const correlationId = correlationIdOf(c);
    let response: Response;
    try {
      response = await run(c, correlationId);
    } catch (error) {
      if (!(error instanceof ConsoleApiError)) onError?.(error);
      const known = error instanceof ConsoleApiError ? error : new ConsoleApiError('INTERNAL', 'the console API failed; see the hub log');
      const body = { error: { code: known.code, message: known.message, ...(known.field ? { field: known.field } : {}) }, correlationId };
      response = c.json(body, STATUS[known.code]);
    }
    response.headers.set(CORRELATION_HEADER, correlationId);
    return response;
  };
}

/** Throws ACL_DENIED for anyone but the admin role, saying which role it takes and which the caller has. */
export function requireAdmin(principal: Principal, what: string): void {
  if (!isAdmin(principal))
    throw new ConsoleApiError(
      'ACL_DENIED',
      `${what} is for the '${ADMIN_ROLE_NAME}' role; principal '${principal.id}' has role '${principal.role || 'none'}'`,
    );
}
