import type { z } from 'zod';

/** A configuration problem, always naming the file and the key so the user can fix it at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'INVALID_CONFIG';
  constructor(
    readonly file: string,
    readonly key: string,
    readonly detail: string,
  ) {
    super(`${file}: ${key === '' ? '' : `${key}: `}${detail}`);
  }
}

/** Dotted key path for a zod issue path, e.g. `upstreams.fs.args[1]`. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The first zod issue as a ConfigError; unknown keys are named individually. */
export function configErrorFromZod(file: string, error: z.ZodError): ConfigError {
  const issue = error.issues[0];
  if (!issue) return new ConfigError(file, '', 'invalid configuration');
  if (issue.code === 'unrecognized_keys') {
    const base = keyPath(issue.path);
    const key = issue.keys[0] ?? '';
    return new ConfigError(file, base === '' ? key : `${base}.${key}`, `unknown key (allowed keys are listed in docs/configuration.md)`);
  }
  return new ConfigError(file, keyPath(issue.path), issue.message);
}
