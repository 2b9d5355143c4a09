#!/usr/bin/env node
// Node 20's `node --test` does not expand globs, so this finds the test files and hands them over.
// Usage: node scripts/run-tests.mjs [dir ...]   (default: every package and test/)
//
// A file with a failed test runs once more, alone (no other file competing for the two cores). The
// run passes only if that second run passes; either way the first failure stays in the log and the
// file is named at the end as flaky, so a timing-sensitive test is seen, not hidden.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skipDirs = new Set(['node_modules', '.git', 'data', '.tmp']);

function findTests(dir, found = []) {
  for (const name of readdirSync(dir)) {
    if (skipDirs.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, found);
    else if (name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found;
}

const dirs = process.argv.slice(2);
const files = (dirs.length > 0 ? dirs : ['mcp-servers', 'hub', 'test-server', 'test', 'cli', 'console'])
  .flatMap((dir) => findTests(join(root, dir)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'sb-tests-'));
const failedList = join(scratch, 'failed');

/** TAP on stdout, plus the failed tests named once more at the very end (failure-summary.mjs). */
function run(testFiles, concurrency) {
  const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout'];
  reporters.push(`--test-reporter=${join(root, 'scripts/failure-summary.mjs')}`, '--test-reporter-destination=stdout');
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=600000', ...reporters, ...testFiles];
  rmSync(failedList, { force: true });
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { LOG_LEVEL: 'silent', ...process.env, SB_FAILED_FILES: failedList },
  });
  let failed = [];
  try {
    failed = readFileSync(failedList, 'utf8').split('\n').filter(Boolean);
  } catch {}
  return { status: result.status ?? 1, failed: failed.map((file) => relative(root, file)) };
}

const first = run(files, 2);
let status = first.status;
// Only a run whose failures are all known tests is retried (a crash of the runner itself is not).
if (status !== 0 && first.failed.length > 0) {
  console.log(`\n# retrying ${first.failed.length} file(s) alone: ${first.failed.join(', ')}`);
  const second = run(first.failed, 1);
  status = second.status;
  console.log(
    status === 0
      ? `# FLAKY (failed, then passed alone): ${first.failed.join(', ')}`
      : `# FAILED twice: ${second.failed.join(', ') || first.failed.join(', ')}`,
  );
}
rmSync(scratch, { recursive: true, force: true });
process.exit(status);
