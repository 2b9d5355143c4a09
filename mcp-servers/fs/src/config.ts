import { z } from 'zod';

const MiB = 1024 * 1024;

/**
 * Denied in every root unless `--no-default-deny`: version-control internals (writing `.git/config`
 * or `.git/hooks` is code execution the next time someone runs git), key material and credential
 * files. A glob without a slash matches a name at any depth; `X/**` also denies `X` itself.
 */
export const DEFAULT_DENY = [
  '**/.git/**',
  '**/.ssh/**',
  '.env',
  '.env.*',
  '*.pem',
  '*.key',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.npmrc',
  '.netrc',
  '.pgpass',
] as const;

export const RootSchema = z.strictObject({
  path: z.string().min(1).describe('the directory'),
  readOnly: z.boolean().default(false).describe('refuse writes, moves and deletes under this root'),
  deny: z.array(z.string().min(1)).default([]).describe('globs (relative to the root) that no tool may reach, in addition to `deny`'),
});
export type Root = z.infer<typeof RootSchema>;

const rootEntry = z.union([
  z
    .string()
    .min(1)
    .transform((path): Root => ({ path, readOnly: false, deny: [] })),
  RootSchema,
]);

export const FsConfigSchema = z.object({
  roots: z.array(rootEntry).min(1, 'at least one --root is required').describe('directories the tools are confined to'),
  readOnly: z.boolean().default(false).describe('refuse every write, move and delete in every root'),
  deny: z
    .array(z.string().min(1))
    .default([...DEFAULT_DENY])
    .describe('globs denied in every root'),
  protect: z
    .array(z.string().min(1))
    .default([])
    .describe('absolute paths (files or directories) no tool may reach: the security configuration'),
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
  maxReadManyBytes: z
    .number()
    .int()
    .positive()
    .default(16 * MiB)
    .describe('read_many: total bytes over all files of one call'),
});
export type FsConfig = z.infer<typeof FsConfigSchema>;
export type FsConfigInput = z.input<typeof FsConfigSchema>;

/** How the tool descriptions state the scope, so a model does not waste calls on refused paths. */
export function scopeText(config: Pick<FsConfig, 'roots' | 'readOnly' | 'deny'>): string {
  const roots = config.roots
    .map((root) => {
      const notes = [
        ...(root.readOnly && !config.readOnly ? ['read-only'] : []),
        ...(root.deny.length > 0 ? [`also denies ${root.deny.join(' ')}`] : []),
      ];
      return notes.length > 0 ? `${root.path} (${notes.join('; ')})` : root.path;
    })
    .join(', ');
  const deny = config.deny.length > 0 ? `; denied in every root: ${config.deny.join(' ')}` : '';
  return `Roots: ${roots} (relative paths resolve against ${config.roots[0]?.path}; nothing outside the roots is reachable, symlinks included${deny})${config.readOnly ? '. This server is read-only.' : '.'}`;
}
