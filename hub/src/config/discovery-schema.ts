import { z } from 'zod';

/**
 * `discovery:` in switchboard.yaml — how `hub__find_tools` searches the catalogue. The catalogue is
 * indexed into a collection of the rag upstream (the hub reaches servers only over MCP) and searched
 * there with its hybrid (vector + BM25) search; without a connected rag upstream the hub falls back to
 * a plain name/description match and says so in the result.
 */
export const DiscoverySchema = z
  .strictObject({
    upstream: z
      .string()
      .min(1)
      .default('rag')
      .describe('the rag upstream that indexes and searches the catalogue (its tools `index`, `search`, `delete`)'),
    collection: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a rag collection name: lowercase letters, digits, _ . -')
      .default('hub-tools')
      .describe('where the catalogue is indexed; it holds every tool description, so keep it out of callers’ rag scope'),
    fetchK: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(100)
      .describe('results asked of the rag search before the caller’s permissions narrow them (at most the server’s --max-k)'),
  })
  .prefault({});

export type DiscoveryConfig = z.infer<typeof DiscoverySchema>;
