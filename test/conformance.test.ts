import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REQUIRED_SCENARIOS, unavailableReason } from '../scripts/conformance.ts';

const root = join(import.meta.dirname, '..');
const reason = unavailableReason();
// CI runs `make install`, which installs Node 22 under .tools/, so there a missing one is a failure.
const skip = reason !== undefined && process.env.REQUIRE_SERVICES !== '1' ? `conformance suite unavailable: ${reason}` : false;

describe('MCP conformance (make conformance)', () => {
  it('passes the required official scenarios against a loopback hub with auth: none', { skip, timeout: 300_000 }, async () => {
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
    for (const scenario of REQUIRED_SCENARIOS) assert.match(output.text, new RegExp(`PASS ${scenario} `));
  });
});
