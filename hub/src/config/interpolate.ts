import { secretFromEnv } from '@switchboard/kit';
import { ConfigError, keyPath } from './errors.ts';

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string value (not in keys). Works on the parsed
 * YAML rather than the text, so a value can never inject YAML structure. `$${` escapes a literal `${`.
 * `${NAME}` also reads the file `NAME_FILE` names when NAME is unset (Docker/Kubernetes secrets).
 */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, file: string, path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    return value
      .split('$${')
      .map((part) =>
        part.replace(reference, (_match, name: string, fallback: string | undefined) => {
          const found = fromEnv(env, name, file, path);
          if (found !== undefined) return found;
          if (fallback !== undefined) return fallback;
          throw new ConfigError(file, keyPath(path), `environment variable ${name} is not set (use \${${name}:-default} for a default)`);
        }),
      )
      .join('${');
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolateEnv(item, env, file, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env, file, [...path, key])]));
  }
  return value;
}

/** NAME, else the contents of NAME_FILE; a failure names the key, the variable and the file, never a value. */
function fromEnv(env: NodeJS.ProcessEnv, name: string, file: string, path: PropertyKey[]): string | undefined {
  try {
    return secretFromEnv(env, name);
  } catch (error) {
    throw new ConfigError(file, keyPath(path), (error as Error).message);
  }
}
