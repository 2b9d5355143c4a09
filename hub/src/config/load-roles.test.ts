import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './errors.ts';
import { loadRoles, parseRole } from './load-roles.ts';

const repoRoot = join(import.meta.dirname, '../../..');

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

  it('the shipped roles directory loads, with every role the hub promises', () => {
    const roles = loadRoles(join(repoRoot, 'roles'));
    const names = roles.map((r) => r.name);
    for (const name of ['coder', 'reviewer', 'tester', 'ops', 'analyst', 'archivist', 'reader'])
      assert.ok(names.includes(name), `roles/${name}.yaml is missing (found: ${names.join(', ')})`);
    for (const role of roles) {
      assert.ok(role.tools.allow.length > 0, `${role.name} allows no tool`);
      assert.ok(role.playbooks.length > 0, `${role.name} has no playbook, so it cannot act without a model`);
    }
    // The roles' promises, as their allowlists keep them.
    const byName = new Map(roles.map((r) => [r.name, r]));
    assert.equal(byName.get('ops')?.requiresApproval, true, 'ops changes machines: every run waits for a person');
    assert.ok(byName.get('ops')?.tools.allow.includes('shell__run'));
    assert.ok(byName.get('analyst')?.tools.deny.includes('*__execute'), 'the analyst only reads');
    assert.ok(byName.get('archivist')?.tools.allow.some((tool) => tool.startsWith('s3__')));
    assert.ok(byName.get('archivist')?.tools.allow.some((tool) => tool.startsWith('rag__')));
  });

  it("the README's add-a-role example is a valid role file", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const section = readme.split('### Add a role')[1] ?? '';
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(yaml, 'README.md has no yaml example under "### Add a role"');
    const name = /^name: (\S+)$/m.exec(yaml)?.[1] ?? '';
    const role = parseRole(yaml, `roles/${name}.yaml`);
    assert.ok(role.playbooks.length > 0);
    assert.equal(
      loadRoles(join(repoRoot, 'roles')).some((r) => r.name === role.name),
      false,
      'the example must not shadow a shipped role (dropping it in would replace that role)',
    );
  });
});
