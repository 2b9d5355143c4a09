import { parseArgs } from 'node:util';
import { generateApiKey, hashApiKey } from '@switchboard/hub';
import { UsageError } from './usage.ts';

/**
 * `switchboard apikey [--id ID] [--role ROLE]`: makes a new API key, prints it once (it is not
 * stored anywhere) and the `auth.apiKeys` entry holding only its SHA-256.
 */
export async function apikey(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { id: { type: 'string', default: 'me' }, role: { type: 'string', default: 'admin' } },
    strict: true,
  });
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(values.id)) throw new UsageError('--id: letters, digits, ., _ and -, at most 64');
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(values.role)) throw new UsageError('--role: a role name (lowercase letters, digits, dashes)');
  const key = generateApiKey();
  process.stdout.write(
    `key (shown once; give it to the client as "Authorization: Bearer <key>"):\n  ${key}\n\n` +
      `add to switchboard.yaml under auth.apiKeys:\n  - { id: ${values.id}, role: ${values.role}, sha256: ${hashApiKey(key)} }\n`,
  );
}
