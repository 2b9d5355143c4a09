import { ToolError } from '@switchboard/kit';
import { NO_ROUTE, NOT_FOUND, PRECONDITION_FAILED } from './backend.ts';

export interface Subject {
  /** What the call was about, as the caller named it, e.g. "queue 'jobs'". */
  what: string;
  field?: string;
  /** The field to blame when nothing receives the message (the routing key, for an exchange). */
  routeField?: string;
}

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', 'EPIPE']);

/**
 * AMQP reply codes (amqplib's and the mock's `code`) as domain errors. Messages never carry the
 * broker URL, which may hold a password.
 */
export function queueToolError(error: unknown, subject: Subject): unknown {
  if (error instanceof ToolError) return error;
  const err = error as { code?: number | string; message?: string };
  const text = err.message ?? '';
  switch (err.code) {
    case NOT_FOUND:
      return new ToolError(
        'NOT_FOUND',
        `${subject.what} does not exist${/exchange/.test(text) ? ' (no such exchange)' : ''}`,
        subject.field,
      );
    case NO_ROUTE:
      return new ToolError(
        'NOT_FOUND',
        `no queue receives this message (${subject.what}); nothing was published. Declare or bind a queue first`,
        subject.routeField ?? subject.field,
      );
    case PRECONDITION_FAILED:
      return new ToolError('INVALID_ARGUMENT', `${subject.what} exists with different properties (${brokerReason(text)})`, subject.field);
    case 403:
      return new ToolError(
        'ACL_DENIED',
        `the broker refused access to ${subject.what}; check the server's user permissions`,
        subject.field,
      );
  }
  if (typeof err.code === 'string' && NETWORK.has(err.code))
    return new ToolError('UPSTREAM_UNAVAILABLE', `RabbitMQ is unreachable (${err.code}); try again later`);
  if (/ACCESS_REFUSED|Login was refused/i.test(text))
    return new ToolError('UPSTREAM_UNAVAILABLE', 'RabbitMQ refused the server’s login; check its credentials');
  if (/Connection closed|Channel ended|channel closed|Socket closed|heartbeat|timeout/i.test(text))
    return new ToolError('UPSTREAM_UNAVAILABLE', `the connection to RabbitMQ dropped during the call on ${subject.what}; try again`);
  return new ToolError('INTERNAL', `RabbitMQ call on ${subject.what} failed`);
}

/** The broker's own explanation after its code, e.g. "inequivalent arg 'durable' …", without framing. */
function brokerReason(text: string): string {
  const match = /PRECONDITION_FAILED - ([^"]*)/.exec(text);
  return match?.[1]?.slice(0, 200) ?? 'precondition failed';
}

/** Runs `action`, turning broker failures into errors about `subject`. */
export async function onBroker<T>(subject: Subject, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw queueToolError(error, subject);
  }
}
