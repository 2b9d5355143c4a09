import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { CONFINABLE_COMMANDS, checkRawCommand, NEVER_ALLOWED, type RawPolicy, resolveRawCommands } from './commands.ts';

const policy: RawPolicy = {
  allowed: new Set(resolveRawCommands(['safe'])),
  prefixes: ['app:'],
  readOnly: false,
  maxValueBytes: 16,
};
const refused = (argv: string[], code: string, field: string, p: RawPolicy = policy) =>
  assert.throws(
    () => checkRawCommand(argv, p),
    (e: ToolError) => e.code === code && e.field === field,
    `${argv.join(' ')} → ${code} ${field}`,
  );

describe('resolveRawCommands', () => {
  it('expands safe to the confinable table and upper-cases names', () => {
    assert.deepEqual(resolveRawCommands(['safe']), Object.keys(CONFINABLE_COMMANDS).sort());
    assert.deepEqual(resolveRawCommands(['hlen', ' GET ', '']), ['GET', 'HLEN']);
  });

  it('refuses dangerous and unknown commands at configuration time', () => {
    for (const name of ['FLUSHALL', 'flushdb', 'CONFIG', 'EVAL', 'EVALSHA', 'FUNCTION', 'MODULE', 'DEBUG', 'SHUTDOWN', 'KEYS']) {
      assert.throws(
        () => resolveRawCommands([name]),
        (e: ToolError) => e.code === 'INVALID_CONFIG' && /never allowed/.test(e.message),
        name,
      );
    }
    assert.throws(() => resolveRawCommands(['XADD']), /this server can confine/);
  });

  it('keeps the two lists apart', () => {
    for (const name of Object.keys(CONFINABLE_COMMANDS)) assert.equal(NEVER_ALLOWED.has(name), false, name);
  });
});

describe('checkRawCommand', () => {
  it('passes confined commands through, upper-casing the name', () => {
    assert.deepEqual(checkRawCommand(['hlen', 'app:h'], policy).name, 'HLEN');
    assert.deepEqual(checkRawCommand(['MSET', 'app:a', '1', 'app:b', '2'], policy).args, ['app:a', '1', 'app:b', '2']);
    assert.equal(checkRawCommand(['PING'], policy).name, 'PING');
    assert.equal(checkRawCommand(['RENAME', 'app:a', 'app:b'], policy).name, 'RENAME');
  });

  it('refuses the dangerous commands by name, in any case', () => {
    for (const argv of [
      ['FLUSHALL'],
      ['flushdb'],
      ['CONFIG', 'SET', 'dir', '/tmp'],
      ['EVAL', 'return 1', '0'],
      ['evalsha', 'abc', '0'],
      ['FUNCTION', 'FLUSH'],
      ['MODULE', 'LOAD', '/x.so'],
      ['DEBUG', 'SEGFAULT'],
      ['SHUTDOWN', 'NOSAVE'],
      ['KEYS', '*'],
      ['SORT', 'app:l', 'BY', 'other:*'],
      ['SELECT', '1'],
    ]) {
      refused(argv, 'ACL_DENIED', 'argv.0');
    }
    assert.throws(() => checkRawCommand(['flushall'], policy), /FLUSHALL is never allowed/);
  });

  it('refuses commands outside the configured allowlist', () => {
    const narrow = { ...policy, allowed: new Set(['GET']) };
    refused(['HLEN', 'app:h'], 'ACL_DENIED', 'argv.0', narrow);
    refused(['XADD', 'app:s', '*', 'f', 'v'], 'ACL_DENIED', 'argv.0');
    refused([], 'INVALID_ARGUMENT', 'argv');
  });

  it('confines every key position to the prefixes', () => {
    refused(['GET', 'secret'], 'ACL_DENIED', 'argv.1');
    refused(['DEL', 'app:a', 'secret'], 'ACL_DENIED', 'argv.2');
    refused(['MSET', 'app:a', '1', 'secret', '2'], 'ACL_DENIED', 'argv.3');
    refused(['RENAME', 'app:a', 'secret'], 'ACL_DENIED', 'argv.2');
    refused(['HSET', 'other', 'f', 'v'], 'ACL_DENIED', 'argv.1');
  });

  it('checks arity so keys cannot hide in unexpected positions', () => {
    refused(['GET', 'app:a', 'secret'], 'INVALID_ARGUMENT', 'argv');
    refused(['MSET', 'app:a', '1', 'secret'], 'INVALID_ARGUMENT', 'argv');
    refused(['HSET', 'app:h', 'f'], 'INVALID_ARGUMENT', 'argv');
  });

  it('refuses writes when read-only and oversized arguments always', () => {
    const readOnly = { ...policy, readOnly: true };
    refused(['SET', 'app:a', '1'], 'READ_ONLY', 'argv.0', readOnly);
    assert.equal(checkRawCommand(['GET', 'app:a'], readOnly).name, 'GET');
    refused(['SET', 'app:a', 'x'.repeat(17)], 'TOO_LARGE', 'argv.2');
  });
});
