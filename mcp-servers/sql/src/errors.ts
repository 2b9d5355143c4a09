import { ToolError } from '@switchboard/kit';

/** What the caller was doing, so the error can say what to do next. */
export interface ErrorContext {
  tool: string;
  allowWrites: boolean;
  timeoutMs: number;
}

const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);

/**
 * A driver or database error as a domain error, by SQLSTATE. Database messages describe the
 * statement the caller sent, so they are passed on; connection details (the URL) never are.
 */
export function toSqlToolError(error: unknown, context: ErrorContext): ToolError {
  if (error instanceof ToolError) return error;
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (code === '08P01' && /bind message/.test(message)) return new ToolError('INVALID_ARGUMENT', `params: ${message}`, 'params');
  if (unreachable.has(code) || /^(08|57P0)/.test(code) || /Connection terminated|timeout exceeded when trying to connect/i.test(message))
    return new ToolError(
      'UPSTREAM_UNAVAILABLE',
      `PostgreSQL is unreachable (${code || message}); check --url / DATABASE_URL and that the server is up`,
    );
  if (code === '28P01' || code === '28000' || code === '3D000')
    return new ToolError('INVALID_CONFIG', `PostgreSQL refused the connection: ${message}; check the server's --url / DATABASE_URL`);
  if (code === '25006') {
    const hint = context.allowWrites
      ? 'use execute for writes'
      : 'this server is read-only (writes need --allow-writes and the execute tool)';
    return new ToolError('READ_ONLY', `${message}: ${context.tool} runs in a read-only transaction; ${hint}`, 'sql');
  }
  if (code === '57014')
    return new ToolError('TIMEOUT', `${message} (the limit is ${context.timeoutMs} ms); narrow the statement or add a LIMIT`, 'sql');
  if (code === '42501') return new ToolError('ACL_DENIED', `the database refused: ${message}`, 'sql');
  if (code === '42P01') return new ToolError('NOT_FOUND', message, 'sql');
  if (code === '42P02') return new ToolError('INVALID_ARGUMENT', `${message}; pass a value for each $n in params`, 'params');
  if (code === '42601' && /multiple commands/.test(message))
    return new ToolError('INVALID_ARGUMENT', 'one statement per call: the SQL holds several; send them one at a time', 'sql');
  if (code === '23505') return new ToolError('ALREADY_EXISTS', message, 'sql');
  if (/^5[34]/.test(code)) return new ToolError('LIMIT_EXCEEDED', message, 'sql');
  if (/^(2[0-9A-F]|42|0A|3F|44)/.test(code)) return new ToolError('INVALID_ARGUMENT', message, 'sql');
  return new ToolError('INTERNAL', code === '' ? message : `PostgreSQL error ${code}: ${message}`);
}

function firstLine(text: string): string {
  const line = text.split('\n').find((part) => part.trim() !== '') ?? text;
  return line.trim().slice(0, 500);
}

/** The refusal for a statement the planner cannot take: the gate in front of reads, and of writes under an allowlist. */
export function notPlannable(mode: 'read' | 'write', detail: string): ToolError {
  const accepted =
    mode === 'read'
      ? 'this tool runs one statement the planner accepts (SELECT, VALUES, TABLE, WITH …)'
      : 'with a schema/table allowlist, execute runs only statements the planner can check (INSERT, UPDATE, DELETE, MERGE, SELECT …)';
  return new ToolError('INVALID_ARGUMENT', `${accepted}; ${detail}`, 'sql');
}
