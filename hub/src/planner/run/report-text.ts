import type { RunReport, StepOutcome } from './plan-model.ts';
import type { RunView } from './run-view.ts';

const mark = (outcome: StepOutcome) => (outcome.state === 'succeeded' ? '✓' : '✗');

function firstLine(text: string, max = 160): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The report as a person reads it: rounds, steps, reviews, artifacts, and a single step's answer in full. */
export function renderReport(report: RunReport): string {
  const lines = [`run ${report.runId}: ${report.summary} (plan: ${report.plan.source})`];
  for (let round = 1; round <= report.rounds; round++) {
    const outcomes = report.steps.filter((s) => s.round === round);
    const review = report.reviews.find((r) => r.round === round);
    if (report.rounds > 1) lines.push(`round ${round}:`);
    for (const o of outcomes) {
      const detail = o.error ? `${o.error.code}: ${firstLine(o.error.message)}` : firstLine(o.answer ?? '');
      lines.push(`  ${mark(o)} ${o.stepId} (${o.role}${o.via === 'dag' ? ', scheduled' : ''})${detail ? ` — ${detail}` : ''}`);
    }
    if (review && (review.by !== 'planner' || review.verdict === 'rejected'))
      lines.push(`  review by ${review.by}: ${review.verdict}${review.feedback ? ` — ${firstLine(review.feedback)}` : ''}`);
  }
  for (const grant of report.approvals)
    lines.push(`approved: ${grant.stepId} (${grant.role}) by ${grant.by}${grant.note ? ` — ${grant.note}` : ''}`);
  const artifacts = Object.entries(report.artifacts);
  if (artifacts.length > 0) {
    lines.push('artifacts:');
    for (const [name, key] of artifacts) lines.push(`  ${name}: ${typeof key === 'string' ? key : JSON.stringify(key)}`);
  }
  if (report.error && report.status !== 'succeeded') lines.push(`error: ${report.error.code}: ${report.error.message}`);
  const last = report.steps.filter((s) => s.round === report.rounds);
  if (report.status === 'succeeded' && last.length === 1 && last[0]?.answer) lines.push('', last[0].answer);
  return lines.join('\n');
}

/** One view as text: the report when final, else the summary (and what an approval waits for). */
export function renderView(view: RunView): string {
  if (view.report) return renderReport(view.report);
  const lines = [`run ${view.runId}: ${view.summary}`];
  if (view.approval) {
    for (const step of view.approval.steps) lines.push(`  needs approval: ${step.id} (${step.role}): ${step.task} — ${step.why}`);
    lines.push(`approve with hub__approve { "runId": "${view.runId}" } or reject with hub__reject`);
  }
  return lines.join('\n');
}
