import { ToolError } from '@switchboard/kit';
import type { CommandRule } from './policy.ts';

/** Longest argument and whole argv we pass on: beyond these the kernel refuses anyway (E2BIG). */
export const MAX_ARG_BYTES = 128 * 1024;
export const MAX_ARGV_BYTES = 1024 * 1024;
export const MAX_ARGS = 4096;

/**
 * The first denied flag `token` is, or undefined. A long flag matches exactly, with `=value`, or
 * abbreviated (getopt_long and git accept any unambiguous prefix: `--upload-pa`) unless the prefix is
 * itself in `allowed`. A single-letter
 * flag `-X` matches `-X`, `-Xvalue`, and any single-dash cluster holding X (`-xXf`), since without
 * each program's option table a cluster cannot be told from a stuck value: refusing both is the safe
 * side. Other single-dash flags (`-exec`) match exactly or with `=value`.
 */
export function deniedFlag(token: string, denied: readonly string[], allowed: readonly string[] = []): string | undefined {
  if (!token.startsWith('-') || token === '-' || token === '--') return undefined;
  for (const flag of denied) {
    if (flag.startsWith('--')) {
      if (!token.startsWith('--')) continue;
      const name = token.slice(2).split('=')[0] as string;
      const full = flag.slice(2);
      if (name === full) return flag;
      // An exact option of its own (tar --checkpoint) is not an abbreviation of --checkpoint-action.
      if (name.length >= 2 && full.startsWith(name) && !allowed.includes(`--${name}`)) return flag;
    } else if (flag.length === 2) {
      if (!token.startsWith('--') && token.slice(1).includes(flag[1] as string)) return flag;
    } else if (token === flag || token.startsWith(`${flag}=`)) return flag;
  }
  return undefined;
}

/** Checks argv's shape and the command's rule. Errors name `argv.N`, the element at fault. */
export function checkArgv(argv: readonly string[], name: string, rule: CommandRule | undefined): void {
  let total = 0;
  if (argv.length > MAX_ARGS) throw new ToolError('TOO_LARGE', `argv has ${argv.length} elements; the limit is ${MAX_ARGS}`, 'argv');
  for (const [index, arg] of argv.entries()) {
    if (arg.includes('\0'))
      throw new ToolError('INVALID_ARGUMENT', `argv[${index}] contains a NUL byte, which no program can receive`, `argv.${index}`);
    const bytes = Buffer.byteLength(arg);
    if (bytes > MAX_ARG_BYTES)
      throw new ToolError('TOO_LARGE', `argv[${index}] is ${bytes} bytes; the limit is ${MAX_ARG_BYTES}`, `argv.${index}`);
    total += bytes;
  }
  if (total > MAX_ARGV_BYTES) throw new ToolError('TOO_LARGE', `argv is ${total} bytes; the limit is ${MAX_ARGV_BYTES}`, 'argv');
  if (rule === undefined) return;
  if (rule.refuse !== undefined) throw new ToolError('ACL_DENIED', rule.refuse, 'argv.0');
  const args = argv.slice(1);
  if (rule.maxArgs !== undefined && args.length > rule.maxArgs)
    throw new ToolError('ACL_DENIED', `${name} takes at most ${rule.maxArgs} argument(s) here`, `argv.${rule.maxArgs + 1}`);
  const sub = args[0];
  if (rule.subcommands !== undefined && (sub === undefined || !rule.subcommands.includes(sub))) {
    throw new ToolError(
      'ACL_DENIED',
      `${name} ${sub === undefined ? 'needs a subcommand' : `subcommand '${sub}' is not allowed`}; allowed, as the first argument: ${rule.subcommands.join(', ')}`,
      'argv.1',
    );
  }
  if (sub !== undefined && rule.denySubcommands.includes(sub)) {
    throw new ToolError(
      'ACL_DENIED',
      `${name} ${sub} is not allowed here${rule.allowScripts ? '' : ' (it may run package scripts)'}`,
      'argv.1',
    );
  }
  for (const [index, arg] of args.entries()) {
    const flag = deniedFlag(arg, rule.denyFlags, rule.allowFlags);
    if (flag !== undefined)
      throw new ToolError('ACL_DENIED', `flag ${flag} is not allowed for ${name} (argument '${arg}')`, `argv.${index + 1}`);
  }
}
