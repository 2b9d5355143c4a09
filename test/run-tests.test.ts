import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

// scripts/run-tests.mjs (what `make test` runs): a failed file runs once more alone; a file that fails
// twice fails the run; either way the failed tests are named at the end of the log.
const root = new URL('..', import.meta.url).pathname;
const dir = join('.tmp', `run-tests-${process.pid}`);
after(() => rmSync(join(root, dir), { recursive: true, force: true }));

function runner(body: string) {
  rmSync(join(root, dir), { recursive: true, force: true });
  mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, dir, 'probe.test.ts'), body);
  // Without NODE_TEST_CONTEXT: with it, the inner `node --test` reports to this runner instead of printing.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const result = spawnSync(process.execPath, [join(root, 'scripts/run-tests.mjs'), dir], { cwd: root, encoding: 'utf8', env });
  return { status: result.status, out: result.stdout };
}

test('a test that fails once and passes alone: the run passes and names the file as flaky', () => {
  const mark = join(root, dir, 'failed-once');
  const { status, out } = runner(`import { test } from 'node:test';
import { existsSync, writeFileSync } from 'node:fs';
test('flaky probe', () => {
  if (existsSync(${JSON.stringify(mark)})) return;
  writeFileSync(${JSON.stringify(mark)}, '1');
  throw new Error('first run fails');
});
`);
  assert.equal(status, 0, out);
  assert.match(out, /# ✖ flaky probe \(.*probe\.test\.ts\)\n {4}Error: first run fails/);
  assert.match(out, /# FLAKY \(failed, then passed alone\): \.tmp\/run-tests-\d+\/probe\.test\.ts/);
});

test('a test that fails twice fails the run, named at the end', () => {
  const { status, out } = runner(`import { test } from 'node:test';
test('broken probe', () => { throw new Error('always fails'); });
`);
  assert.equal(status, 1);
  assert.match(out, /# ✖ broken probe/);
  assert.match(out.trimEnd(), /# FAILED twice: \.tmp\/run-tests-\d+\/probe\.test\.ts$/);
});

test('a passing run prints no failure summary and runs each file once', () => {
  const { status, out } = runner(`import { test } from 'node:test';
test('fine probe', () => {});
`);
  assert.equal(status, 0, out);
  assert.doesNotMatch(out, /failed:|retrying|FLAKY/);
  assert.equal(out.match(/ok 1 - fine probe/g)?.length, 1);
});
