import { ToolError } from '@switchboard/kit';

/** Who may touch what: one database, optionally a collection allowlist, optionally read-only. */
export interface MongoPolicy {
  db: string;
  /** Empty = every collection of `db` except `system.*`. */
  collections: readonly string[];
  readOnly: boolean;
}

/** Server-side JavaScript, and stages that report on other users' sessions or never end. */
export const ALWAYS_DENIED: ReadonlySet<string> = new Set([
  '$where',
  '$function',
  '$accumulator',
  '$code',
  '$currentOp',
  '$listSessions',
  '$listLocalSessions',
  '$changeStream',
]);
/** Stages that write; refused in read-only mode, confined to the allowlist otherwise. */
export const WRITE_STAGES: ReadonlySet<string> = new Set(['$out', '$merge']);
export const UPDATE_OPERATORS: ReadonlySet<string> = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
  '$currentDate',
  '$setOnInsert',
  '$bit',
]);
export const UPDATE_PIPELINE_STAGES: ReadonlySet<string> = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
]);

const MAX_DEPTH = 64;
const MAX_STAGES = 100;

export function checkCollection(name: unknown, policy: MongoPolicy, field = 'collection'): string {
  if (typeof name !== 'string' || name === '') throw new ToolError('INVALID_ARGUMENT', 'a collection name is a non-empty string', field);
  if (name.length > 120 || name.includes('\0') || name.includes('$')) {
    throw new ToolError('INVALID_ARGUMENT', `'${name.slice(0, 60)}' is not a valid collection name`, field);
  }
  if (name.startsWith('system.')) throw new ToolError('ACL_DENIED', `system collections are not reachable ('${name}')`, field);
  if (policy.collections.length > 0 && !policy.collections.includes(name)) {
    throw new ToolError('ACL_DENIED', `collection '${name}' is not allowed (allowed: ${policy.collections.join(', ')})`, field);
  }
  return name;
}

/** A `{ db, coll }` target must be in our database and an allowed collection. */
function checkNamespace(target: unknown, policy: MongoPolicy, field: string): void {
  if (typeof target === 'string') {
    checkCollection(target, policy, field);
    return;
  }
  if (!isPlainObject(target)) throw new ToolError('INVALID_ARGUMENT', 'expected a collection name or { db, coll }', field);
  if (target.db !== undefined && target.db !== policy.db) {
    throw new ToolError('ACL_DENIED', `database '${String(target.db)}' is not allowed (only '${policy.db}')`, `${field}.db`);
  }
  checkCollection(target.coll, policy, `${field}.coll`);
}

/**
 * Walks a filter, projection, sort, update or pipeline (as the caller sent it, before Extended JSON
 * decoding) and refuses denied operators at any depth: `$where` inside `$or`, `$function` inside
 * `$expr`, `$accumulator` inside `$group` inside `$facet`, a `$lookup` into a collection outside the
 * allowlist, `$out`/`$merge` in read-only mode or to another database. The field named is the path.
 */
export function checkOperators(value: unknown, policy: MongoPolicy, field: string, depth = 0): void {
  if (depth > MAX_DEPTH) throw new ToolError('INVALID_ARGUMENT', `nested deeper than ${MAX_DEPTH} levels`, field);
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      checkOperators(item, policy, `${field}.${index}`, depth + 1);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    const path = `${field}.${key}`;
    if (ALWAYS_DENIED.has(key))
      throw new ToolError('ACL_DENIED', `${key} is not allowed: it runs server-side code or reaches beyond this server's scope`, path);
    if (WRITE_STAGES.has(key)) {
      if (policy.readOnly) throw new ToolError('ACL_DENIED', `${key} writes, and this mongo server is read-only`, path);
      if (key === '$out') checkNamespace(inner, policy, path);
      else checkNamespace(isPlainObject(inner) ? inner.into : inner, policy, isPlainObject(inner) ? `${path}.into` : path);
    }
    if ((key === '$lookup' || key === '$graphLookup') && isPlainObject(inner) && inner.from !== undefined) {
      checkNamespace(inner.from, policy, `${path}.from`);
    }
    if (key === '$unionWith')
      checkNamespace(isPlainObject(inner) ? inner.coll : inner, policy, isPlainObject(inner) ? `${path}.coll` : path);
    checkOperators(inner, policy, path, depth + 1);
  }
}

