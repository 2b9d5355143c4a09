import { z } from 'zod';

const MiB = 1024 * 1024;

export const FsConfigSchema = z.object({
  roots: z.array(z.string().min(1)).min(1, 'at least one --root is required').describe('directories the tools are confined to'),
  readOnly: z.boolean().default(false).describe('refuse every write and delete'),
  mock: z.boolean().default(false).describe('in-memory backend instead of the disk'),
  seed: z.string().optional().describe('mock only: a real directory copied into the first root at start'),
  maxReadBytes: z
    .number()
    .int()
    .positive()
    .default(4 * MiB),
  maxWriteBytes: z
    .number()
    .int()
    .positive()
    .default(4 * MiB),
});
export type FsConfig = z.infer<typeof FsConfigSchema>;

/** How the tool descriptions state the scope, so a model does not waste calls on refused paths. */
export function scopeText(config: Pick<FsConfig, 'roots' | 'readOnly'>): string {
  const roots = config.roots.join(', ');
  return `Roots: ${roots} (relative paths resolve against ${config.roots[0]}; nothing outside the roots is reachable, symlinks included)${config.readOnly ? '. This server is read-only.' : '.'}`;
}
