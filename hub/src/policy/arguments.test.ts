import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessRoleSchema, type ArgumentRule } from '../config/index.ts';
import { checkArguments } from './arguments.ts';

const rules = AccessRoleSchema.parse({
  tools: { allow: ['*'] },
  arguments: [
    { tools: 'fs__*', where: { path: { glob: 'src/**' } } },
    { tools: ['sql__query'], where: { readOnly: { equals: true } } },
    { tools: 'kv__*', where: { key: { pattern: 'app:[a-z]+' }, limit: { oneOf: [10, 100], optional: true } } },
  ],
}).arguments as ArgumentRule[];

describe('argument rules', () => {
  it('passes arguments within every matching rule, and tools no rule names', () => {
    assert.equal(checkArguments(rules, 'fs__read_file', { path: 'src/a.ts' }), undefined);
    assert.equal(checkArguments(rules, 'sql__query', { sql: 'select 1', readOnly: true }), undefined);
    assert.equal(checkArguments(rules, 'kv__get', { key: 'app:users' }), undefined);
    assert.equal(checkArguments(rules, 'kv__get', { key: 'app:users', limit: 10 }), undefined);
    assert.equal(checkArguments(rules, 'other__tool', { anything: 1 }), undefined);
  });

  it('names the rule and the argument, not the value', () => {
    const broken = checkArguments(rules, 'fs__write_file', { path: 'etc/secret-file', content: 'x' });
    assert.deepEqual(broken, { rule: 0, field: 'path', expected: 'must be a path matching src/**' });
    assert.doesNotMatch(JSON.stringify(broken), /secret-file/);
  });

  it('fails closed on a missing argument unless it is optional', () => {
    assert.deepEqual(checkArguments(rules, 'sql__query', { sql: 'select 1' }), {
      rule: 1,
      field: 'readOnly',
      expected: 'must be true (and is required)',
    });
    assert.equal(checkArguments(rules, 'sql__query', { readOnly: 'true' })?.field, 'readOnly', 'a string is not true');
    assert.equal(checkArguments(rules, 'kv__get', { key: 'app:x', limit: 11 })?.field, 'limit');
  });

  it('checks every element of an array argument and anchors patterns', () => {
    assert.equal(checkArguments(rules, 'fs__read_many', { path: ['src/a', 'src/b'] }), undefined);
    assert.equal(checkArguments(rules, 'fs__read_many', { path: ['src/a', 'etc/b'] })?.field, 'path');
    assert.equal(checkArguments(rules, 'kv__get', { key: 'app:users;flush' })?.field, 'key');
    assert.equal(checkArguments(rules, 'kv__get', { key: 'xapp:users' })?.field, 'key');
    assert.equal(checkArguments(rules, 'fs__read_file', { path: 42 })?.field, 'path', 'a non-string path fails');
  });

  it('does not read inherited properties as arguments', () => {
    assert.equal(checkArguments(rules, 'sql__query', Object.create({ readOnly: true }))?.field, 'readOnly');
  });
});
