import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import amqp, { type ConfirmChannel } from 'amqplib';
import { type BenchFigure, median } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');
const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * Confirmed publishes per second through the queue MCP server (spawned over stdio, as the hub runs
 * it) vs. amqplib directly on a confirm channel with the same guarantees (persistent, mandatory,
 * each publish waits for its confirm), sequentially and with 16 in flight. Same broker, same queue;
 * blocks alternate so drift on a noisy machine hits both sides alike.
 */
export async function run(messages = Number(process.env.BENCH_CALLS ?? 2000)): Promise<BenchFigure[]> {
  const queue = `sb-bench-${randomBytes(4).toString('hex')}`;
  let connection: amqp.ChannelModel;
  try {
    connection = await amqp.connect(url, { timeout: 15_000 });
  } catch (error) {
    const reason = `RabbitMQ unreachable at ${new URL(url).host} (${(error as Error).message}); set AMQP_URL`;
    return [{ name: 'queue publish (skipped)', ratioOf: 'n/a', ratio: Number.NaN, figures: { skipped: reason } }];
  }
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(queue, { durable: true });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'server', 'queue', '--queue', queue],
      cwd: root,
      env: { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent', AMQP_URL: url },
      stderr: 'ignore',
    }),
  );
  const content = 'x'.repeat(256);
  const direct = () => publishDirect(channel, queue, content);
  const viaServer = async () => {
    const result = await client.callTool({ name: 'publish', arguments: { queue, content } });
    if (result.isError) throw new Error(`publish through the server failed: ${JSON.stringify(result.content)}`);
  };
  try {
    return [
      await compare('sequential', direct, viaServer, messages, 1),
      await compare('16 in flight', direct, viaServer, messages * 2, 16),
    ];
  } finally {
    await client.close().catch(() => {});
    await connection.close().catch(() => {});
    await dropQueue(queue);
  }
}

/** On a fresh connection, so the queue goes even when the benchmark's own connection failed. */
async function dropQueue(queue: string): Promise<void> {
  const connection = await amqp.connect(url, { timeout: 10_000 });
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(queue);
  } finally {
    await connection.close().catch(() => {});
  }
}

function publishDirect(channel: ConfirmChannel, queue: string, content: string): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.publish(
      '',
      queue,
      Buffer.from(content),
      { mandatory: true, persistent: true, messageId: randomUUID(), timestamp: Math.floor(Date.now() / 1000) },
      (error: unknown) => (error ? reject(error) : resolve()),
    );
  });
}

/** Messages per second of `publish` run `total` times with `concurrency` in flight, in alternating blocks. */
async function compare(label: string, direct: () => Promise<void>, viaServer: () => Promise<void>, total: number, concurrency: number) {
  const rate = async (publish: () => Promise<void>, count: number) => {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < count) await publish();
      }),
    );
    return count / ((performance.now() - started) / 1000);
  };
  await rate(direct, 100);
  await rate(viaServer, 100);
  const block = Math.max(concurrency * 10, 100);
  const directRates: number[] = [];
  const serverRates: number[] = [];
  for (let done = 0; done < total; done += block) {
    directRates.push(await rate(direct, block));
    serverRates.push(await rate(viaServer, block));
  }
  const directRate = median(directRates);
  const serverRate = median(serverRates);
  return {
    name: `queue publish, confirmed, ${label} (stdio server vs amqplib)`,
    ratioOf: 'server msg/s / amqplib msg/s',
    ratio: serverRate / directRate,
    figures: {
      messagesPerSide: directRates.length * block,
      amqplibMsgPerSec: directRate,
      serverMsgPerSec: serverRate,
      blocks: directRates.length,
    },
  };
}
