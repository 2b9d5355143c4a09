import { ToolError } from '@switchboard/kit';

/** One allowlisted bucket and the key prefixes allowed in it (none: the whole bucket). */
export interface BucketRule {
  name: string;
  prefixes: string[];
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_KEY_BYTES = 1024;
// C0 controls, DEL and C1 controls: invisible in logs and consoles, and some proxies act on them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * An object key, checked lexically (no I/O). Refused: empty or over 1024 bytes, a leading `/`,
 * backslashes, control characters, and `.` / `..` / empty segments, which path-normalising proxies
 * and SDKs may collapse into a different key than the one the ACL checked. A trailing `/` (a
 * "folder" marker) is allowed.
 */
export function checkKey(key: string, field = 'key'): void {
  if (key === '') throw new ToolError('INVALID_ARGUMENT', 'key is empty', field);
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new ToolError('INVALID_ARGUMENT', `key is over ${MAX_KEY_BYTES} bytes`, field);
  checkKeyText(key, field);
  if (key.startsWith('/'))
    throw new ToolError('INVALID_ARGUMENT', `key '${key}' starts with '/'; keys are relative, e.g. 'docs/a.txt'`, field);
  const segments = key.split('/');
  if (segments.at(-1) === '') segments.pop();
  for (const segment of segments) {
    if (segment === '..' || segment === '.') throw new ToolError('INVALID_ARGUMENT', `key '${key}' has a '${segment}' segment`, field);
    if (segment === '') throw new ToolError('INVALID_ARGUMENT', `key '${key}' has an empty segment ('//')`, field);
  }
}

/** Characters no key or prefix may hold. */
function checkKeyText(text: string, field: string): void {
  if (CONTROL.test(text)) throw new ToolError('INVALID_ARGUMENT', `${field} contains a control character`, field);
  if (text.includes('\\')) throw new ToolError('INVALID_ARGUMENT', `${field} '${text}' contains a backslash; use '/'`, field);
}

/** A listing prefix: may be empty or end mid-segment, but holds no `..` / `.` segment or odd character. */
export function checkPrefix(prefix: string, field = 'prefix'): void {
  if (prefix === '') return;
  checkKeyText(prefix, field);
  if (prefix.startsWith('/')) throw new ToolError('INVALID_ARGUMENT', `prefix '${prefix}' starts with '/'`, field);
  if (prefix.split('/').some((segment) => segment === '..' || segment === '.'))
    throw new ToolError('INVALID_ARGUMENT', `prefix '${prefix}' has a '.' or '..' segment`, field);
}

/** The rule for an allowlisted bucket; anything else is ACL_DENIED, naming what is allowed. */
export function bucketRule(rules: readonly BucketRule[], bucket: string, field = 'bucket'): BucketRule {
  const rule = rules.find((candidate) => candidate.name === bucket);
  if (rule === undefined)
    throw new ToolError('ACL_DENIED', `bucket '${bucket}' is not allowed (allowed: ${rules.map((r) => r.name).join(', ')})`, field);
  return rule;
}

/** True when the key sits under one of the rule's prefixes (or the rule allows the whole bucket). */
export function keyInScope(rule: BucketRule, key: string): boolean {
  return rule.prefixes.length === 0 || rule.prefixes.some((prefix) => key.startsWith(prefix));
}

/** Bucket allowed, key well-formed and under an allowed prefix: the check every object tool makes. */
export function checkObject(rules: readonly BucketRule[], bucket: string, key: string, fields = { bucket: 'bucket', key: 'key' }): void {
  const rule = bucketRule(rules, bucket, fields.bucket);
  checkKey(key, fields.key);
  if (!keyInScope(rule, key))
    throw new ToolError(
      'ACL_DENIED',
      `key '${key}' is outside the allowed prefixes of '${bucket}' (${rule.prefixes.join(', ')})`,
      fields.key,
    );
}

/**
 * The prefix a listing may use. No prefix under a one-prefix rule lists that prefix; otherwise the
 * prefix must sit under an allowed one, so a listing never shows keys outside the scope.
 */
export function listingPrefix(rule: BucketRule, prefix: string | undefined, field = 'prefix'): string {
  const requested = prefix ?? '';
  checkPrefix(requested, field);
  if (rule.prefixes.length === 0 || rule.prefixes.some((allowed) => requested.startsWith(allowed))) return requested;
  if (requested === '' && rule.prefixes.length === 1) return rule.prefixes[0] as string;
  throw new ToolError(
    'ACL_DENIED',
    `prefix '${requested}' reaches outside the allowed prefixes of '${rule.name}'; start it with one of: ${rule.prefixes.join(', ')}`,
    field,
  );
}

/**
 * `--bucket name` or `--bucket name:prefix/`. A prefix always ends in `/`, so `reports` cannot also
 * admit `reports-private/…`. Several specs for one bucket merge; one without a prefix opens it whole.
 */
export function parseBucketSpecs(specs: readonly string[]): BucketRule[] {
  const rules = new Map<string, Set<string> | 'all'>();
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const name = colon === -1 ? spec : spec.slice(0, colon);
    if (!BUCKET_NAME.test(name))
      throw new ToolError('INVALID_CONFIG', `bucket '${name}' is not a valid bucket name (3-63 of a-z 0-9 . -)`, 'buckets');
    const rawPrefix = colon === -1 ? '' : spec.slice(colon + 1);
    const current = rules.get(name) ?? new Set<string>();
    if (rawPrefix === '' || current === 'all') {
      rules.set(name, 'all');
      continue;
    }
    const prefix = rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
    try {
      checkKey(prefix, 'buckets');
    } catch (error) {
      throw new ToolError('INVALID_CONFIG', `--bucket ${spec}: ${(error as Error).message}`, 'buckets');
    }
    current.add(prefix);
    rules.set(name, current);
  }
  return [...rules].map(([name, prefixes]) => ({ name, prefixes: prefixes === 'all' ? [] : [...prefixes].sort() }));
}
