import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argumentsOf, fieldsOf, valuesOf } from './schema-form-model.ts';

const schema = {
  type: 'object',
  properties: {
    path: { type: 'string', description: 'a file' },
    content: { type: 'string' },
    limit: { type: 'integer', default: 10 },
    ratio: { type: 'number' },
    recursive: { type: 'boolean' },
    mode: { type: 'string', enum: ['a', 'b'] },
    argv: { type: 'array', items: { type: 'string' } },
    maybe: { type: ['string', 'null'] },
  },
  required: ['path', 'argv'],
};

describe('try-it form from a JSON schema', () => {
  it('derives one field per property, with a kind that fits its type', () => {
    const fields = fieldsOf(schema);
    assert.deepEqual(
      fields.map((f) => [f.name, f.kind, f.required]),
      [
        ['path', 'text', true],
        ['content', 'textarea', false],
        ['limit', 'integer', false],
        ['ratio', 'number', false],
        ['recursive', 'boolean', false],
        ['mode', 'enum', false],
        ['argv', 'json', true],
        ['maybe', 'text', false],
      ],
    );
    assert.equal(fields[2]?.placeholder, '10');
    assert.deepEqual(fields[5]?.options, ['a', 'b']);
    assert.deepEqual(fieldsOf(undefined), []);
  });

  it('reads values into typed arguments, leaving out empty optional ones', () => {
    const fields = fieldsOf(schema);
    const { args, errors } = argumentsOf(fields, {
      path: 'a.txt',
      limit: '5',
      ratio: '0.5',
      recursive: 'false',
      argv: '["ls","-l"]',
      content: '',
    });
    assert.deepEqual(errors, {});
    assert.deepEqual(args, { path: 'a.txt', limit: 5, ratio: 0.5, recursive: false, argv: ['ls', '-l'] });
    assert.deepEqual(valuesOf(fields, args), { path: 'a.txt', limit: '5', ratio: '0.5', recursive: 'false', argv: '["ls","-l"]' });
  });

  it('names each field it cannot read', () => {
    const { errors } = argumentsOf(fieldsOf(schema), { limit: '2.5', ratio: 'x', argv: '[oops' });
    assert.deepEqual(errors, { path: 'required', limit: 'a whole number', ratio: 'a number', argv: 'JSON (e.g. ["a","b"] or {"k":1})' });
  });
});