/** An aggregation pipeline: stages of one `$` key each, a write stage only last, operators checked. */
export function checkPipeline(pipeline: readonly unknown[], policy: MongoPolicy, field = 'pipeline'): void {
  if (pipeline.length > MAX_STAGES) throw new ToolError('INVALID_ARGUMENT', `at most ${MAX_STAGES} stages`, field);
  pipeline.forEach((stage, index) => {
    const name = stageName(stage, `${field}.${index}`);
    if (WRITE_STAGES.has(name) && index !== pipeline.length - 1 && !policy.readOnly) {
      throw new ToolError('INVALID_ARGUMENT', `${name} must be the last stage`, `${field}.${index}`);
    }
  });
  checkOperators(pipeline, policy, field);
}

/**
 * An update is operators (`{ $set: … }`) or an update pipeline; a replacement document is refused so
 * a forgotten `$set` cannot wipe a document.
 */
export function checkUpdate(update: unknown, policy: MongoPolicy, field = 'update'): void {
  if (Array.isArray(update)) {
    if (update.length === 0) throw new ToolError('INVALID_ARGUMENT', 'an update pipeline needs at least one stage', field);
    update.forEach((stage, index) => {
      const name = stageName(stage, `${field}.${index}`);
      if (!UPDATE_PIPELINE_STAGES.has(name)) {
        throw new ToolError(
          'INVALID_ARGUMENT',
          `${name} cannot be used in an update pipeline (use ${[...UPDATE_PIPELINE_STAGES].join(', ')})`,
          `${field}.${index}`,
        );
      }
    });
  } else if (isPlainObject(update)) {
    const keys = Object.keys(update);
    if (keys.length === 0) throw new ToolError('INVALID_ARGUMENT', 'the update is empty; use operators such as $set', field);
    for (const key of keys) {
      if (!UPDATE_OPERATORS.has(key)) {
        const hint = key.startsWith('$')
          ? `unknown update operator ${key}`
          : `'${key}' is not an update operator; wrap fields in $set (replacing whole documents is not supported)`;
        throw new ToolError('INVALID_ARGUMENT', hint, `${field}.${key}`);
      }
    }
  } else throw new ToolError('INVALID_ARGUMENT', 'an update is an object of operators or an array of stages', field);
  checkOperators(update, policy, field);
}

/** A document to store, after Extended JSON decoding: no `$`-prefixed or NUL-containing field names, at any depth. */
export function checkStoredDocument(document: unknown, field: string, depth = 0): void {
  if (depth > MAX_DEPTH) throw new ToolError('INVALID_ARGUMENT', `nested deeper than ${MAX_DEPTH} levels`, field);
  if (Array.isArray(document)) {
    document.forEach((item, index) => {
      checkStoredDocument(item, `${field}.${index}`, depth + 1);
    });
    return;
  }
  if (!isPlainObject(document)) return;
  for (const [key, value] of Object.entries(document)) {
    if (key.startsWith('$'))
      throw new ToolError('INVALID_ARGUMENT', `field name '${key}' starts with $, which marks operators`, `${field}.${key}`);
    if (key.includes('\0')) throw new ToolError('INVALID_ARGUMENT', 'field names may not contain NUL', field);
    checkStoredDocument(value, `${field}.${key}`, depth + 1);
  }
}

/** The UTF-8 size of a value as JSON; TOO_LARGE past the limit. */
export function checkJsonBytes(value: unknown, maxBytes: number, field: string): number {
  const size = jsonBytes(value);
  if (size > maxBytes) throw new ToolError('TOO_LARGE', `${field} is ${size} bytes as JSON; the limit is ${maxBytes}`, field);
  return size;
}

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

function stageName(stage: unknown, field: string): string {
  const keys = isPlainObject(stage) ? Object.keys(stage) : [];
  if (keys.length !== 1 || !(keys[0] as string).startsWith('$')) {
    throw new ToolError('INVALID_ARGUMENT', 'a stage is an object with exactly one $-operator key, e.g. { "$match": { … } }', field);
  }
  return keys[0] as string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
