import type { Role } from '../../config/index.ts';
import { renderContext } from '../../rag/index.ts';
import { renderTemplate, renderText } from '../template.ts';
import { varsAt } from './act.ts';
import type { AgentStateUpdate, AgentStateValue } from './state.ts';

/**
 * The answer is the playbook's `answer` template, else what the steps returned, in order: for one
 * read, exactly the file's text. A plan without steps on retrieved context answers with the passages
 * under their source ids. The playbook's `output` template becomes the structured output.
 */
export function respondNode(role: Role) {
  return (state: AgentStateValue): AgentStateUpdate => {
    if (state.failure !== undefined) return {};
    const playbook = role.playbooks.find((p) => p.name === state.planSource);
    const vars = varsAt(state);
    const output = playbook?.output ? (renderTemplate(playbook.output, vars) as Record<string, unknown>) : undefined;
    if (playbook?.answer !== undefined) return { answer: renderText(playbook.answer, vars), output };
    if (state.plan.length === 0 && state.retrieved !== undefined) return { answer: renderContext(state.retrieved), output };
    return { answer: state.results.map((result) => result.text).join('\n\n'), output };
  };
}
