import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { KafkaDeps } from '../deps.ts';
import { onCluster } from '../errors.ts';
import { checkTopic } from '../guard.ts';
import { topicField } from './fields.ts';

export function createTopicTool({ backend, config, scope }: KafkaDeps) {
  return defineTool({
    name: 'create_topic',
    title: 'Create a topic',
    description: `Creates a topic with the given partitions (an existing one is ALREADY_EXISTS, never changed). ${config.allowCreateTopics ? '' : 'Disabled on this server (start it with --allow-create-topics). '}${scope}`,
    input: z.strictObject({
      topic: topicField(scope),
      partitions: z.number().int().min(1).max(1000).default(1).describe('number of partitions'),
      replicationFactor: z.number().int().min(-1).max(16).default(-1).describe("copies of each partition; -1: the cluster's default"),
    }),
    output: z.object({ topic: z.string(), partitions: z.number().int(), replicationFactor: z.number().int(), created: z.literal(true) }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run({ topic, partitions, replicationFactor }) {
      if (!config.allowCreateTopics)
        throw new ToolError('ACL_DENIED', 'create_topic is disabled on this server; start it with --allow-create-topics to enable it');
      if (replicationFactor === 0)
        throw new ToolError('INVALID_ARGUMENT', 'replicationFactor is at least 1, or -1 for the default', 'replicationFactor');
      checkTopic(config, topic, ['produce', 'consume']);
      await onCluster({ what: `topic '${topic}'`, field: 'topic' }, () => backend.createTopic(topic, { partitions, replicationFactor }));
      return {
        structured: { topic, partitions, replicationFactor, created: true as const },
        text: `created topic '${topic}' with ${partitions} partition(s)`,
      };
    },
  });
}
