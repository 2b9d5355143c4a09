import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkKey, confinePattern, defaultPattern } from '../guard.ts';
import { redisGlobMatch } from '../redis-glob.ts';
import { decodeScanCursor, encodeScanCursor } from '../scan-cursor.ts';
import { readAnnotations } from './fields.ts';

/** SCAN round trips per call: a sparse pattern over a huge keyspace answers early with a cursor instead of running on. */
const MAX_ROUNDS = 50;

export function scanTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'scan',
    title: 'Find keys by pattern',
    description: `Lists keys matching a glob pattern (\`*\`, \`?\`, \`[abc]\`, \`\\\` escapes) without blocking Redis: at most \`limit\` keys per call; pass the answered \`cursor\` back until \`done\`. The pattern must start with an allowed prefix. ${scope}`,
    input: z.strictObject({
      pattern: z.string().optional().describe(`glob over key names; defaults to everything under the only prefix. ${scope}`),
      cursor: z.string().default('0').describe("'0' to start; then the cursor of the previous answer"),
      limit: z
        .number()
        .int()
        .min(1)
        .max(config.maxItems)
        .default(Math.min(100, config.maxItems))
        .describe(`most keys per call, up to ${config.maxItems}`),
    }),
    output: z.object({ keys: z.array(z.string()), cursor: z.string(), done: z.boolean() }),
    annotations: readAnnotations,
    async run(args) {
      const pattern = confinePattern(args.pattern ?? defaultPattern(config.prefixes), config.prefixes);
      const start = decodeScanCursor(args.cursor);
      // Keys carried in a cursor are re-checked: the token comes from the caller.
      const found = new Set(start.pending.filter((key) => redisGlobMatch(pattern, key) && checkKey(key, config.prefixes, 'cursor')));
      let cursor = start.cursor;
      let exhausted = cursor === '0' && start.pending.length > 0;
      for (let round = 0; !exhausted && found.size < args.limit && round < MAX_ROUNDS; round++) {
        const batch = await onRedis(() => backend.scan(cursor, pattern, Math.max(10, args.limit - found.size)), 'pattern');
        for (const key of batch.keys) found.add(key);
        cursor = batch.cursor;
        exhausted = cursor === '0';
      }
      const all = [...found];
      const keys = all.slice(0, args.limit);
      const pending = all.slice(args.limit);
      const done = exhausted && pending.length === 0;
      const next = done ? '0' : encodeScanCursor({ cursor, pending });
      const lines = [...keys];
      if (!done) lines.push(`… more may match: call scan again with cursor ${next}`);
      return { structured: { keys, cursor: next, done }, text: lines.join('\n') || 'no keys' };
    },
  });
}
