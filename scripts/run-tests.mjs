#!/usr/bin/env node
// Node 20's `node --test` does not expand globs, so this finds the test files and hands them over.
// Usage: node scripts/run-tests.mjs [dir ...]   (default: every package and test/)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
// TAP on stdout as before, plus the failed tests named once more at the very end (failure-summary.mjs).
const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout'];
reporters.push(`--test-reporter=${join(root, 'scripts/failure-summary.mjs')}`, '--test-reporter-destination=stdout');
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...reporters, ...files];
const result = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: 'inherit',
  env: { LOG_LEVEL: 'silent', ...process.env },
});
process.exit(result.status ?? 1);
