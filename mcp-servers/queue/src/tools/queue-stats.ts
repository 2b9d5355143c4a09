import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { QueueDeps } from '../deps.ts';
import { onBroker } from '../errors.ts';
import { checkAllowed } from '../guard.ts';
import { queueField, StatsSchema } from './fields.ts';

export function queueStatsTool({ backend, config, scope }: QueueDeps) {
  return defineTool({
    name: 'queue_stats',
    title: 'Queue statistics',
    description: `Ready messages (not counting those delivered and not yet acknowledged) and consumers of a queue. ${scope}`,
    input: z.strictObject({ queue: queueField(scope) }),
    output: StatsSchema,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    async run({ queue }) {
      checkAllowed(config.queues, queue, 'queue', 'queue');
      const stats = await onBroker({ what: `queue '${queue}'`, field: 'queue' }, () => backend.queueStats(queue));
      return { structured: stats, text: `'${queue}': ${stats.messageCount} ready, ${stats.consumerCount} consumers` };
    },
  });
}
