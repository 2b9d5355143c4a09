import { ToolError } from '@switchboard/kit';
import { checkKey, checkValue } from './guard.ts';

/** Where a command's keys sit among its arguments (after the name), so the prefix ACL applies to them. */
type KeyPositions = 'none' | 'first' | 'all' | 'first-two' | 'even';

export interface CommandSpec {
  keys: KeyPositions;
  write: boolean;
  /** Argument count bounds, so key positions are where the table says. */
  min: number;
  max?: number;
  /** Arguments after the key come in pairs (field value, key value…). */
  pairs?: boolean;
}

const read = (keys: KeyPositions, min: number, max?: number): CommandSpec => ({
  keys,
  write: false,
  min,
  ...(max === undefined ? {} : { max }),
});
const write = (keys: KeyPositions, min: number, max?: number, pairs = false): CommandSpec => ({
  keys,
  write: true,
  min,
  ...(max === undefined ? {} : { max }),
  ...(pairs ? { pairs } : {}),
});

/**
 * The only commands the raw `command` tool can ever run: each one's key positions are known, none
 * blocks the shared connection, runs scripts, reaches other databases or reads keys by pattern.
 */
export const CONFINABLE_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  PING: read('none', 0, 1),
  GET: read('first', 1, 1),
  MGET: read('all', 1),
  EXISTS: read('all', 1),
  STRLEN: read('first', 1, 1),
  GETRANGE: read('first', 3, 3),
  TYPE: read('first', 1, 1),
  TTL: read('first', 1, 1),
  PTTL: read('first', 1, 1),
  HGET: read('first', 2, 2),
  HMGET: read('first', 2),
  HGETALL: read('first', 1, 1),
  HKEYS: read('first', 1, 1),
  HVALS: read('first', 1, 1),
  HLEN: read('first', 1, 1),
  HEXISTS: read('first', 2, 2),
  LLEN: read('first', 1, 1),
  LRANGE: read('first', 3, 3),
  LINDEX: read('first', 2, 2),
  SCARD: read('first', 1, 1),
  SMEMBERS: read('first', 1, 1),
  SISMEMBER: read('first', 2, 2),
  ZCARD: read('first', 1, 1),
  ZSCORE: read('first', 2, 2),
  ZRANK: read('first', 2, 3),
  SET: write('first', 2, 7),
  APPEND: write('first', 2, 2),
  INCR: write('first', 1, 1),
  INCRBY: write('first', 2, 2),
  DECR: write('first', 1, 1),
  DECRBY: write('first', 2, 2),
  DEL: write('all', 1),
  UNLINK: write('all', 1),
  EXPIRE: write('first', 2, 3),
  PERSIST: write('first', 1, 1),
  HSET: write('first', 3, undefined, true),
  HDEL: write('first', 2),
  HINCRBY: write('first', 3, 3),
  LPUSH: write('first', 2),
  RPUSH: write('first', 2),
  LPOP: write('first', 1, 2),
  RPOP: write('first', 1, 2),
  LTRIM: write('first', 3, 3),
  SADD: write('first', 2),
  SREM: write('first', 2),
  ZADD: write('first', 3),
  ZREM: write('first', 2),
  MSET: write('even', 2, undefined, true),
  RENAME: write('first-two', 2, 2),
};

/**
 * Refused by name whatever the configuration says: they wipe or reconfigure the server, run code,
 * leave the prefix (KEYS, SORT … BY/GET, SELECT, MOVE, MIGRATE), or hold the shared connection.
 */
