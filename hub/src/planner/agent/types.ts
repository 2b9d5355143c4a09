import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import type { Principal } from '../../policy/index.ts';

export type ToolCaller = (name: string, args: Record<string, unknown>) => Promise<CallToolResult>;

/** Which run and step an agent call belongs to, when the planner made it (`context.run`). */
export interface RunRef {
  id: string;
  step: string;
}

/** Asks the planner whether a human approved this step of this run for this role. */
export type ApprovalCheck = (run: RunRef, role: string, onBehalfOf: string | undefined) => Promise<boolean>;

/** What the hub gives an agent besides its input: who called it, approvals, and its visible tools. */
export interface AgentEnv {
  principal?: Principal;
  approvals?: ApprovalCheck;
  /** The tools this role may see (LLM mode binds them to the model). */
  listTools?: () => Tool[];
  signal?: AbortSignal;
}

/**
 * A failure of an agent run. Codes are the kit's (ACL_DENIED, LIMIT_EXCEEDED, TIMEOUT, …) plus the
 * planner's own: CHECK_FAILED (a playbook `fail:` step held), APPROVAL_REQUIRED, MODEL_OUTPUT_INVALID.
 */
export interface AgentFailure {
  code: string;
  message: string;
  field?: string;
}

/** One executed tool call. */
export interface StepResult {
  id?: string;
  tool: string;
  arguments: Record<string, unknown>;
  isError: boolean;
  text: string;
  structuredContent?: Record<string, unknown>;
}

export function resultText(result: CallToolResult): string {
  return result.content
    .filter((block): block is { type: 'text'; text: string } => block.type === 'text')
    .map((block) => block.text)
    .join('\n');
}

/** An `isError` result carrying the failure in `_meta['switchboard/error']`, as the kit's errors do. */
export function failureResult(failure: AgentFailure, structuredContent?: Record<string, unknown>): CallToolResult {
  const where = failure.field === undefined ? '' : ` (field '${failure.field}')`;
  return {
    isError: true,
    content: [{ type: 'text', text: `${failure.code}: ${failure.message}${where}` }],
    _meta: { 'switchboard/error': { ...failure } },
    ...(structuredContent ? { structuredContent } : {}),
  };
}
