import type { ArgumentRule, HubConfig, Role } from '../config/index.ts';
import { ConfigError } from '../config/index.ts';
import { decideTool, type ToolRules } from './allowlist.ts';
import { checkArguments, describeConstraint } from './arguments.ts';
import type { Principal } from './principal.ts';

/** What a principal's role may do, wherever the role was defined. */
export interface AccessRole {
  name: string;
  tools: ToolRules;
  arguments: readonly ArgumentRule[];
  /** Where it was defined, for rule names in errors: `roles/dev.yaml`, `policy.roles.dev`, `built-in`. */
  origin: string;
}

export type PolicyDecision =
  | { allowed: true }
  | {
      allowed: false;
      /** The rule that refused, e.g. `roles/reader.yaml tools.allow`, `policy.roles.dev arguments[0]`. */
      rule: string;
      reason: string;
      /** The argument at fault, for argument rules. */
      field?: string;
    };

/**
 * Tools every role may use unless its `deny` names them: hub__find_tools only ever returns, and
 * hub__call_tool only ever runs, what the role allows anyway (each inner call is checked on its own).
 */
export const DISCOVERY_TOOL_NAMES: ReadonlySet<string> = new Set(['hub__find_tools', 'hub__call_tool']);

/** A role's tool rules as they apply to `tool`. */
function rulesFor(role: AccessRole, tool: string) {
  return DISCOVERY_TOOL_NAMES.has(tool) ? { allow: ['*'], deny: role.tools.deny } : role.tools;
}

/** The built-in role of the local user unless configured otherwise: every tool. */
export const ADMIN_ROLE: AccessRole = { name: 'admin', tools: { allow: ['*'], deny: [] }, arguments: [], origin: 'built-in' };

/**
 * Principals → roles → allowed tools and argument rules. Roles come from roles/*.yaml (the agent
 * roles), from `policy.roles` in switchboard.yaml, and the built-in `admin` (redefinable). Pure.
 */
export class Policy {
  private constructor(private roles: ReadonlyMap<string, AccessRole>) {}

  /** Takes another policy's roles (roles/*.yaml hot reload): everyone holding this policy sees them at once. */
  replaceRoles(from: Policy): void {
    this.roles = from.roles;
  }

  static of(roles: AccessRole[]): Policy {
    return new Policy(new Map(roles.map((role) => [role.name, role])));
  }

  /** Builds the policy and checks every role the config refers to exists; errors name the key. */
  static fromConfig(config: HubConfig, yamlRoles: readonly Role[], source: string): Policy {
    const roles = new Map<string, AccessRole>([['admin', ADMIN_ROLE]]);
    for (const role of yamlRoles) roles.set(role.name, { ...role, origin: `roles/${role.name}.yaml` });
    for (const [name, spec] of Object.entries(config.policy.roles)) {
      const existing = roles.get(name);
      if (existing !== undefined && existing.origin !== 'built-in')
        throw new ConfigError(source, `policy.roles.${name}`, `role '${name}' is already defined by ${existing.origin}`);
      roles.set(name, { name, tools: spec.tools, arguments: spec.arguments, origin: `policy.roles.${name}` });
    }
    const policy = new Policy(roles);
    const refs: [string, string | undefined][] = [
      ['principals.local.role', config.principals.local.role],
      ...config.auth.apiKeys.map((key, i): [string, string] => [`auth.apiKeys[${i}].role`, key.role]),
      ['auth.jwt.defaultRole', config.auth.jwt?.defaultRole],
      ...config.quotas.flatMap((quota, i) => (quota.roles ?? []).map((role, j): [string, string] => [`quotas[${i}].roles[${j}]`, role])),
    ];
    for (const [key, role] of refs) {
      if (role !== undefined && !policy.has(role))
        throw new ConfigError(source, key, `no role '${role}' (roles: ${policy.roleNames().join(', ')})`);
    }
    return policy;
  }

  has(role: string): boolean {
    return this.roles.has(role);
  }

  roleNames(): string[] {
    return [...this.roles.keys()].sort();
  }

  /** A role as the policy applies it (for the console and `switchboard roles`), or undefined. */
  role(name: string): AccessRole | undefined {
    return this.roles.get(name);
  }

  /** Tool allowed? Arguments within the role's rules? Deny wins; an unknown role may do nothing. */
  check(principal: Principal, tool: string, args: Record<string, unknown>): PolicyDecision {
    const role = this.roles.get(principal.role);
    if (role === undefined)
      return {
        allowed: false,
        rule: 'principal role',
        reason: `principal '${principal.id}' has role '${principal.role}', which is not defined`,
      };
    const decision = decideTool(`role '${role.name}'`, rulesFor(role, tool), tool);
    if (!decision.allowed) return { allowed: false, rule: `${role.origin} ${decision.rule}`, reason: decision.reason };
    const broken = checkArguments(role.arguments, tool, args);
    if (broken === undefined) return { allowed: true };
    return {
      allowed: false,
      rule: `${role.origin} arguments[${broken.rule}]`,
      field: broken.field,
      reason: `role '${role.name}' may call '${tool}' only when argument '${broken.field}' ${broken.expected}`,
    };
  }

  /** What `tools/list` shows: tools the role's globs allow (argument rules narrow calls, not the list). */
  canSee(principal: Principal, tool: string): boolean {
    const role = this.roles.get(principal.role);
    return role !== undefined && decideTool(role.name, rulesFor(role, tool), tool).allowed;
  }

  /** The argument rules on `tool` for this principal, in words, or undefined when there are none. */
  describeScope(principal: Principal, tool: string): string | undefined {
    const role = this.roles.get(principal.role);
    if (role === undefined) return undefined;
    const lines = role.arguments
      .filter((rule) => rule.tools.some((glob) => decideTool('', { allow: [glob], deny: [] }, tool).allowed))
      .flatMap((rule) =>
        Object.entries(rule.where).map(([field, c]) => `'${field}' ${describeConstraint(c)}${c.optional ? ' when given' : ''}`),
      );
    return lines.length === 0 ? undefined : `Policy for role '${role.name}': ${lines.join('; ')}.`;
  }
}
