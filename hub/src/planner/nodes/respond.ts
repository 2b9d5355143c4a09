import { renderContext } from '../../rag/index.ts';
import type { AgentStateUpdate, AgentStateValue } from '../state.ts';

/**
 * The answer is what the steps returned, in order: for one read, exactly the file's text. A plan
 * without steps on retrieved context answers with the passages under their source ids.
 */
export function respondNode(state: AgentStateValue): AgentStateUpdate {
  if (state.failure !== undefined) return {};
  if (state.plan.length === 0 && state.retrieved !== undefined) return { answer: renderContext(state.retrieved) };
  return { answer: state.results.map((result) => result.text).join('\n\n') };
}
