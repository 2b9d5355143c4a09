import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { BatchOutcome, ConsumeOptions, Delivery, OutgoingMessage, QueueBackend } from './backend.ts';
import { amqpError, NO_ROUTE } from './backend.ts';

const READY_WAIT_MS = 2_000;

/**
 * RabbitMQ through amqplib. One connection (opened on first use, reopened after it drops), one
 * confirm channel for publishing, and a fresh channel per consume or admin call: a broker error
 * closes the channel it happened on, and a consume's unacknowledged messages must go back to the
 * queue when its channel goes, whatever else fails.
 */
export function createAmqpBackend(url: string): QueueBackend {
  let connecting: Promise<ChannelModel> | undefined;
  let publisher: Promise<{ channel: ConfirmChannel; state: { error?: Error } }> | undefined;
  let closed = false;
  /** messageId → marks that message as returned by the broker (unroutable). */
  const returns = new Map<string, () => void>();

  const connection = (): Promise<ChannelModel> => {
    if (closed) return Promise.reject(amqpError(320, 'the queue server is shutting down'));
    connecting ??= amqp.connect(url, { timeout: 10_000 }).then(
      (conn) => {
        conn.on('error', () => {}); // 'close' follows; the next call reconnects
        conn.on('close', () => {
          connecting = undefined;
          publisher = undefined;
        });
        return conn;
      },
      (error: unknown) => {
        connecting = undefined;
        throw error;
      },
    );
    return connecting;
  };

  const confirmChannel = () => {
    if (publisher !== undefined) return publisher;
    const opening = connection().then(async (conn) => {
      const channel = await conn.createConfirmChannel();
      const state: { error?: Error } = {};
      channel.on('error', (error: Error) => {
        state.error = error;
      });
      channel.on('close', () => {
        if (publisher === opening) publisher = undefined;
      });
      channel.on('return', (message: ConsumeMessage) => returns.get(String(message.properties.messageId))?.());
      return { channel, state };
    });
    publisher = opening;
    opening.catch(() => {
      if (publisher === opening) publisher = undefined;
    });
    return opening;
  };

  /** A short-lived channel for one call; its broker error (404, 406…) is what the call throws. */
  async function withChannel<T>(use: (channel: Channel) => Promise<T>): Promise<T> {
    const channel = await (await connection()).createChannel();
    let failure: Error | undefined;
    channel.on('error', (error: Error) => {
      failure = error;
    });
    try {
      return await use(channel);
    } catch (error) {
      throw failure ?? error;
    } finally {
      await channel.close().catch(() => {});
    }
  }

  return {
    kind: 'amqp',
    async publish({ exchange, routingKey }, message: OutgoingMessage) {
      const { channel, state } = await confirmChannel();
      let returned = false;
      returns.set(message.messageId, () => {
        returned = true;
      });
      try {
        await new Promise<void>((resolve, reject) => {
          channel.publish(
            exchange,
            routingKey,
            Buffer.from(message.content.buffer, message.content.byteOffset, message.content.byteLength),
            {
              // mandatory: an unroutable message comes back (before its confirm) instead of vanishing.
              mandatory: true,
              persistent: message.persistent,
              headers: message.headers,
              messageId: message.messageId,
              contentType: message.contentType,
              timestamp: Math.floor(Date.now() / 1000),
            },
            (error: unknown) => (error ? reject(state.error ?? error) : resolve()),
          );
        });
      } finally {
        returns.delete(message.messageId);
      }
      if (returned) throw amqpError(NO_ROUTE, 'NO_ROUTE');
    },

    consume<T>(queue: string, options: ConsumeOptions, assemble: (deliveries: Delivery[]) => Promise<BatchOutcome<T>>): Promise<T> {
      return withChannel(async (channel) => {
        const { messageCount } = await channel.checkQueue(queue);
        // waitMs is how long to wait on an empty queue; ready messages are worth a short wait of their
        // own even with waitMs: 0 (they may only be gone if another consumer took them first).
        const waitMs = messageCount > 0 ? Math.max(options.waitMs, READY_WAIT_MS) : options.waitMs;
        const deliveries = await collect(
          channel,
          queue,
          { limit: options.limit, waitMs },
          Math.min(options.limit, Math.max(1, messageCount)),
        );
        let outcome: BatchOutcome<T>;
        try {
          outcome = await assemble(deliveries.map(toDelivery));
        } catch (error) {
          channel.nackAll(true);
          throw error;
        }
        const accepted = deliveries.slice(0, outcome.accept);
        const last = accepted.at(-1);
        if (last !== undefined) channel.ack(last, true);
        for (const message of deliveries.slice(outcome.accept)) channel.nack(message, false, true);
        // close() (in withChannel) waits for close-ok, which the broker sends after the acks above.
        return outcome.value;
      });
    },

    declareQueue: (queue, { durable, bindings }) =>
      withChannel(async (channel) => {
        const ok = await channel.assertQueue(queue, { durable });
        for (const { exchange, routingKey } of bindings) await channel.bindQueue(queue, exchange, routingKey);
        return { queue, messageCount: ok.messageCount, consumerCount: ok.consumerCount };
      }),

    queueStats: (queue) =>
      withChannel(async (channel) => {
        const ok = await channel.checkQueue(queue);
        return { queue, messageCount: ok.messageCount, consumerCount: ok.consumerCount };
      }),

    purge: (queue) => withChannel(async (channel) => (await channel.purgeQueue(queue)).messageCount),

    async close() {
      closed = true;
      const conn = await connecting?.catch(() => undefined);
      await conn?.close().catch(() => {});
    },
  };
}

/**
 * Subscribes with prefetch = limit and gathers deliveries until `target` arrived (the ready count at
 * the start, at least one) or `waitMs` passed, then cancels; anything that slipped in before the
 * cancel completed is part of the batch (prefetch keeps it within `limit`).
 */
async function collect(channel: Channel, queue: string, { limit, waitMs }: ConsumeOptions, target: number): Promise<ConsumeMessage[]> {
  await channel.prefetch(limit);
  const deliveries: ConsumeMessage[] = [];
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const timer = setTimeout(() => finish(), waitMs);
  const { consumerTag } = await channel.consume(
    queue,
    (message) => {
      if (message === null) return finish(); // cancelled by the broker (queue deleted)
      deliveries.push(message);
      if (deliveries.length >= target) finish();
    },
    { noAck: false },
  );
  await done;
  clearTimeout(timer);
  await channel.cancel(consumerTag);
  return deliveries;
}

function toDelivery(message: ConsumeMessage): Delivery {
  const { properties, fields } = message;
  return {
    content: new Uint8Array(message.content),
    headers: { ...(properties.headers ?? {}) },
    exchange: fields.exchange,
    routingKey: fields.routingKey,
    redelivered: fields.redelivered,
    messageId: properties.messageId === undefined ? undefined : String(properties.messageId),
    contentType: properties.contentType === undefined ? undefined : String(properties.contentType),
    timestamp: typeof properties.timestamp === 'number' ? properties.timestamp : undefined,
  };
}
