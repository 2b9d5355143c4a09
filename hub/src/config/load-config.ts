import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, configErrorFromZod } from './errors.ts';
import { type HubConfig, HubConfigSchema } from './hub-schema.ts';
import { interpolateEnv } from './interpolate.ts';

export interface LoadedConfig {
  config: HubConfig;
  /** The file read, or `<embedded defaults>`. */
  source: string;
  /** Directory relative paths in the config resolve against. */
  baseDir: string;
  /** Absolute roles directory, if any. */
  rolesDir: string | undefined;
}

export const DEFAULT_CONFIG_FILE = 'switchboard.yaml';

/**
 * The configuration used when there is no switchboard.yaml: the fs server over `./work` (the CLI creates it on
 * demand by the server, never the directory holding this config or the roles), served on loopback.
 * Without tokens (`auth: none`: the local user already owns this machine, and binding wider is
 * refused), unless SWITCHBOARD_API_KEY_SHA256 names an admin key, as a container run needs.
 */
export function embeddedDefaults(env: NodeJS.ProcessEnv = process.env): unknown {
  const keyHash = env.SWITCHBOARD_API_KEY_SHA256;
  return {
    hub: { name: 'switchboard', http: { host: '127.0.0.1', port: 7700 } },
    upstreams: { fs: { server: 'fs', args: ['--root', './work'] } },
    auth: keyHash ? { apiKeys: [{ id: 'default', role: 'admin', sha256: keyHash }] } : 'none',
  };
}

/** Parses YAML text into a validated config; every failure names `source` and the key. */
export function parseHubConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): HubConfig {
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: true }) ?? {};
  } catch (error) {
    throw new ConfigError(source, '', `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(source, '', 'expected a mapping at the top level');
  const parsed = HubConfigSchema.safeParse(interpolateEnv(raw, env, source));
  if (!parsed.success) throw configErrorFromZod(source, parsed.error);
  return parsed.data;
}

/**
 * Loads `file`, else ./switchboard.yaml when present, else the embedded defaults.
 * `defaultRolesDir` applies when the config names no roles directory.
 */
export function loadHubConfig(
  options: { file?: string; cwd?: string; defaultRolesDir?: string; env?: NodeJS.ProcessEnv } = {},
): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const candidate = options.file ?? (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined);
  if (candidate === undefined) {
    const parsed = HubConfigSchema.safeParse(embeddedDefaults(env));
    if (!parsed.success) throw configErrorFromZod('<embedded defaults>', parsed.error);
    const config = parsed.data;
    return { config, source: '<embedded defaults>', baseDir: cwd, rolesDir: options.defaultRolesDir };
  }
  const path = resolve(cwd, candidate);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(candidate, '', `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const config = parseHubConfig(text, candidate, env);
  const baseDir = dirname(path);
  const rolesDir = config.roles === undefined ? options.defaultRolesDir : resolve(baseDir, config.roles);
  return { config, source: candidate, baseDir, rolesDir };
}
