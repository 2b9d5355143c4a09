import { Kafka, logLevel } from 'kafkajs';

/** A real cluster for the contract suite: only when KAFKA_BROKERS names one. */
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS?.split(',')
  .map((broker) => broker.trim())
  .filter(Boolean);

function admin(brokers: string[]) {
  return new Kafka({ clientId: 'switchboard-kafka-tests', brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
}

/** Null when the cluster answers, else why not (printed by the contract harness when it skips). */
export async function brokerUnavailable(brokers: string[]): Promise<string | null> {
  const client = admin(brokers);
  try {
    await client.connect();
    await client.listTopics();
    return null;
  } catch (error) {
    return `Kafka at ${brokers.join(',')} is unreachable (${(error as Error).message}); check KAFKA_BROKERS`;
  } finally {
    await client.disconnect().catch(() => {});
  }
}

export async function createTopics(brokers: string[], topics: { topic: string; partitions: number }[]): Promise<void> {
  const client = admin(brokers);
  try {
    await client.connect();
    await client.createTopics({
      waitForLeaders: true,
      topics: topics.map(({ topic, partitions }) => ({ topic, numPartitions: partitions })),
    });
  } finally {
    await client.disconnect().catch(() => {});
  }
}

/** Deletes what a test run created, whatever state it is in. */
export async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  if (topics.length === 0) return;
  const client = admin(brokers);
  try {
    await client.connect();
    const existing = new Set(await client.listTopics());
    const doomed = topics.filter((topic) => existing.has(topic));
    if (doomed.length > 0) await client.deleteTopics({ topics: doomed });
  } finally {
    await client.disconnect().catch(() => {});
  }
}