export const NEVER_ALLOWED: ReadonlySet<string> = new Set([
  'FLUSHALL',
  'FLUSHDB',
  'CONFIG',
  'EVAL',
  'EVALSHA',
  'EVAL_RO',
  'EVALSHA_RO',
  'FCALL',
  'FCALL_RO',
  'FUNCTION',
  'SCRIPT',
  'MODULE',
  'DEBUG',
  'SHUTDOWN',
  'KEYS',
  'ACL',
  'AUTH',
  'HELLO',
  'CLIENT',
  'CLUSTER',
  'REPLICAOF',
  'SLAVEOF',
  'FAILOVER',
  'MIGRATE',
  'MOVE',
  'COPY',
  'SELECT',
  'SWAPDB',
  'RESTORE',
  'DUMP',
  'SORT',
  'SORT_RO',
  'MONITOR',
  'SYNC',
  'PSYNC',
  'SAVE',
  'BGSAVE',
  'BGREWRITEAOF',
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'MULTI',
  'EXEC',
  'WATCH',
  'BLPOP',
  'BRPOP',
  'BLMOVE',
  'BRPOPLPUSH',
  'BZPOPMIN',
  'BZPOPMAX',
  'XREAD',
  'XREADGROUP',
  'WAIT',
  'RESET',
  'QUIT',
]);

/** Resolves `--raw-commands`: `safe` means the whole confinable table; anything dangerous or unknown is a config error. */
export function resolveRawCommands(names: readonly string[]): string[] {
  const resolved = new Set<string>();
  for (const raw of names) {
    const name = raw.trim().toUpperCase();
    if (name === '') continue;
    if (name === 'SAFE') for (const known of Object.keys(CONFINABLE_COMMANDS)) resolved.add(known);
    else if (NEVER_ALLOWED.has(name)) throw new ToolError('INVALID_CONFIG', `--raw-commands: ${name} is never allowed`, 'rawCommands');
    else if (CONFINABLE_COMMANDS[name] === undefined)
      throw new ToolError(
        'INVALID_CONFIG',
        `--raw-commands: ${name} is not a command this server can confine to the prefixes`,
        'rawCommands',
      );
    else resolved.add(name);
  }
  return [...resolved].sort();
}

export interface RawPolicy {
  allowed: ReadonlySet<string>;
  prefixes: readonly string[];
  readOnly: boolean;
  maxValueBytes: number;
}

/** Checks one raw command line against the policy; answers it with the name upper-cased. */
export function checkRawCommand(argv: readonly string[], policy: RawPolicy): { name: string; args: string[]; spec: CommandSpec } {
  const [first, ...args] = argv;
  if (first === undefined || first === '') throw new ToolError('INVALID_ARGUMENT', 'argv must start with a command name', 'argv');
  const name = first.toUpperCase();
  if (NEVER_ALLOWED.has(name)) throw new ToolError('ACL_DENIED', `${name} is never allowed through this server`, 'argv.0');
  const spec = CONFINABLE_COMMANDS[name];
  if (spec === undefined || !policy.allowed.has(name)) {
    throw new ToolError('ACL_DENIED', `${name} is not allowed; allowed: ${[...policy.allowed].join(', ') || 'none'}`, 'argv.0');
  }
  if (spec.write && policy.readOnly) throw new ToolError('READ_ONLY', `${name} writes, and this redis server is read-only`, 'argv.0');
  const arity = spec.max === undefined ? `at least ${spec.min}` : spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
  const pairedRest = spec.keys === 'even' ? args.length : args.length - 1;
  if (args.length < spec.min || (spec.max !== undefined && args.length > spec.max) || (spec.pairs && pairedRest % 2 !== 0)) {
    throw new ToolError('INVALID_ARGUMENT', `${name} takes ${arity} arguments${spec.pairs ? ' in pairs' : ''}, got ${args.length}`, 'argv');
  }
  for (const index of keyIndexes(spec.keys, args.length)) checkKey(args[index] as string, policy.prefixes, `argv.${index + 1}`);
  args.forEach((arg, index) => {
    checkValue(arg, policy.maxValueBytes, `argv.${index + 1}`);
  });
  return { name, args, spec };
}

function keyIndexes(keys: KeyPositions, count: number): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  switch (keys) {
    case 'none':
      return [];
    case 'first':
      return [0];
    case 'first-two':
      return [0, 1];
    case 'all':
      return all;
    case 'even':
      return all.filter((i) => i % 2 === 0);
  }
}
