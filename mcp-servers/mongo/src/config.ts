import { z } from 'zod';

const MiB = 1024 * 1024;

export const MongoConfigSchema = z
  .object({
    url: z.string().min(1).optional().describe('mongodb:// or mongodb+srv:// URL (may carry a password; never logged)'),
    mock: z.boolean().default(false).describe('in-memory backend (mingo) instead of a MongoDB server'),
    db: z
      .string()
      .regex(/^[^/\\. "$*<>:|?\0]{1,63}$/, 'not a valid database name')
      .default('switchboard')
      .describe('the one database this server reaches'),
    collections: z.array(z.string().min(1)).default([]).describe('collections the tools may reach; none = all but system.*'),
    readOnly: z.boolean().default(false).describe('refuse inserts, updates, deletes, $out and $merge'),
    maxDocuments: z.number().int().positive().max(100_000).default(1000).describe('most documents one call answers or inserts'),
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(4 * MiB)
      .describe('largest answer, and largest write payload, as JSON bytes'),
    timeoutMs: z.number().int().positive().default(30_000).describe('server-side time limit per operation (maxTimeMS)'),
  })
  .refine((config) => config.mock || config.url !== undefined, { message: 'give --url (or MONGODB_URL) or --mock', path: ['url'] })
  .refine((config) => !(config.mock && config.url !== undefined), { message: '--url and --mock exclude each other', path: ['url'] });
export type MongoConfig = z.infer<typeof MongoConfigSchema>;

/** How the tool descriptions state the scope, so a model does not waste calls on refused collections. */
export function scopeText(config: Pick<MongoConfig, 'db' | 'collections' | 'readOnly'>): string {
  const where =
    config.collections.length === 0
      ? `Database '${config.db}', any collection but system.*`
      : `Database '${config.db}', collections: ${config.collections.join(', ')} (others are refused)`;
  return `${where}${config.readOnly ? '. This mongo server is read-only.' : '.'}`;
}
