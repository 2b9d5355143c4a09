import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './errors.ts';
import { loadRoles, parseRole } from './load-roles.ts';

const reader = `name: reader
description: reads
tools: { allow: [fs__read_file] }
playbooks:
  - { name: read, match: '^read (?<path>\\S+)$', steps: [{ tool: fs__read_file, arguments: { path: '{{path}}' } }] }
`;

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('role files', () => {
  it('parses a role with defaults for limits and deny', () => {
    const role = parseRole(reader, 'roles/reader.yaml');
    assert.equal(role.name, 'reader');
    assert.deepEqual(role.tools.deny, []);
    assert.equal(role.limits.maxSteps, 10);
    assert.deepEqual(role.playbooks[0]?.steps[0], { tool: 'fs__read_file', arguments: { path: '{{path}}' } });
  });

  it('names file and key for a wrong type, an unknown key, a bad regex and a name mismatch', () => {
    assert.match(
      configError(() => parseRole(reader.replace('[fs__read_file]', 'fs__read_file'), 'roles/reader.yaml')).message,
      /^roles\/reader\.yaml: tools\.allow:/,
    );
    assert.match(
      configError(() => parseRole(`${reader}colour: red\n`, 'roles/reader.yaml')).message,
      /^roles\/reader\.yaml: colour: unknown key/,
    );
    assert.match(
      configError(() => parseRole(reader.replace("'^read (?<path>\\S+)$'", "'(unclosed'"), 'roles/reader.yaml')).message,
      /playbooks\[0\]\.match: not a valid regular expression/,
    );
    assert.match(
      configError(() => parseRole(reader, 'roles/writer.yaml')).message,
      /^roles\/writer\.yaml: name: must equal the file name 'writer'/,
    );
  });

  it('loads a directory and fails naming the bad file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-roles-'));
    writeFileSync(join(dir, 'reader.yaml'), reader);
    assert.deepEqual(
      loadRoles(dir).map((r) => r.name),
      ['reader'],
    );
    writeFileSync(join(dir, 'broken.yaml'), 'name: broken\ndescription: x\ntools: { allow: [ok], deny: 5 }\n');
    assert.match(configError(() => loadRoles(dir)).message, /broken\.yaml: tools\.deny:/);
  });

  it('the shipped roles directory loads', () => {
    const roles = loadRoles(join(import.meta.dirname, '../../../roles'));
    assert.ok(roles.some((r) => r.name === 'reader'));
  });
});
