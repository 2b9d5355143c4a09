import { z } from 'zod';

/** `topic`, its description carrying the scope so a model can see it. */
export function topicField(scope: string): z.ZodString {
  return z.string().describe(`topic name. ${scope}`);
}

export const PartitionSchema = z.object({
  partition: z.number().int(),
  leader: z.number().int(),
  replicas: z.array(z.number().int()),
  isr: z.array(z.number().int()),
  earliestOffset: z.string().describe('first offset still held (int64, decimal)'),
  latestOffset: z.string().describe('the next offset to be written (the high watermark)'),
  messages: z.number().describe('records held: latestOffset - earliestOffset'),
  committedOffset: z.string().nullable().optional().describe("the group's next offset to read; null: nothing committed yet"),
  lag: z.number().optional().describe('records the group has not consumed yet'),
});
