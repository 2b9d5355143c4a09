import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessage, type BaseMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { textOf } from '../llm/agent-graph.ts';
import { PlanOutputSchema, planProblem, type RunInput, type RunPlan } from './plan-model.ts';
import { PlanError, type PlanningContext } from './task-planner.ts';

export const SUBMIT_PLAN = 'submit_plan';

const planTool = {
  type: 'function' as const,
  function: {
    name: SUBMIT_PLAN,
    description: 'Submit the plan: the role calls that carry the task out, with dependencies between them.',
    parameters: (() => {
      const { $schema: _ignored, ...schema } = z.toJSONSchema(PlanOutputSchema, { io: 'input' }) as Record<string, unknown>;
      return schema;
    })(),
  },
};

function systemPrompt(ctx: PlanningContext): string {
  const roles = ctx.roles
    .map((role) => `- ${role.name}: ${role.description.trim().replace(/\s+/g, ' ')} (tools: ${role.tools.allow.join(', ') || 'none'})`)
    .join('\n');
  return [
    'You plan work for a team of role agents. Split the task into steps, each carried out by one role.',
    `Roles:\n${roles}`,
    `Call ${SUBMIT_PLAN} once with at most ${ctx.maxSteps} steps. Give each step a short id, the role, a self-contained task, ` +
      'and `dependsOn` for steps that need an earlier step’s result. Steps without dependencies run in parallel.',
  ].join('\n\n');
}

/** The plan in the model's reply: the submit_plan call's arguments, or JSON in the text. */
function candidateOf(reply: AIMessage): unknown {
  const call = reply.tool_calls?.find((c) => c.name === SUBMIT_PLAN);
  if (call) return call.args;
  const bad = reply.invalid_tool_calls?.find((c) => c.name === SUBMIT_PLAN);
  if (bad) throw new Error(`the ${SUBMIT_PLAN} arguments are not valid JSON (${bad.error ?? 'unreadable'})`);
  const text = textOf(reply)
    .trim()
    .replace(/^```(?:json)?\s*|\s*```$/g, '');
  if (text === '') throw new Error(`no ${SUBMIT_PLAN} call and no text`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`no ${SUBMIT_PLAN} call, and the text is not a JSON plan`);
  }
}

/**
 * Asks the model for a plan as structured output (a `submit_plan` tool call validated by zod, or a
 * JSON reply). A malformed or invalid plan goes back to the model with the reason; after
 * `maxAttempts` the run fails with MODEL_OUTPUT_INVALID naming the last problem.
 */
export async function planWithModel(
  model: BaseChatModel,
  input: RunInput,
  ctx: PlanningContext,
  options: { maxAttempts: number; signal?: AbortSignal },
): Promise<RunPlan> {
  const bound = model.bindTools ? model.bindTools([planTool]) : model;
  const feedback = ctx.feedback ? `\n\nThe previous round was rejected by review:\n${ctx.feedback}\nPlan the rework.` : '';
  const context = Object.keys(input.context).length > 0 ? `\n\nContext (JSON):\n${JSON.stringify(input.context, null, 2)}` : '';
  const messages: BaseMessage[] = [new SystemMessage(systemPrompt(ctx)), new HumanMessage(`Task: ${input.task}${context}${feedback}`)];
  const roleNames = new Set(ctx.roles.map((r) => r.name));
  let problem = '';
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const reply = (await bound.invoke(messages, { signal: options.signal })) as AIMessage;
    messages.push(reply);
    try {
      const parsed = PlanOutputSchema.safeParse(candidateOf(reply));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${issue?.path.join('.') || 'plan'}: ${issue?.message}`);
      }
      const invalid = planProblem(parsed.data.steps, roleNames, ctx.maxSteps);
      if (invalid) throw new Error(invalid);
      return {
        source: 'llm',
        steps: parsed.data.steps,
        review: { ...(roleNames.has('reviewer') ? { role: 'reviewer' } : {}), maxRounds: 2 },
        ...(parsed.data.acceptance ? { acceptance: parsed.data.acceptance } : {}),
      };
    } catch (error) {
      problem = (error as Error).message;
      const why = `Invalid plan: ${problem}. Call ${SUBMIT_PLAN} again with a corrected plan.`;
      // Every tool call gets its answer (providers insist); a plain reply gets a human turn.
      const ids = [...(reply.tool_calls ?? []), ...(reply.invalid_tool_calls ?? [])].map((c) => c.id).filter((id) => id !== undefined);
      if (ids.length === 0) messages.push(new HumanMessage(why));
      for (const id of ids) messages.push(new ToolMessage({ content: why, tool_call_id: id as string, status: 'error' }));
    }
  }
  throw new PlanError('MODEL_OUTPUT_INVALID', `the model gave no valid plan in ${options.maxAttempts} attempts; last problem: ${problem}`);
}
