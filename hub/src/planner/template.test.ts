import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTemplate } from './template.ts';

describe('playbook templates', () => {
  it('fills placeholders in nested values and leaves other types alone', () => {
    const out = renderTemplate({ path: '{{dir}}/{{ name }}', n: 3, list: ['{{name}}'], flag: true }, { dir: 'docs', name: 'a.md' });
    assert.deepEqual(out, { path: 'docs/a.md', n: 3, list: ['a.md'], flag: true });
  });

  it('uses the default when a variable is missing or empty, else empty', () => {
    assert.equal(renderTemplate('{{path:-.}}', {}), '.');
    assert.equal(renderTemplate('{{path:-.}}', { path: '' }), '.');
    assert.equal(renderTemplate('{{path}}', {}), '');
  });

  it('does not re-expand placeholders that arrive in values', () => {
    assert.equal(renderTemplate('{{a}}', { a: '{{b}}', b: 'secret' }), '{{b}}');
  });
});
