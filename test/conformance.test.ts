import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REQUIRED_SCENARIOS, SPEC_VERSIONS, unavailableReason } from '../scripts/conformance.ts';

const root = join(import.meta.dirname, '..');
const reason = unavailableReason();
// CI runs `make install`, which installs Node 22 under .tools/, so there a missing one is a failure.
const skip = reason !== undefined && process.env.REQUIRE_SERVICES !== '1' ? `conformance suite unavailable: ${reason}` : false;

describe('MCP conformance (make conformance)', () => {
  it('passes the generic official scenarios of both spec versions against one loopback hub (auth: none)', {
    skip,
    timeout: 900_000,
  }, async () => {
    assert.equal(reason, undefined, reason);
    const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const run = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'conformance.ts')], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      run.stdout.on('data', (chunk) => {
        text += chunk;
      });
      run.stderr.on('data', (chunk) => {
        text += chunk;
      });
      run.on('close', (code) => resolve({ code, text }));
    });
    assert.equal(output.code, 0, output.text);
    assert.deepEqual(SPEC_VERSIONS, ['2025-11-25', '2026-07-28']);
    for (const version of SPEC_VERSIONS) {
      assert.ok(REQUIRED_SCENARIOS[version].includes('dns-rebinding-protection'), `${version} must require dns-rebinding-protection`);
      for (const scenario of REQUIRED_SCENARIOS[version]) assert.match(output.text, new RegExp(`PASS ${version} ${scenario} `));
    }
    // The stateless era's own scenario ran against the hub's /mcp (not just the scenarios both eras share).
    assert.match(output.text, /PASS 2026-07-28 server-stateless /);
  });
});
