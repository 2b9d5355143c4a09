import { readFileSync } from 'node:fs';
import { ToolError } from '@switchboard/kit';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** `NAME`, else the trimmed contents of the file `NAME_FILE` names (Docker/Kubernetes secrets). */
function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const direct = env[name];
  if (direct !== undefined && direct !== '') return direct;
  const file = env[`${name}_FILE`];
  if (file === undefined || file === '') return undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    // Names the variable and the file, never the contents.
    throw new ToolError(
      'INVALID_CONFIG',
      `${name}_FILE: cannot read '${file}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      `${name}_FILE`,
    );
  }
}

/**
 * Static credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), each
 * optionally as `*_FILE`. Undefined when neither is set, leaving the SDK's default chain (profiles,
 * instance roles) to find them; half a pair is a configuration error.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials | undefined {
  const accessKeyId = secret(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = secret(env, 'AWS_SECRET_ACCESS_KEY');
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined)
    throw new ToolError('INVALID_CONFIG', 'AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not', 'AWS_ACCESS_KEY_ID');
  if (secretAccessKey === undefined)
    throw new ToolError('INVALID_CONFIG', 'AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not', 'AWS_SECRET_ACCESS_KEY');
  const sessionToken = secret(env, 'AWS_SESSION_TOKEN');
  return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
}
