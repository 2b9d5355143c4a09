import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCases, parseCaseFile } from './load.ts';

function errorOf(file: string, source: string): string {
  const loaded = parseCaseFile(file, source);
  assert.equal(loaded.ok, false, 'expected the case file to be rejected');
  return loaded.ok ? '' : loaded.error;
}

describe('parseCaseFile', () => {
  it('accepts the three step kinds and fills defaults', () => {
    const loaded = parseCaseFile(
      'ok.yaml',
      `name: ok
steps:
  - { name: a, tool: fs__read_file, arguments: { path: x } }
  - { name: b, http: { path: /health }, expect: { status: 200 } }
  - { name: c, list: tools, expect: { includes: [x] } }
`,
    );
    assert.ok(loaded.ok);
    assert.equal(loaded.definition.description, '');
    assert.deepEqual(loaded.definition.steps[0], { name: 'a', tool: 'fs__read_file', arguments: { path: 'x' }, expect: {} });
    assert.deepEqual(loaded.definition.steps[1], { name: 'b', http: { method: 'GET', path: '/health' }, expect: { status: 200 } });
  });

  it('names the file and the unknown key', () => {
    const error = errorOf('typo.yaml', 'name: typo\nsteps:\n  - { name: a, tool: t, expect: { isErr: true } }\n');
    assert.match(error, /^typo\.yaml: steps\[0\]\.expect\.isErr: unknown key/);
  });

  it('names the key of a wrong type', () => {
    const error = errorOf('types.yaml', 'name: types\nsteps:\n  - { name: a, tool: t, expect: { maxMs: soon } }\n');
    assert.match(error, /types\.yaml: steps\[0\]\.expect\.maxMs: /);
  });

  it('requires exactly one of tool, http, list', () => {
    assert.match(
      errorOf('two.yaml', 'name: two\nsteps:\n  - { name: a, tool: t, list: tools }\n'),
      /steps\[0\]: .*exactly one of tool, http, list \(found tool and list\)/,
    );
    assert.match(errorOf('none.yaml', 'name: none\nsteps:\n  - { name: a }\n'), /steps\[0\]: .*\(found none\)/);
  });

  it('requires the name to match the file name', () => {
    assert.match(
      errorOf('smoke.yaml', 'name: other\nsteps:\n  - { name: a, list: tools }\n'),
      /smoke\.yaml: name: 'other' must equal the file name/,
    );
  });

  it('requires at least one step, and says so about the steps key', () => {
    assert.match(errorOf('empty.yaml', 'name: empty\nsteps: []\n'), /empty\.yaml: steps: a case has at least one step/);
    assert.match(errorOf('missing.yaml', 'name: missing\n'), /missing\.yaml: steps: /);
  });

  it('rejects an empty text expectation and a bad save name', () => {
    assert.match(
      errorOf('t.yaml', 'name: t\nsteps:\n  - { name: a, tool: t, expect: { text: {} } }\n'),
      /steps\[0\]\.expect\.text: give at least one of/,
    );
    assert.match(errorOf('s.yaml', 'name: s\nsteps:\n  - { name: a, tool: t, save: "a b" }\n'), /steps\[0\]\.save: /);
  });

  it('reports invalid YAML with the file name', () => {
    assert.match(errorOf('broken.yaml', 'name: broken\nsteps: [\n'), /^broken\.yaml: invalid YAML: /);
  });
});

describe('loadCases', () => {
  it('loads *.yaml and *.yml in name order, keeping bad files as errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cases-'));
    try {
      await writeFile(join(dir, 'b.yaml'), 'name: b\nsteps:\n  - { name: x, list: tools }\n');
      await writeFile(join(dir, 'a.yml'), 'name: a\nsteps: nope\n');
      await writeFile(join(dir, 'README.md'), '# not a case\n');
      const loaded = await loadCases(dir);
      assert.deepEqual(
        loaded.map((c) => [c.file, c.ok]),
        [
          ['a.yml', false],
          ['b.yaml', true],
        ],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
