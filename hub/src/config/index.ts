export { ConfigError, configErrorFromZod, keyPath } from './errors.ts';
export { type HubConfig, HubConfigSchema, type UpstreamSpec } from './hub-schema.ts';
export { interpolateEnv } from './interpolate.ts';
export { DEFAULT_CONFIG_FILE, embeddedDefaults, type LoadedConfig, loadHubConfig, parseHubConfig } from './load-config.ts';
export { loadRoles, parseRole } from './load-roles.ts';
export { authNoneRefusal, isLoopbackHost } from './loopback.ts';
export {
  AccessRoleSchema,
  type AccessRoleSpec,
  type ArgumentConstraint,
  type ArgumentRule,
  RoleNameSchema,
} from './policy-schema.ts';
export { type Playbook, type PlaybookStep, type Role, type RoleContext, RoleContextSchema, RoleSchema } from './role-schema.ts';
export type { ApiKeyConfig, AuditConfig, AuthConfig, JwtConfig, QuotaRule } from './security-schema.ts';
