import { interrupt } from '@langchain/langgraph';
import type { RunDeps } from '../deps.ts';
import type { ApprovalDecision, ApprovalRequest, Grant } from '../plan-model.ts';
import type { RunStateUpdate, RunStateValue } from '../run-state.ts';

/**
 * approve: before anything of this round runs, every step whose role is marked `requiresApproval`
 * (the role, or some of its tools) and has no approval yet makes the run wait: `interrupt()` stores
 * the request in the checkpoint, and `hub__approve` / `hub__reject` resume it with a decision.
 */
export function approveNode(deps: RunDeps) {
  return (state: RunStateValue): RunStateUpdate => {
    const roles = new Map(deps.roles().map((role) => [role.name, role]));
    const granted = new Set(state.approvals.map((g) => `${g.stepId}\u0000${g.role}`));
    const pending = (state.planned?.steps ?? []).filter((step) => {
      const gate = roles.get(step.role)?.requiresApproval ?? false;
      return gate !== false && !granted.has(`${step.id}\u0000${step.role}`);
    });
    if (pending.length === 0) return {};
    const request: ApprovalRequest = {
      kind: 'approval',
      runId: state.runId,
      round: state.round,
      steps: pending.map((step) => {
        const gate = roles.get(step.role)?.requiresApproval;
        const why =
          gate === true ? `role '${step.role}' requires approval` : `role '${step.role}' may call ${(gate as string[]).join(', ')}`;
        return { id: step.id, role: step.role, task: step.task, why };
      }),
    };
    deps.emit({ type: 'approval', runId: state.runId, at: new Date().toISOString(), round: state.round, steps: pending.map((s) => s.id) });
    const decision = interrupt<ApprovalRequest, ApprovalDecision>(request);
    if (!decision.approved) return { rejected: decision };
    const at = new Date().toISOString();
    const grants: Grant[] = pending.map((step) => ({
      stepId: step.id,
      role: step.role,
      by: decision.by,
      at,
      ...(decision.note ? { note: decision.note } : {}),
    }));
    return { approvals: grants };
  };
}

export function afterApprove(state: RunStateValue): 'dispatch' | 'report' {
  return state.rejected ? 'report' : 'dispatch';
}
