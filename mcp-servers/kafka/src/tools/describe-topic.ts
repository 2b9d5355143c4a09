import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { KafkaDeps } from '../deps.ts';
import { onCluster } from '../errors.ts';
import { checkGroup, checkTopic } from '../guard.ts';
import { PartitionSchema, topicField } from './fields.ts';

export function describeTopicTool({ backend, config, scope }: KafkaDeps) {
  return defineTool({
    name: 'describe_topic',
    title: 'Describe a topic',
    description: `Partitions of a topic with leaders, replicas and offsets (earliest, latest, record count); with \`group\`, that group's committed offsets and lag per partition. Reads nothing and commits nothing. ${scope}`,
    input: z.strictObject({
      topic: topicField(scope),
      group: z.string().optional().describe('a consumer group: adds its committed offset and lag per partition'),
    }),
    output: z.object({
      topic: z.string(),
      partitions: z.array(PartitionSchema),
      messages: z.number().describe('records held, all partitions'),
      group: z.string().optional(),
      lag: z.number().optional().describe('records the group has not consumed yet, all partitions'),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    async run({ topic, group }) {
      checkTopic(config, topic, ['produce', 'consume']);
      if (group !== undefined) checkGroup(config.groups, group);
      const subject = { what: `topic '${topic}'`, field: 'topic' };
      const [infos, committed] = await onCluster(subject, () =>
        Promise.all([backend.describeTopic(topic), group === undefined ? undefined : backend.committedOffsets(topic, group)]),
      );
      const partitions = infos.map(({ low, high, ...info }): z.infer<typeof PartitionSchema> => {
        const row = { ...info, earliestOffset: low, latestOffset: high, messages: Number(BigInt(high) - BigInt(low)) };
        if (committed === undefined) return row;
        const at = committed.get(info.partition) ?? null;
        // A group that never committed starts at the earliest offset, as `consume` does.
        const from = at === null || BigInt(at) < BigInt(low) ? BigInt(low) : BigInt(at);
        return { ...row, committedOffset: at, lag: Math.max(0, Number(BigInt(high) - from)) };
      });
      const messages = partitions.reduce((sum, p) => sum + p.messages, 0);
      const lag = committed === undefined ? undefined : partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0);
      const text = `topic '${topic}': ${partitions.length} partition(s), ${messages} record(s)${group === undefined ? '' : `; group '${group}' lag ${lag}`}`;
      return { structured: { topic, partitions, messages, ...(group === undefined ? {} : { group, lag }) }, text };
    },
  });
}
