import { END, START, StateGraph } from '@langchain/langgraph';
import type { Role } from '../../config/index.ts';
import { actNode, afterAct } from './act.ts';
import { planNode } from './plan.ts';
import { respondNode } from './respond.ts';
import { retrieveNode } from './retrieve.ts';
import { AgentState } from './state.ts';

/**
 * The no-LLM role agent: (retrieve →) planner → act (once per tool step) → respond. Each tool call
 * is its own superstep, so LangGraph's recursion limit bounds the loop rather than a hand-written while.
 */
export function buildRoleAgentGraph(role: Role) {
  return new StateGraph(AgentState)
    .addNode('retrieve', retrieveNode(role))
    .addNode('planner', planNode(role))
    .addNode('act', actNode(role))
    .addNode('respond', respondNode(role))
    .addConditionalEdges(START, () => (role.context === undefined ? 'planner' : 'retrieve'), ['retrieve', 'planner'])
    .addConditionalEdges('retrieve', (state) => (state.failure === undefined ? 'planner' : 'respond'), ['planner', 'respond'])
    .addConditionalEdges('planner', (state) => (state.failure !== undefined || state.plan.length === 0 ? 'respond' : 'act'), [
      'act',
      'respond',
    ])
    .addConditionalEdges('act', afterAct, ['act', 'respond'])
    .addEdge('respond', END)
    .compile({ name: `agent__${role.name}` });
}

export type RoleAgentGraph = ReturnType<typeof buildRoleAgentGraph>;
