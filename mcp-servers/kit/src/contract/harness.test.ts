import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const harness = join(import.meta.dirname, 'index.ts');

/** Runs a tiny suite with an unreachable "real" backend in a child test process. */
function runSuite(env: Record<string, string>) {
  // Inside the repo so the child resolves the workspace's packages; .tmp is git-ignored.
  const scratch = join(import.meta.dirname, '..', '..', '..', '..', '.tmp');
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(join(scratch, 'harness-'));
  const file = join(dir, 'suite.test.ts');
  writeFileSync(
    file,
    `import assert from 'node:assert/strict';
import { it } from 'node:test';
import { McpServer } from '@modelcontextprotocol/server';
import { contractSuite } from ${JSON.stringify(harness)};
const factory = () => { const s = new McpServer({ name: 'x', version: '1' }); s.registerTool('ping', { description: 'p' }, async () => ({ content: [{ type: 'text', text: 'pong' }] })); return s; };
await contractSuite('x', [
  { name: 'mock', setup: async () => ({ factory, fixture: {} }) },
  { name: 'real', unavailable: async () => 'no service on 127.0.0.1:1', setup: async () => ({ factory, fixture: {} }) },
], (h) => {
  it('pings', async () => { assert.deepEqual((await h.call('ping')).content, [{ type: 'text', text: 'pong' }]); });
});
`,
  );
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', file], {
    cwd: join(import.meta.dirname, '..', '..'),
    // Without NODE_TEST_CONTEXT the child reports as a standalone run, not to this runner.
    env: { ...withoutTestContext(process.env), ...env },
    encoding: 'utf8',
  });
  rmSync(dir, { recursive: true, force: true });
  return result;
}

describe('contract harness', () => {
  it('runs the mock and skips an unreachable real backend, saying why', () => {
    const result = runSuite({ REQUIRE_SERVICES: '0' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /# pass 1/);
    assert.match(result.stdout, /x contract \[real\] # SKIP no service on 127\.0\.0\.1:1/);
    assert.match(result.stderr + result.stdout, /no service on 127\.0\.0\.1:1/);
  });

  it('fails an unreachable real backend when REQUIRE_SERVICES=1', () => {
    const result = runSuite({ REQUIRE_SERVICES: '1' });
    assert.notEqual(result.status, 0);
    assert.match(result.stdout, /REQUIRE_SERVICES=1 but real backend is unavailable: no service on 127\.0\.0\.1:1/);
  });
});

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _ignored, ...rest } = env;
  return rest;
}
