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
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    // A suite fails when one of its tests does: list the tests, and a suite only when it failed by itself.
    if (details?.error?.failureType === 'subtestsFailed') continue;
    failed.push({ name, file, error: details?.error });
  }
  if (process.env.SB_FAILED_FILES)
    writeFileSync(process.env.SB_FAILED_FILES, [...new Set(failed.map((f) => f.file ?? ''))].filter(Boolean).join('\n'));
  if (failed.length === 0) return;
  const out = [`\n# ${failed.length} failed:`];
  for (const { name, file, error } of failed) out.push(`# ✖ ${name} (${file ?? 'unknown file'})`, ...firstLines(error));
  yield `${out.join('\n')}\n`;
}
