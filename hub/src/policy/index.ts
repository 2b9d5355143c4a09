export { type Decision, decideTool, type ToolRules } from './allowlist.ts';
export { type ArgumentViolation, checkArguments, describeConstraint } from './arguments.ts';
export {
  AUDIT_OUTCOMES,
  type AuditFinish,
  type AuditOutcome,
  type AuditQuery,
  type AuditRecord,
  type AuditStart,
  type AuditStore,
  canonicalJson,
  digestArguments,
  MemoryAuditStore,
  openAuditStore,
  PostgresAuditStore,
  SqliteAuditStore,
  sqliteAuditFile,
  type ToolFlag,
  toolFlagRecord,
} from './audit/index.ts';
export { CallGate, type CallGateDeps, type GateCall } from './gate.ts';
export { matchesAnyGlob, toolGlobToRegExp } from './glob.ts';
export { normalisePathArgument, pathGlobToRegExp } from './path-glob.ts';
export { type AccessRole, ADMIN_ROLE, DISCOVERY_TOOL_NAMES, Policy, type PolicyDecision } from './policy.ts';
export { agentPrincipal, type Principal, type PrincipalKind } from './principal.ts';
export { type Clock, type QuotaDecision, QuotaLimiter, type QuotaTicket, systemClock } from './quota.ts';
