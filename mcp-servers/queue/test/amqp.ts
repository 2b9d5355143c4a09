import amqp from 'amqplib';

/** The broker the real tests use: AMQP_URL, or RabbitMQ on loopback with the default guest user. */
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Null when RabbitMQ answers, else why not (printed by the contract harness when it skips). */
export async function amqpUnavailable(url = AMQP_URL): Promise<string | null> {
  try {
    // Generous: on a loaded 2-core machine the AMQP handshake alone can take seconds.
    const connection = await amqp.connect(url, { timeout: 15_000 });
    await connection.close();
    return null;
  } catch (error) {
    return `RabbitMQ at ${new URL(url).host} is unreachable (${(error as Error).message}); set AMQP_URL`;
  }
}

/** Deletes queues left by a test run, whatever state they are in. */
export async function deleteQueues(names: Iterable<string>, url = AMQP_URL): Promise<void> {
  const connection = await amqp.connect(url, { timeout: 15_000 });
  try {
    for (const name of names) {
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      await channel.deleteQueue(name).catch(() => {});
      await channel.close().catch(() => {});
    }
  } finally {
    await connection.close();
  }
}
