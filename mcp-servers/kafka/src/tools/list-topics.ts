import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { KafkaDeps } from '../deps.ts';
import { onCluster } from '../errors.ts';
import { matchesAllowlist } from '../guard.ts';

export function listTopicsTool({ backend, config, scope }: KafkaDeps) {
  const canProduce = (topic: string) => matchesAllowlist(config.produceTopics, topic);
  const canConsume = (topic: string) => matchesAllowlist(config.consumeTopics, topic);
  return defineTool({
    name: 'list_topics',
    title: 'List topics',
    description: `Lists the topics this server may reach (others, and the cluster's internal '__' topics, are left out), with partition counts and what each allows. ${scope}`,
    input: z.strictObject({}),
    output: z.object({
      topics: z.array(z.object({ topic: z.string(), partitions: z.number().int(), produce: z.boolean(), consume: z.boolean() })),
      count: z.number().int(),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    async run() {
      const found = await onCluster({ what: 'the topic list' }, () =>
        backend.listTopics((topic) => canProduce(topic) || canConsume(topic)),
      );
      const topics = found
        .filter(({ topic }) => !topic.startsWith('__'))
        .map(({ topic, partitions }) => ({ topic, partitions, produce: canProduce(topic), consume: canConsume(topic) }));
      const lines = topics.map(
        (t) => `${t.topic} (${t.partitions} partition(s); ${[t.produce && 'produce', t.consume && 'consume'].filter(Boolean).join(', ')})`,
      );
      return { structured: { topics, count: topics.length }, text: topics.length === 0 ? 'no reachable topics' : lines.join('\n') };
    },
  });
}
