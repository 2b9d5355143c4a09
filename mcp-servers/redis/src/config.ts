import { z } from 'zod';

const MiB = 1024 * 1024;

export const RedisConfigSchema = z
  .object({
    url: z.string().min(1).optional().describe('redis:// or rediss:// URL of the server (may carry a password; never logged)'),
    mock: z.boolean().default(false).describe('in-memory backend instead of a Redis server'),
    prefixes: z
      .array(z.string().min(1, 'a prefix may not be empty'))
      .default([])
      .describe('key prefixes every key must start with; none = the whole keyspace'),
    readOnly: z.boolean().default(false).describe('refuse every write'),
    maxValueBytes: z.number().int().positive().default(MiB).describe('largest value written or read, and largest answer, in bytes'),
    maxItems: z
      .number()
      .int()
      .positive()
      .max(100_000)
      .default(1000)
      .describe('most elements one call answers (lrange, hgetall, scan, mget)'),
    rawCommands: z.array(z.string()).optional().describe('commands the raw `command` tool may run; absent = no such tool'),
  })
  .refine((config) => config.mock || config.url !== undefined, { message: 'give --url (or REDIS_URL) or --mock', path: ['url'] })
  .refine((config) => !(config.mock && config.url !== undefined), { message: '--url and --mock exclude each other', path: ['url'] });
export type RedisConfig = z.infer<typeof RedisConfigSchema>;

/** How the tool descriptions state the scope, so a model does not waste calls on refused keys. */
export function scopeText(config: Pick<RedisConfig, 'prefixes' | 'readOnly'>): string {
  const keys = config.prefixes.length === 0 ? 'Any key may be used' : `Keys must start with one of: ${config.prefixes.join(', ')}`;
  return `${keys}${config.readOnly ? '. This redis server is read-only.' : '.'}`;
}
