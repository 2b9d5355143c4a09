import type { BatchOutcome, ConsumeOptions, Delivery, OutgoingMessage, QueueBackend, QueueStats } from './backend.ts';
import { amqpError, NO_ROUTE, NOT_FOUND, PRECONDITION_FAILED } from './backend.ts';
import { topicMatches } from './topic.ts';

type ExchangeType = 'direct' | 'fanout' | 'topic';

interface MemoryQueue {
  durable: boolean;
  ready: Delivery[];
  consumers: number;
  /** Consumers waiting for a first message. */
  waiters: Set<() => void>;
}

const BUILTIN: Record<string, ExchangeType> = { 'amq.direct': 'direct', 'amq.fanout': 'fanout', 'amq.topic': 'topic' };

/**
 * In-memory queues with RabbitMQ's contract: publishing to a missing queue or an unbound routing
 * key is refused, a consumed batch is held until acknowledged, and what is not acknowledged goes
 * back to the head of its queue, in order, marked redelivered. Exchanges other than the built-in
 * amq.direct / amq.fanout / amq.topic are created as topic exchanges.
 */
export class MemoryQueueBackend implements QueueBackend {
  readonly kind = 'memory';
  private readonly queues = new Map<string, MemoryQueue>();
  private readonly exchanges = new Map<string, { type: ExchangeType; bindings: { queue: string; routingKey: string }[] }>();

  constructor(exchanges: readonly string[] = []) {
    for (const [name, type] of Object.entries(BUILTIN)) this.exchanges.set(name, { type, bindings: [] });
    for (const name of exchanges) if (!this.exchanges.has(name)) this.exchanges.set(name, { type: 'topic', bindings: [] });
  }

  async publish(target: { exchange: string; routingKey: string }, message: OutgoingMessage): Promise<void> {
    const queues = this.route(target.exchange, target.routingKey);
    if (queues.length === 0) throw amqpError(NO_ROUTE, 'NO_ROUTE');
    for (const name of queues) {
      const queue = this.queues.get(name) as MemoryQueue;
      queue.ready.push({
        content: message.content.slice(),
        headers: { ...message.headers },
        exchange: target.exchange,
        routingKey: target.routingKey,
        redelivered: false,
        messageId: message.messageId,
        contentType: message.contentType,
        timestamp: Math.floor(Date.now() / 1000),
      });
      for (const wake of queue.waiters) wake();
    }
  }

  async consume<T>(name: string, { limit, waitMs }: ConsumeOptions, assemble: (d: Delivery[]) => Promise<BatchOutcome<T>>): Promise<T> {
    const queue = this.queue(name);
    queue.consumers++;
    let batch: Delivery[] = [];
    try {
      const deadline = Date.now() + waitMs;
      while (queue.ready.length === 0 && Date.now() < deadline) await this.waitForMessage(queue, deadline - Date.now());
      batch = queue.ready.splice(0, limit);
      const outcome = await assemble(
        batch.map((delivery) => ({ ...delivery, content: delivery.content.slice(), headers: { ...delivery.headers } })),
      );
      this.requeue(queue, batch.slice(outcome.accept));
      return outcome.value;
    } catch (error) {
      this.requeue(queue, batch);
      throw error;
    } finally {
      queue.consumers--;
    }
  }

  async declareQueue(
    name: string,
    { durable, bindings }: { durable: boolean; bindings: { exchange: string; routingKey: string }[] },
  ): Promise<QueueStats> {
    const existing = this.queues.get(name);
    if (existing !== undefined && existing.durable !== durable)
      throw amqpError(PRECONDITION_FAILED, `PRECONDITION_FAILED - inequivalent arg 'durable' for queue '${name}'`);
    for (const { exchange } of bindings)
      if (!this.exchanges.has(exchange)) throw amqpError(NOT_FOUND, `NOT_FOUND - no exchange '${exchange}'`);
    if (existing === undefined) this.queues.set(name, { durable, ready: [], consumers: 0, waiters: new Set() });
    for (const { exchange, routingKey } of bindings) {
      const target = this.exchanges.get(exchange) as { bindings: { queue: string; routingKey: string }[] };
      if (!target.bindings.some((b) => b.queue === name && b.routingKey === routingKey)) target.bindings.push({ queue: name, routingKey });
    }
    return this.queueStats(name);
  }

  async queueStats(name: string): Promise<QueueStats> {
    const queue = this.queue(name);
    return { queue: name, messageCount: queue.ready.length, consumerCount: queue.consumers };
  }

  async purge(name: string): Promise<number> {
    const queue = this.queue(name);
    return queue.ready.splice(0).length;
  }

  /** Test helper: removes a queue and its bindings, as queue.delete does. */
  deleteQueue(name: string): void {
    this.queues.delete(name);
    for (const exchange of this.exchanges.values()) exchange.bindings = exchange.bindings.filter((b) => b.queue !== name);
  }

  async close(): Promise<void> {}

  private route(exchange: string, routingKey: string): string[] {
    if (exchange === '') return this.queues.has(routingKey) ? [routingKey] : [];
    const target = this.exchanges.get(exchange);
    if (target === undefined) throw amqpError(NOT_FOUND, `NOT_FOUND - no exchange '${exchange}'`);
    const matches = target.bindings.filter((binding) => {
      if (target.type === 'fanout') return true;
      if (target.type === 'direct') return binding.routingKey === routingKey;
      return topicMatches(binding.routingKey, routingKey);
    });
    return [...new Set(matches.map((binding) => binding.queue))];
  }

  private requeue(queue: MemoryQueue, deliveries: Delivery[]): void {
    queue.ready.unshift(...deliveries.map((delivery) => ({ ...delivery, redelivered: true })));
  }

  private queue(name: string): MemoryQueue {
    const queue = this.queues.get(name);
    if (queue === undefined) throw amqpError(NOT_FOUND, `NOT_FOUND - no queue '${name}'`);
    return queue;
  }

  private waitForMessage(queue: MemoryQueue, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        queue.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      queue.waiters.add(done);
    });
  }
}
