/** How a caller proved who it is. */
export type PrincipalKind = 'local' | 'api-key' | 'jwt' | 'agent' | 'anonymous';

/**
 * Who is calling, resolved by a face before anything runs: stdio and the CLI are the local user,
 * HTTP callers are an API key or a JWT subject, and a role agent calls under its own role.
 */
export interface Principal {
  /** Stable and prefixed by kind: `local:alice`, `key:ci`, `jwt:alice@example.com`, `agent:reader`. */
  id: string;
  /** The role whose policy applies. */
  role: string;
  kind: PrincipalKind;
  /** For agents: the principal that called `agent__<role>`. */
  onBehalfOf?: string;
}

/** The identity a role agent's own tool calls run under: its role, not its caller's. */
export function agentPrincipal(role: string, caller: Principal): Principal {
  return { id: `agent:${role}`, role, kind: 'agent', onBehalfOf: caller.id };
}
