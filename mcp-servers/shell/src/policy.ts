import { readFileSync } from 'node:fs';
import { ToolError } from '@switchboard/kit';
import { parse } from 'yaml';
import { z } from 'zod';
import { FORBIDDEN_ENV, isForbiddenEnv } from './env.ts';

const commandName = z
  .string()
  .regex(/^[A-Za-z0-9._+-]+$/, 'a command name: letters, digits, . _ + - (no slash; it is looked up on PATH at start)');
const absolutePath = z.string().regex(/^\//, 'an absolute path');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');
const safeEnvName = envName.refine((name) => !isForbiddenEnv(name), {
  message: `may not be passed or set by callers: it changes what programs load or run (${FORBIDDEN_ENV.slice(0, 6).join(', ')}, …)`,
});

/** Argument rules for one command, matched by the command's name. */
export const CommandRuleSchema = z.strictObject({
  subcommands: z.array(z.string().min(1)).optional().describe('when set, argv[1] must be one of these'),
  denySubcommands: z.array(z.string().min(1)).default([]).describe('argv[1] may not be one of these'),
  denyFlags: z
    .array(z.string().regex(/^-/, 'a flag, starting with -'))
    .default([])
    .describe('refused anywhere in argv: exact, with =value, abbreviated (--upload-pa), or (single letter) inside a cluster like -xvf'),
  allowFlags: z
    .array(z.string().regex(/^--/, 'a long flag, starting with --'))
    .default([])
    .describe('long flags that are options in their own right though they abbreviate a denied one (tar --checkpoint)'),
  maxArgs: z.number().int().min(0).optional().describe('at most this many arguments after the command'),
  allowScripts: z.boolean().default(false).describe('npm/npx: allow the subcommands that run package scripts'),
  refuse: z.string().optional().describe('refuse the command altogether, with this reason'),
});
export type CommandRule = z.infer<typeof CommandRuleSchema>;

export const HostSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1),
  keyFile: absolutePath.describe('private key file (OpenSSH or PEM)'),
  passphraseEnv: envName.optional().describe('env var of the server holding the key passphrase'),
  hostKey: z
    .string()
    .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'an OpenSSH SHA256 fingerprint, e.g. SHA256:abc… (ssh-keygen -lf key.pub)')
    .describe('pinned host key fingerprint; a mismatch refuses the connection'),
  roots: z.array(absolutePath).min(1).describe('remote directories cwd, path arguments and copies are confined to'),
  allow: z.array(commandName).optional().describe('executables allowed on this host; defaults to the server-wide list'),
  protect: z.array(absolutePath).default([]),
  connectTimeoutMs: z.number().int().positive().default(10_000),
});
export type HostConfig = z.infer<typeof HostSchema>;

export const PolicySchema = z.strictObject({
  allow: z
    .array(z.union([commandName, absolutePath]))
    .default([])
    .describe('executables, merged with --allow'),
  commands: z
    .record(commandName, CommandRuleSchema)
    .default({})
    .describe('argument rules by command name; replace the built-in rule of that name'),
  env: z
    .strictObject({
      pass: z.array(safeEnvName).default([]).describe("names inherited from the server's own environment when set"),
      set: z.record(envName, z.string()).default({}).describe('fixed values (e.g. PATH, LANG, GIT_AUTHOR_NAME)'),
      callerMay: z.array(safeEnvName).default([]).describe('names a caller may set in a call'),
    })
    .default({ pass: [], set: {}, callerMay: [] }),
  limits: z
    .strictObject({
      timeoutMs: z.number().int().positive().optional(),
      maxTimeoutMs: z.number().int().positive().optional(),
      maxOutputBytes: z.number().int().positive().optional(),
      maxStdinBytes: z.number().int().positive().optional(),
      maxCopyBytes: z.number().int().positive().optional(),
      concurrency: z.number().int().positive().max(64).optional(),
    })
    .default({}),
  protect: z.array(absolutePath).default([]).describe('paths no cwd or argument may reach: the security configuration'),
  scripts: z.strictObject({ interpreter: z.union([commandName, absolutePath]), dir: absolutePath }).optional(),
  hosts: z.record(z.string().regex(/^[A-Za-z0-9._-]+$/, 'a host name: letters, digits, . _ -'), HostSchema).default({}),
});
export type Policy = z.infer<typeof PolicySchema>;

/** Parses and validates a policy document; errors name the file and the key at fault. */
export function parsePolicy(source: string, file = 'policy'): Policy {
  let document: unknown;
  try {
    document = parse(source) ?? {};
  } catch (error) {
    throw new ToolError('INVALID_CONFIG', `${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`, 'policy');
  }
  const parsed = PolicySchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') ?? '';
    const detail = issue?.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : issue?.message;
    throw new ToolError('INVALID_CONFIG', `${file}: ${key === '' ? '' : `${key}: `}${detail}`, key || 'policy');
  }
  return parsed.data;
}

export function loadPolicy(file: string): Policy {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new ToolError('INVALID_CONFIG', `--policy '${file}' cannot be read`, 'policy');
  }
  return parsePolicy(source, file);
}
