import { END, START, StateGraph } from '@langchain/langgraph';
import type { Role } from '../config/index.ts';
import { actNode, afterAct } from './nodes/act.ts';
import { planNode } from './nodes/plan.ts';
import { respondNode } from './nodes/respond.ts';
import { retrieveNode } from './nodes/retrieve.ts';
import { AgentState } from './state.ts';

/**
 * planner → act (once per step) → respond. Each tool call is its own superstep, so LangGraph's
 * recursion limit and per-node policies bound the loop rather than a hand-written while.
 */
export function buildRoleAgentGraph(role: Role) {
  // A role with `context` retrieves first: retrieve → planner (or respond when retrieval failed).
  return new StateGraph(AgentState)
    .addNode('retrieve', retrieveNode(role))
    .addNode('planner', planNode(role))
    .addNode('act', actNode(role))
    .addNode('respond', respondNode)
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
