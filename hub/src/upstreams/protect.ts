import { basename, delimiter, isAbsolute, resolve } from 'node:path';
import type { LoadedConfig } from '../config/index.ts';
import { pinFileOf } from './tool-pins.ts';

/**
 * What the hub's own fs and shell servers must never touch, whatever their roots: the hub's
 * configuration, roles (a role that may write files could otherwise grant itself more tools), data
 * directory (tasks, audit, pins) and secret files. Handed to built-in servers as SWITCHBOARD_PROTECT.
 */
export function protectedPaths(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  const { config, baseDir, rolesDir, source } = loaded;
  const paths = [resolve(baseDir, config.hub.dataDir), pinFileOf(baseDir, config.hub)];
  // `source` is the file as named on the command line (maybe relative); baseDir is its directory.
  if (!source.startsWith('<')) paths.push(resolve(baseDir, basename(source)));
  if (rolesDir !== undefined) paths.push(rolesDir);
  // Docker/Kubernetes secrets the config reads through NAME_FILE (config/interpolate.ts).
  for (const [name, value] of Object.entries(env)) if (name.endsWith('_FILE') && value && isAbsolute(value)) paths.push(value);
  paths.push(...(env.SWITCHBOARD_PROTECT?.split(delimiter).filter(Boolean) ?? []));
  return [...new Set(paths)];
}
