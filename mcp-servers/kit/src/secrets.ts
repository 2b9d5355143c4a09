import { readFileSync } from 'node:fs';
import { ToolError } from './errors.ts';

/**
 * A secret from the environment: `NAME`, else the contents of the file `NAME_FILE` names (Docker and
 * Kubernetes mount secrets as files; a value in a file stays out of `ps`, `docker inspect` and the
 * process environment of children). One trailing newline is dropped, as `echo secret > file` adds it.
 * Setting both is refused: which one wins would be a guess. Errors name the variable and the file,
 * never the contents. Undefined when neither is set.
 */
export function secretFromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  const hasDirect = direct !== undefined && direct !== '';
  const hasFile = file !== undefined && file !== '';
  if (hasDirect && hasFile)
    throw new ToolError('INVALID_CONFIG', `both ${name} and ${name}_FILE are set; set only one of them`, `${name}_FILE`);
  if (hasDirect) return direct;
  if (!hasFile) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ToolError(
      'INVALID_CONFIG',
      `${name}_FILE: cannot read '${file}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      `${name}_FILE`,
    );
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') throw new ToolError('INVALID_CONFIG', `${name}_FILE: the file '${file}' is empty`, `${name}_FILE`);
  return value;
}
