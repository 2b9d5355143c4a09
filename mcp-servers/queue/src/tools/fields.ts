import { z } from 'zod';

/** `queue`, its description carrying the scope so a model can see it. */
export function queueField(scope: string): z.ZodString {
  return z.string().describe(`queue name. ${scope}`);
}

export const StatsSchema = z.object({ queue: z.string(), messageCount: z.number().int(), consumerCount: z.number().int() });

const MediaType = /^[\w.+-]+\/[\w.+-]+(?:\s*;[\x20-\x7e]*)?$/;

export const contentTypeField = z
  .string()
  .max(256)
  .regex(MediaType, "must be a media type like 'application/json'")
  .optional()
  .describe("media type of the content, e.g. 'application/json'");
