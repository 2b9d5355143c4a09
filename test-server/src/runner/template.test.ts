import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTemplates, TemplateError } from './template.ts';

const saved = {
  first: { text: 'hello', structured: { path: 'a.txt', bytes: 5, items: [{ id: 7 }] } },
};

describe('renderTemplates', () => {
  it('replaces embedded references, deeply, leaving other values alone', () => {
    const rendered = renderTemplates({ path: 'copy-of-{{first.structured.path}}', n: 3, list: ['{{ first.text }}!'], flag: true }, saved);
    assert.deepEqual(rendered, { path: 'copy-of-a.txt', n: 3, list: ['hello!'], flag: true });
  });

  it('a string that is one whole reference keeps the value type', () => {
    assert.deepEqual(renderTemplates({ bytes: '{{first.structured.bytes}}', obj: '{{first.structured.items.0}}' }, saved), {
      bytes: 5,
      obj: { id: 7 },
    });
  });

  it('embedded non-strings render as JSON', () => {
    assert.equal(renderTemplates('n={{first.structured.bytes}} x={{first.structured.items}}', saved), 'n=5 x=[{"id":7}]');
  });

  it('does not touch text without references', () => {
    assert.equal(renderTemplates('{{ not a ref }} and {single}', saved), '{{ not a ref }} and {single}');
  });

  it('throws a TemplateError naming an unknown save or path', () => {
    assert.throws(
      () => renderTemplates('{{second.text}}', saved),
      (error: unknown) => {
        assert.ok(error instanceof TemplateError);
        assert.match(error.message, /no earlier step saved as 'second' \(saved: first\)/);
        return true;
      },
    );
    assert.throws(() => renderTemplates('{{first.structured.nope}}', saved), /'nope' not found in the saved result of 'first'/);
  });

  it('does not mutate its input', () => {
    const input = { path: '{{first.text}}' };
    renderTemplates(input, saved);
    assert.deepEqual(input, { path: '{{first.text}}' });
  });
});
