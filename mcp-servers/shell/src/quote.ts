/**
 * One argument for a POSIX shell: single quotes, each embedded ' written as '\''. Inside single
 * quotes nothing is special (no $, `, \, glob or newline meaning), so the remote shell hands the
 * exact bytes to the program as one argv element. NUL cannot be sent at all: refused earlier.
 */
export function shQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('NUL cannot be quoted');
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The remote command line: confined cwd, an environment built from nothing, optional group timeout. */
export function remoteCommand(options: {
  cwd: string;
  file: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  /** Absolute path of GNU timeout on the host: it runs the command in its own process group and kills the group. */
  timeout?: { path: string; seconds: number };
}): string {
  const env = Object.entries(options.env).map(([name, value]) => shQuote(`${name}=${value}`));
  const timeout = options.timeout ? [shQuote(options.timeout.path), '-s', 'KILL', String(options.timeout.seconds)] : [];
  return [
    'cd',
    '--',
    shQuote(options.cwd),
    '&&',
    'exec',
    '/usr/bin/env',
    '-i',
    ...env,
    ...timeout,
    shQuote(options.file),
    ...options.args.map(shQuote),
  ].join(' ');
}
