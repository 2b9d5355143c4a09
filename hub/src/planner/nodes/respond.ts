import type { AgentStateUpdate, AgentStateValue } from '../state.ts';

/** The answer is what the steps returned, in order: for one read, exactly the file's text. */
export function respondNode(state: AgentStateValue): AgentStateUpdate {
  if (state.failure !== undefined) return {};
  return { answer: state.results.map((result) => result.text).join('\n\n') };
}
