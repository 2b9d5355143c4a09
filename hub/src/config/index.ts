export { type DiscoveryConfig, DiscoverySchema } from './discovery-schema.ts';
export { ConfigError, configErrorFromZod, keyPath } from './errors.ts';
export { type NamesConfig, type ProfileSpec, ProfilesSchema, type SelectorSpec } from './exposure-schema.ts';
export { type HubConfig, HubConfigSchema, type UpstreamSpec } from './hub-schema.ts';
export { interpolateEnv } from './interpolate.ts';
export { DEFAULT_CONFIG_FILE, embeddedDefaults, type LoadedConfig, loadHubConfig, parseHubConfig } from './load-config.ts';
export { loadPlans, loadRoles, PLANS_SUBDIR, parsePlan, parseRole } from './load-roles.ts';
export { authNoneRefusal, isLoopbackHost } from './loopback.ts';
export { type PlanTemplate, PlanTemplateSchema, type PlanTemplateStep, type ReviewSpec } from './plan-schema.ts';
export { type PlannerConfig, PlannerConfigSchema } from './planner-schema.ts';
export {
  AccessRoleSchema,
  type AccessRoleSpec,
  type ArgumentConstraint,
  type ArgumentRule,
  RoleNameSchema,
} from './policy-schema.ts';
export { type ReloadReport, RoleRegistry, type RoleSet } from './role-registry.ts';
export {
  type ModelSpec,
  ModelSpecSchema,
  type Playbook,
  type PlaybookStep,
  type Role,
  type RoleContext,
  RoleContextSchema,
  type RoleLimits,
  RoleSchema,
} from './role-schema.ts';
export type { ApiKeyConfig, AuditConfig, AuthConfig, JwtConfig, QuotaRule } from './security-schema.ts';
export type { UpstreamAuthSpec } from './upstream-access-schema.ts';
