import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig } from '../config/index.ts';

/** What the config stores for a key: its SHA-256 in hex. Keys are random (256 bits), so no slow KDF is needed. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new key: `sb_` and 43 base64url characters (32 random bytes). */
export function generateApiKey(): string {
  return `sb_${randomBytes(32).toString('base64url')}`;
}

/** Finds the configured key a presented token is, comparing hashes in constant time against every key. */
export function matchApiKey(keys: readonly ApiKeyConfig[], token: string): ApiKeyConfig | undefined {
  const presented = Buffer.from(hashApiKey(token), 'hex');
  let found: ApiKeyConfig | undefined;
  for (const key of keys) {
    // No early exit: the time taken does not say which key, or whether any, matched.
    if (timingSafeEqual(presented, Buffer.from(key.sha256, 'hex')) && found === undefined) found = key;
  }
  return found;
}
