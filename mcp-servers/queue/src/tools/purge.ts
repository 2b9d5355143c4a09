import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { QueueDeps } from '../deps.ts';
import { onBroker } from '../errors.ts';
import { checkAllowed } from '../guard.ts';
import { queueField } from './fields.ts';

export function purgeTool({ backend, config, scope }: QueueDeps) {
  return defineTool({
    name: 'purge',
    title: 'Purge a queue',
    description: `Deletes every ready message of a queue (messages being consumed are not touched) and answers how many. ${config.allowPurge ? '' : 'Disabled on this server (start it with --allow-purge). '}${scope}`,
    input: z.strictObject({ queue: queueField(scope) }),
    output: z.object({ queue: z.string(), purged: z.number().int() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async run({ queue }) {
      if (!config.allowPurge)
        throw new ToolError('ACL_DENIED', 'purge is disabled on this server; start it with --allow-purge to enable it');
      checkAllowed(config.queues, queue, 'queue', 'queue');
      const purged = await onBroker({ what: `queue '${queue}'`, field: 'queue' }, () => backend.purge(queue));
      return { structured: { queue, purged }, text: `purged ${purged} message(s) from '${queue}'` };
    },
  });
}
