import type { RunDeps } from '../deps.ts';
import type { RunReport, RunStatus } from '../plan-model.ts';
import type { RunStateUpdate, RunStateValue } from '../run-state.ts';
import { failureSummary, rootFailures } from './review.ts';

/** Later rounds win: the artifacts are those of the round that passed. */
function collectArtifacts(state: RunStateValue): Record<string, unknown> {
  const artifacts: Record<string, unknown> = {};
  for (const outcome of state.outcomes) {
    const declared = outcome.state === 'succeeded' ? outcome.output?.artifacts : undefined;
    if (declared && typeof declared === 'object') Object.assign(artifacts, declared);
  }
  return artifacts;
}

export function buildReport(state: RunStateValue): RunReport {
  const lastReview = state.reviews.at(-1);
  const status: RunStatus = state.rejected ? 'rejected' : !state.failure && lastReview?.verdict === 'approved' ? 'succeeded' : 'failed';
  const current = state.outcomes.filter((o) => o.round === state.round);
  let error: RunReport['error'];
  if (state.failure) error = state.failure;
  else if (state.rejected)
    error = {
      code: 'APPROVAL_REJECTED',
      message: `rejected by ${state.rejected.by}${state.rejected.note ? `: ${state.rejected.note}` : ''}`,
    };
  else if (status === 'failed') {
    const cause = rootFailures(current)[0]?.error?.code ?? 'REVIEW_REJECTED';
    error = { code: cause, message: lastReview?.feedback ?? failureSummary(current) };
  }
  const artifacts = collectArtifacts(state);
  const rounds = Math.max(state.round, 1);
  const done = current.filter((o) => o.state === 'succeeded').length;
  const summary =
    status === 'succeeded'
      ? `succeeded in ${rounds} round${rounds === 1 ? '' : 's'}: ${done} step${done === 1 ? '' : 's'} done${Object.keys(artifacts).length ? `, ${Object.keys(artifacts).length} artifacts` : ''}`
      : `${status} after ${rounds} round${rounds === 1 ? '' : 's'}: ${error?.message.split('\n')[0] ?? ''}`;
  return {
    runId: state.runId,
    task: state.task,
    status,
    rounds,
    plan: { source: state.planned?.source ?? 'none', steps: state.planned?.steps ?? [] },
    steps: state.outcomes,
    artifacts,
    reviews: state.reviews,
    approvals: state.approvals,
    ...(error ? { error } : {}),
    summary,
  };
}

/** report: the run's result, stored in the checkpoint (so `hub__run_status` reads it after a restart). */
export function reportNode(deps: RunDeps) {
  return (state: RunStateValue): RunStateUpdate => {
    const report = buildReport(state);
    deps.emit({ type: 'report', runId: state.runId, at: new Date().toISOString(), report });
    return { finalReport: report };
  };
}
