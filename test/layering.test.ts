import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkFile, checkTree, importsOf, projectRules } from './layering.ts';

const root = join(import.meta.dirname, '..');
const serverDirs = readdirSync(join(root, 'mcp-servers'))
  .filter((name) => name !== 'kit')
  .map((name) => `mcp-servers/${name}`);
const rules = projectRules(serverDirs);

describe('layering', () => {
  it('the repository keeps to the dependency direction of DESIGN.md', () => {
    assert.ok(serverDirs.length > 0, 'expected at least one server package');
    assert.deepEqual(checkTree(root, rules), []);
  });

  it('finds static, re-export, side-effect and dynamic imports', () => {
    const source = `import a from 'x';\nexport { b } from "y";\nimport 'z';\nconst c = await import('w');\nimport type { T } from './t.ts';`;
    assert.deepEqual(importsOf(source).sort(), ['./t.ts', 'w', 'x', 'y', 'z']);
  });

  it('fails when a server imports the hub', () => {
    const file = join(root, 'mcp-servers/fs/src/evil.ts');
    const violations = checkFile(root, file, `import { createHub } from '@switchboard/hub';`, rules);
    assert.equal(violations.length, 1);
    assert.match(violations[0]?.complaint ?? '', /server imports '@switchboard\/hub'/);
  });

  it('fails when a server imports another server, by name or by relative path', () => {
    const file = join(root, 'mcp-servers/fs/src/evil.ts');
    assert.equal(checkFile(root, file, `import x from '@switchboard/server-sql';`, rules).length, 1);
    assert.equal(checkFile(root, file, `import x from '../../sql/src/server.ts';`, rules).length, 1);
  });

  it('allows a server to import the kit and its own files', () => {
    const file = join(root, 'mcp-servers/fs/src/server.ts');
    assert.deepEqual(checkFile(root, file, `import { runServer } from '@switchboard/kit';\nimport { g } from './guard.ts';`, rules), []);
  });

  it('fails when the kit imports a server, or the policy imports a face', () => {
    assert.equal(checkFile(root, join(root, 'mcp-servers/kit/src/x.ts'), `import '@switchboard/server-fs';`, rules).length, 1);
    assert.equal(checkFile(root, join(root, 'hub/src/policy/x.ts'), `import { a } from '../faces/http.ts';`, rules).length, 1);
  });

  it('fails when the test-server imports the hub', () => {
    assert.equal(checkFile(root, join(root, 'test-server/src/x.ts'), `import { createHub } from '@switchboard/hub';`, rules).length, 1);
  });
});
