/**
 * The port every queue tool works through. Names are already checked by the guard. Failures are
 * thrown as errors carrying an AMQP reply `code` (404 NOT_FOUND, 406 PRECONDITION_FAILED,
 * 403 ACCESS_REFUSED, 312 NO_ROUTE) as amqplib does; `errors.ts` maps them.
 */
export type HeaderTable = Record<string, unknown>;

export interface OutgoingMessage {
  content: Uint8Array;
  headers?: HeaderTable | undefined;
  persistent: boolean;
  contentType?: string | undefined;
  /** Set by the tool; identifies the message in broker returns and for the consumer. */
  messageId: string;
}

export interface Delivery {
  content: Uint8Array;
  headers: HeaderTable;
  exchange: string;
  routingKey: string;
  redelivered: boolean;
  messageId?: string | undefined;
  contentType?: string | undefined;
  /** Seconds since the epoch, as AMQP carries it. */
  timestamp?: number | undefined;
}

export interface QueueStats {
  queue: string;
  /** Ready messages (not counting those delivered and not yet acknowledged). */
  messageCount: number;
  consumerCount: number;
}

/** What a consumer decides about a batch: its result, and how many of the first deliveries to ack. */
export interface BatchOutcome<T> {
  value: T;
  /** The first `accept` deliveries are acknowledged; the rest go back to the queue, in order. */
  accept: number;
}

export interface ConsumeOptions {
  limit: number;
  /** How long to wait for a first message when the queue is empty. */
  waitMs: number;
}

export interface QueueBackend {
  readonly kind: 'amqp' | 'memory';
  /**
   * Publishes and resolves only once the broker confirmed it. With `exchange: ''` the routing key is
   * the queue. A message no queue would receive is refused (NO_ROUTE), never silently dropped.
   */
  publish(target: { exchange: string; routingKey: string }, message: OutgoingMessage): Promise<void>;
  /**
   * Takes up to `limit` messages (those ready now, or the first to arrive within `waitMs`), hands
   * them to `assemble`, and acknowledges only after it returned. If `assemble` throws, or anything
   * fails before the acknowledgement, every message of the batch is put back for the next consumer.
   */
  consume<T>(queue: string, options: ConsumeOptions, assemble: (deliveries: Delivery[]) => Promise<BatchOutcome<T>>): Promise<T>;
  declareQueue(queue: string, options: { durable: boolean; bindings: { exchange: string; routingKey: string }[] }): Promise<QueueStats>;
  queueStats(queue: string): Promise<QueueStats>;
  /** Removes the ready messages; answers how many. */
  purge(queue: string): Promise<number>;
  close(): Promise<void>;
}

/** An error shaped like amqplib's: the AMQP reply code on `code`. */
export function amqpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

export const NOT_FOUND = 404;
export const PRECONDITION_FAILED = 406;
export const NO_ROUTE = 312;
