// A node:test reporter that prints nothing while the run goes and, at the end, every failed test with its
// file and the first lines of its error. CI shows only the tail of a long TAP log: this puts the names there.
// With SB_FAILED_FILES set, it also writes the failed tests' files there (one per line) for run-tests.mjs.
import { writeFileSync } from 'node:fs';

const LINES = 6;

function firstLines(error) {
  const cause = error?.cause ?? error;
  const text = String(cause?.stack ?? cause?.message ?? cause ?? 'no error recorded');
  return text
    .split('\n')
    .slice(0, LINES)
    .map((line) => `    ${line}`);
}

export default async function* failureSummary(source) {
  const failed = [];
  // The names of the suites a test is in, per file (files run concurrently): a shared suite run on
  // several stores or transports names which one failed.
  const open = new Map();
  for await (const event of source) {
    const { name, file, nesting = 0, details } = event.data ?? {};
    if (event.type === 'test:start') {
      const path = open.get(file) ?? [];
      path.length = nesting;
      path.push(name);
      open.set(file, path);
    }
    if (event.type !== 'test:fail') continue;
    // A suite fails when one of its tests does: list the tests, and a suite only when it failed by itself.
    if (details?.error?.failureType === 'subtestsFailed') continue;
    const path = [...(open.get(file) ?? []).slice(0, nesting), name];
    failed.push({ name: path.join(' › '), file, error: details?.error });
  }
  if (process.env.SB_FAILED_FILES)
    writeFileSync(process.env.SB_FAILED_FILES, [...new Set(failed.map((f) => f.file ?? ''))].filter(Boolean).join('\n'));
  if (failed.length === 0) return;
  const out = [`\n# ${failed.length} failed:`];
  for (const { name, file, error } of failed) out.push(`# ✖ ${name} (${file ?? 'unknown file'})`, ...firstLines(error));
  yield `${out.join('\n')}\n`;
}
