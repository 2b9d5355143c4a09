import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { errorOfResult } from '@switchboard/kit';
import { resultText } from '../../agent/types.ts';
import type { RunDeps } from '../deps.ts';
import type { Review, StepOutcome } from '../plan-model.ts';
import { currentOutcomes, type RunStateUpdate, type RunStateValue } from '../run-state.ts';

/** Failures another round cannot fix: a refusal stays a refusal. The run reports them at once. */
const FINAL_CODES = new Set(['ACL_DENIED', 'APPROVAL_REQUIRED', 'INVALID_ARGUMENT', 'INVALID_CONFIG', 'NOT_FOUND', 'RATE_LIMITED']);

/** The failures that caused the others (dependants of a failed step fail with DEPENDENCY_FAILED). */
export function rootFailures(outcomes: readonly StepOutcome[]): StepOutcome[] {
  const failed = outcomes.filter((o) => o.state !== 'succeeded');
  const roots = failed.filter((o) => o.error?.code !== 'DEPENDENCY_FAILED');
  return roots.length > 0 ? roots : failed;
}

export function failureSummary(outcomes: readonly StepOutcome[]): string {
  return rootFailures(outcomes)
    .map((o) => `step '${o.stepId}' (${o.role}) ${o.state}: ${o.error ? `${o.error.code}: ${o.error.message}` : 'no answer'}`)
    .join('\n');
}

export function isFinalFailure(outcomes: readonly StepOutcome[]): boolean {
  return rootFailures(outcomes).some((o) => o.error !== undefined && FINAL_CODES.has(o.error.code));
}

/**
 * review: checks the round's results against the task's acceptance. With a reviewer role (the
 * plan's `review.role`), that agent decides: its failure is a rejection whose message is the
 * feedback. Without one, the round passes when every step succeeded. A rejected round goes back to
 * `plan` with the feedback while rounds remain, unless the failure is final (a denial).
 */
export function reviewNode(deps: RunDeps) {
  return async (state: RunStateValue, config: LangGraphRunnableConfig): Promise<RunStateUpdate> => {
    const outcomes = currentOutcomes(state);
    const failed = outcomes.filter((o) => o.state !== 'succeeded');
    const reviewer = state.planned?.review.role;
    let review: Review;
    if (reviewer !== undefined && deps.roles().some((r) => r.name === reviewer) && !isFinalFailure(outcomes)) {
      const results = Object.fromEntries(
        outcomes.map((o) => [o.stepId, { role: o.role, state: o.state, answer: o.answer, output: o.output, error: o.error }]),
      );
      const result = await deps.callAgent(
        reviewer,
        {
          task: `review: ${state.task}`,
          context: {
            acceptance: state.planned?.acceptance ?? 'every step succeeded',
            round: state.round,
            results,
            failed: failed.map((o) => o.stepId),
            failedSummary: failureSummary(outcomes),
            run: { id: state.runId, step: 'review' },
          },
        },
        { principal: state.principal, correlationId: state.correlationId, ...(config.signal ? { signal: config.signal } : {}) },
      );
      review = result.isError
        ? { round: state.round, verdict: 'rejected', by: reviewer, feedback: errorOfResult(result)?.message ?? resultText(result) }
        : { round: state.round, verdict: 'approved', by: reviewer, feedback: resultText(result) };
    } else if (failed.length > 0) {
      review = { round: state.round, verdict: 'rejected', by: 'planner', feedback: failureSummary(outcomes) };
    } else {
      review = { round: state.round, verdict: 'approved', by: 'planner' };
    }
    deps.emit({
      type: 'review',
      runId: state.runId,
      at: new Date().toISOString(),
      round: state.round,
      verdict: review.verdict,
      by: review.by,
      ...(review.feedback ? { feedback: review.feedback } : {}),
    });
    return { reviews: [review], feedback: review.verdict === 'rejected' ? review.feedback : undefined };
  };
}

/** After review: done, or back to plan with the feedback while rounds remain and the failure can be fixed. */
export function afterReview(state: RunStateValue): 'plan' | 'report' {
  const last = state.reviews.at(-1);
  if (last === undefined || last.verdict === 'approved') return 'report';
  if (isFinalFailure(currentOutcomes(state))) return 'report';
  return state.round < (state.planned?.review.maxRounds ?? 1) ? 'plan' : 'report';
}
