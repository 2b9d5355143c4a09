import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessage, type BaseMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { Annotation, END, type LangGraphRunnableConfig, START, StateGraph } from '@langchain/langgraph';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult, toErrorPayload } from '@switchboard/kit';
import type { Role } from '../../config/index.ts';
import { CALL_TOOL, FIND_TOOLS } from '../../discovery/index.ts';
import { decideTool } from '../../policy/index.ts';
import type { RetrievedContext } from '../../rag/index.ts';
import { renderContext } from '../../rag/index.ts';
import { approvalFailure } from '../agent/approval.ts';
import { retrieveNode } from '../agent/retrieve.ts';
import { type AgentEnv, type AgentFailure, resultText, type StepResult, type ToolCaller } from '../agent/types.ts';
import { functionSpecs } from './tool-specs.ts';

/** Tool output beyond this goes back to the model cut, with a note saying so (never silently). */
const MAX_TOOL_TEXT = 16_000;
/** Malformed replies in a row before the agent gives up. */
const MAX_MALFORMED = 3;

const add = <T>() => Annotation<T>({ reducer: (a: T, b: T) => ((a as number) + (b as number)) as T, default: () => 0 as T });

export const LlmAgentState = Annotation.Root({
  task: Annotation<string>,
  context: Annotation<Record<string, unknown>>,
  messages: Annotation<BaseMessage[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  turns: add<number>(),
  toolCalls: add<number>(),
  tokens: add<number>(),
  malformed: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
  results: Annotation<StepResult[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  failure: Annotation<AgentFailure | undefined>,
  answer: Annotation<string | undefined>,
  retrieved: Annotation<RetrievedContext | undefined>,
});

type State = typeof LlmAgentState.State;
type Update = typeof LlmAgentState.Update;

export function textOf(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  return content
    .map((block) => (typeof block === 'string' ? block : block.type === 'text' ? String((block as { text?: unknown }).text ?? '') : ''))
    .join('');
}

function systemPrompt(role: Role, state: State, tools: string[]): string {
  const parts = [
    role.prompt?.trim() || `You are the ${role.name} agent: ${role.description.trim()}`,
    tools.includes(FIND_TOOLS)
      ? `You have many tools: find the ones you need with ${FIND_TOOLS} { query } (it returns their names and input schemas), then call them with ${CALL_TOOL} { name, arguments }. A refused or failed call comes back as an error message: read it and adjust.`
      : `Use only these tools: ${tools.join(', ') || '(none)'}. A refused or failed call comes back as an error message: read it and adjust.`,
    'When you are done, answer in plain text without calling a tool.',
  ];
  if (state.retrieved) parts.push(`Context retrieved for this task (cite the [source] ids you use):\n${renderContext(state.retrieved)}`);
  return parts.join('\n\n');
}

function humanPrompt(state: State): string {
  const { steps: _explicit, run: _run, ...context } = state.context;
  const extra = Object.keys(context).length > 0 ? `\n\nContext (JSON):\n${JSON.stringify(context, null, 2)}` : '';
  return `Task: ${state.task}${extra}`;
}

function modelNode(role: Role) {
  return async (state: State, config: LangGraphRunnableConfig): Promise<Update> => {
    const { limits } = role;
    if (state.turns >= limits.maxSteps)
      return {
        failure: { code: 'LIMIT_EXCEEDED', message: `role '${role.name}' may take ${limits.maxSteps} model turns (limits.maxSteps)` },
      };
    const env = (config.configurable?.env ?? {}) as AgentEnv;
    const model = config.configurable?.model as BaseChatModel;
    const tools = env.listTools?.() ?? [];
    const start =
      state.messages.length === 0
        ? [
            new SystemMessage(
              systemPrompt(
                role,
                state,
                tools.map((t) => t.name),
              ),
            ),
            new HumanMessage(humanPrompt(state)),
          ]
        : [];
    const bound = model.bindTools ? model.bindTools(functionSpecs(tools)) : model;
    const reply = (await bound.invoke([...state.messages, ...start], { signal: env.signal })) as AIMessage;
    const usage = reply.usage_metadata;
    const used = usage ? (usage.total_tokens ?? (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0)) : 0;
    const update: Update = { messages: [...start, reply], turns: 1, tokens: used };
    if (state.tokens + used > limits.maxTokens)
      return {
        ...update,
        failure: {
          code: 'LIMIT_EXCEEDED',
          message: `role '${role.name}' used ${state.tokens + used} tokens; it may use ${limits.maxTokens} (limits.maxTokens)`,
        },
      };
    const calls = (reply.tool_calls?.length ?? 0) + (reply.invalid_tool_calls?.length ?? 0);
    if (calls === 0 && textOf(reply).trim() === '') {
      const malformed = state.malformed + 1;
      if (malformed >= MAX_MALFORMED)
        return {
          ...update,
          malformed,
          failure: { code: 'MODEL_OUTPUT_INVALID', message: `the model gave ${malformed} empty replies in a row` },
        };
      return {
        ...update,
        malformed,
        messages: [...start, reply, new HumanMessage('Your reply was empty. Call one of your tools, or answer in text.')],
      };
    }
    return update;
  };
}

function toolText(result: CallToolResult): string {
  const text = resultText(result) || JSON.stringify(result.structuredContent ?? {});
  return text.length <= MAX_TOOL_TEXT ? text : `${text.slice(0, MAX_TOOL_TEXT)}\n[cut: ${text.length - MAX_TOOL_TEXT} more characters]`;
}

/**
 * Runs the model's tool calls in order through the hub (policy, argument rules and audit apply under
 * the role's identity). A tool outside the role is refused here, before the hub, and the refusal goes
 * back to the model so it can recover; malformed calls likewise, up to MAX_MALFORMED in a row.
 */
function toolsNode(role: Role) {
  return async (state: State, config: LangGraphRunnableConfig): Promise<Update> => {
    const callTool = config.configurable?.callTool as ToolCaller;
    const env = (config.configurable?.env ?? {}) as AgentEnv;
    const reply = state.messages.at(-1) as AIMessage;
    const messages: BaseMessage[] = [];
    const results: StepResult[] = [];
    let toolCalls = 0;
    for (const bad of reply.invalid_tool_calls ?? []) {
      const why = `MODEL_OUTPUT_INVALID: your call to '${bad.name ?? '?'}' could not be read (${bad.error ?? 'arguments are not a JSON object'}); call it again with a JSON object`;
      messages.push(new ToolMessage({ content: why, tool_call_id: bad.id ?? 'invalid', status: 'error' }));
    }
    const malformed = (reply.invalid_tool_calls?.length ?? 0) > 0 ? state.malformed + 1 : 0;
    if (malformed >= MAX_MALFORMED)
      return {
        messages,
        malformed,
        failure: { code: 'MODEL_OUTPUT_INVALID', message: `the model sent unreadable tool calls ${malformed} times in a row` },
      };
    for (const call of reply.tool_calls ?? []) {
      const id = call.id ?? `call_${state.toolCalls + toolCalls}`;
      if (state.toolCalls + toolCalls >= role.limits.maxToolCalls)
        return {
          messages,
          results,
          toolCalls,
          malformed,
          failure: {
            code: 'LIMIT_EXCEEDED',
            message: `role '${role.name}' may make ${role.limits.maxToolCalls} tool calls (limits.maxToolCalls)`,
          },
        };
      // Through discovery the tool a call reaches is the one hub__call_tool names: the role's allowlist
      // and approvals apply to it; hub__find_tools only ever returns the role's own tools.
      const target = call.name === CALL_TOOL ? String((call.args as { name?: unknown }).name ?? '') : call.name;
      const decision = call.name === FIND_TOOLS ? ({ allowed: true } as const) : decideTool(`role '${role.name}'`, role.tools, target);
      if (!decision.allowed) {
        messages.push(
          new ToolMessage({ content: `ACL_DENIED: ${decision.reason}. Use one of your own tools.`, tool_call_id: id, status: 'error' }),
        );
        continue;
      }
      const refused = await approvalFailure(role, call.name === FIND_TOOLS ? [] : [target], state.context, env);
      if (refused !== undefined) return { messages, results, toolCalls, malformed, failure: refused };
      toolCalls++;
      let result: CallToolResult;
      try {
        result = await callTool(call.name, call.args as Record<string, unknown>);
      } catch (error) {
        const payload = toErrorPayload(error);
        result = { isError: true, content: [{ type: 'text', text: `${payload.code}: ${payload.message}` }] };
      }
      const text = toolText(result);
      const code = result.isError ? (errorOfResult(result)?.code ?? 'TOOL_ERROR') : undefined;
      messages.push(
        new ToolMessage({
          content: code && !text.startsWith(code) ? `${code}: ${text}` : text,
          tool_call_id: id,
          status: result.isError ? 'error' : 'success',
        }),
      );
      results.push({
        tool: call.name,
        arguments: call.args as Record<string, unknown>,
        isError: result.isError === true,
        text: resultText(result),
        ...(result.structuredContent ? { structuredContent: result.structuredContent as Record<string, unknown> } : {}),
      });
    }
    return { messages, results, toolCalls, malformed };
  };
}

function respond(state: State): Update {
  if (state.failure !== undefined) return {};
  const last = [...state.messages].reverse().find((m) => m.getType() === 'ai');
  return { answer: last ? textOf(last) : '' };
}

function afterModel(state: State): 'tools' | 'model' | 'respond' {
  if (state.failure !== undefined) return 'respond';
  const last = state.messages.at(-1);
  if (last?.getType() === 'human') return 'model';
  const reply = last as AIMessage;
  return (reply.tool_calls?.length ?? 0) + (reply.invalid_tool_calls?.length ?? 0) > 0 ? 'tools' : 'respond';
}

/**
 * The LLM role agent: (retrieve →) model ⇄ tools → respond. Limits: model turns (maxSteps), tool
 * calls, tokens (from the model's usage metadata) and the role's timeout (the caller's signal).
 * A model call that throws is retried by the node's retry policy, then fails the run.
 */
export function buildLlmAgentGraph(role: Role) {
  return new StateGraph(LlmAgentState)
    .addNode('retrieve', retrieveNode(role))
    .addNode('model', modelNode(role), { retryPolicy: { maxAttempts: 3, initialInterval: 200, jitter: false } })
    .addNode('tools', toolsNode(role))
    .addNode('respond', respond)
    .addConditionalEdges(START, () => (role.context === undefined ? 'model' : 'retrieve'), ['retrieve', 'model'])
    .addConditionalEdges('retrieve', (state) => (state.failure === undefined ? 'model' : 'respond'), ['model', 'respond'])
    .addConditionalEdges('model', afterModel, ['tools', 'model', 'respond'])
    .addConditionalEdges('tools', (state) => (state.failure === undefined ? 'model' : 'respond'), ['model', 'respond'])
    .addEdge('respond', END)
    .compile({ name: `agent__${role.name}:llm` });
}

export type LlmAgentGraph = ReturnType<typeof buildLlmAgentGraph>;
