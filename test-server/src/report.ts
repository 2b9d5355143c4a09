import type { StepKind } from './cases/schema.ts';
import type { AssertionRecord } from './runner/assertions.ts';

export interface StepReport {
  name: string;
  kind: StepKind;
  passed: boolean;
  durationMs: number;
  /** What was sent, after templating. */
  request: unknown;
  /** What came back (tool result, HTTP response, or listed tool names); null when the step threw. */
  outcome: unknown;
  assertions: AssertionRecord[];
  /** Set when the step could not run to the end (hub unreachable, protocol error, bad template). */
  error?: string;
}

export interface CaseReport {
  case: string;
  description: string;
  passed: boolean;
  durationMs: number;
  steps: StepReport[];
  /** Set when the case file itself is invalid; it names the file and the key. */
  error?: string;
}

export interface RunSummary {
  cases: number;
  passed: number;
  failed: number;
  assertions: number;
  failedAssertions: number;
}

export interface RunReport {
  passed: boolean;
  durationMs: number;
  summary: RunSummary;
  cases: CaseReport[];
}

/** Counts cases and assertions; an invalid case file counts as one failed assertion. */
export function summarize(cases: CaseReport[], durationMs: number): RunReport {
  const summary: RunSummary = { cases: cases.length, passed: 0, failed: 0, assertions: 0, failedAssertions: 0 };
  for (const report of cases) {
    if (report.passed) summary.passed += 1;
    else summary.failed += 1;
    if (report.error !== undefined) {
      summary.assertions += 1;
      summary.failedAssertions += 1;
    }
    for (const step of report.steps) {
      summary.assertions += step.assertions.length;
      summary.failedAssertions += step.assertions.filter((assertion) => !assertion.passed).length;
    }
  }
  return { passed: summary.failed === 0, durationMs, summary, cases };
}
