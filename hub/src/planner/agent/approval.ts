import type { Role } from '../../config/index.ts';
import { matchesAnyGlob } from '../../policy/index.ts';
import type { AgentEnv, AgentFailure, RunRef } from './types.ts';

/** Whether calling these tools (or running the role at all) needs a human's approval first. */
export function needsApproval(role: Role, tools: readonly string[]): boolean {
  const gate = role.requiresApproval;
  if (gate === true) return true;
  if (gate === false) return false;
  return tools.some((tool) => matchesAnyGlob(tool, gate) !== undefined);
}

function runRefOf(context: Record<string, unknown>): RunRef | undefined {
  const run = context.run as { id?: unknown; step?: unknown } | undefined;
  return typeof run?.id === 'string' && typeof run.step === 'string' ? { id: run.id, step: run.step } : undefined;
}

/**
 * Undefined when the call may go ahead; else why not. Approvals are granted by a person on a planner
 * run (hub__approve), for one step of that run and the principal that started it: a direct call of
 * `agent__<role>` cannot approve itself, and a forged `context.run` finds no approval for its caller.
 */
export async function approvalFailure(
  role: Role,
  tools: readonly string[],
  context: Record<string, unknown>,
  env: AgentEnv,
): Promise<AgentFailure | undefined> {
  if (!needsApproval(role, tools)) return undefined;
  const what = role.requiresApproval === true ? `role '${role.name}'` : `role '${role.name}' calling ${tools.join(', ')}`;
  const run = runRefOf(context);
  if (run === undefined || env.approvals === undefined)
    return {
      code: 'APPROVAL_REQUIRED',
      message: `${what} needs a person's approval first: submit the task with hub__run_task, then approve the run with hub__approve`,
    };
  if (await env.approvals(run, role.name, env.principal?.onBehalfOf ?? env.principal?.id)) return undefined;
  return { code: 'APPROVAL_REQUIRED', message: `${what}: step '${run.step}' of run '${run.id}' has not been approved` };
}
