import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTemplate, renderText, resolvePath } from './template.ts';

describe('playbook templates', () => {
  it('fills placeholders in nested values and leaves other types alone', () => {
    const out = renderTemplate({ path: '{{dir}}/{{ name }}', n: 3, list: ['{{name}}'], flag: true }, { dir: 'docs', name: 'a.md' });
    assert.deepEqual(out, { path: 'docs/a.md', n: 3, list: ['a.md'], flag: true });
  });

  it('uses the default when a variable is missing or empty, else empty', () => {
    assert.equal(renderTemplate('{{path:-.}}', {}), '.');
    assert.equal(renderTemplate('{{path:-.}}', { path: '' }), '.');
    assert.equal(renderTemplate('{{path}}', {}), '');
    assert.equal(renderTemplate('x{{a.b:-none}}y', { a: {} }), 'xnoney');
  });

  it('does not re-expand placeholders that arrive in values', () => {
    assert.equal(renderTemplate('{{a}}', { a: '{{b}}', b: 'secret' }), '{{b}}');
    assert.equal(renderTemplate('<{{a}}>', { a: '{{b}}', b: 'secret' }), '<{{b}}>');
  });

  it('follows paths into earlier results, arrays and computed indexes', () => {
    const vars = {
      steps: { run: { structured: { exitCode: 1, stdout: 'not ok' } } },
      drafts: [{ source: 'v1' }, { source: 'v2' }],
      roundIndex: 1,
      key: 'b',
      map: { a: 1, b: 2 },
    };
    assert.equal(renderTemplate('{{steps.run.structured.exitCode}}', vars), 1, 'a whole placeholder keeps its type');
    assert.equal(renderTemplate('exit {{steps.run.structured.exitCode}}', vars), 'exit 1');
    assert.equal(renderTemplate('{{drafts[roundIndex].source}}', vars), 'v2');
    assert.equal(renderTemplate('{{drafts[0].source}}', vars), 'v1');
    assert.equal(renderTemplate('{{map[key]}}', vars), 2);
    assert.deepEqual(renderTemplate('{{drafts[1]}}', vars), { source: 'v2' });
    assert.equal(renderTemplate('all: {{drafts}}', vars), 'all: [{"source":"v1"},{"source":"v2"}]');
  });

  it('renders { $json: … } as JSON text of the rendered value', () => {
    const out = renderTemplate({ content: { $json: { run: '{{id}}', round: '{{round}}', ok: true } } }, { id: 'r1', round: 2 });
    assert.deepEqual(JSON.parse((out as { content: string }).content), { run: 'r1', round: 2, ok: true });
  });

  it('filters: number for regex groups, json and string to spell values out', () => {
    assert.equal(renderTemplate('{{n | number}}', { n: '21' }), 21);
    assert.equal(renderTemplate('{{n:-3 | number}}', {}), 3);
    assert.equal(renderTemplate('{{list | json}}', { list: [1, 'a'] }), '[1,"a"]');
    assert.equal(renderTemplate('{{n | string}}', { n: 5 }), '5');
    assert.equal(renderTemplate('{{missing | number}}', {}), '', 'still nothing when missing');
    assert.throws(() => renderTemplate('{{n | shout}}', { n: 1 }), /no filter 'shout' \(filters: number, json, string\)/);
  });

  it('never reaches prototypes', () => {
    assert.equal(resolvePath({ a: {} }, 'a.__proto__'), undefined);
    assert.equal(resolvePath({ a: {} }, 'a.constructor'), undefined);
    assert.equal(renderText('{{constructor}}', {}), '');
    assert.equal(resolvePath({ a: [1, 2] }, 'a.length'), 2, 'own properties of arrays, such as length, are fine');
  });

  it('treats malformed references as missing', () => {
    assert.equal(resolvePath({ a: 1 }, '.a'), undefined);
    assert.equal(resolvePath({ a: { b: 1 } }, 'a b'), undefined);
    assert.equal(resolvePath({ a: [1] }, 'a[x]'), undefined);
  });
});
