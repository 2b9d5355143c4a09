import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hub, loadHubConfig, loadRoles } from '@switchboard/hub';
import { createLogger } from '@switchboard/kit';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const defaultRolesDir = join(repoRoot, 'roles');
const selfCommand = [process.execPath, join(repoRoot, 'bin', 'switchboard.mjs')];

/** Loads the config (file, ./switchboard.yaml, or embedded defaults) and the roles, then starts the hub. */
export async function startHub(configFile: string | undefined, options: { waitForAllUpstreams?: boolean } = {}): Promise<Hub> {
  const loaded = loadHubConfig({ ...(configFile ? { file: configFile } : {}), defaultRolesDir });
  const roles = loadRoles(loaded.rolesDir);
  if (loaded.source === '<embedded defaults>') mkdirSync(join(loaded.baseDir, 'work'), { recursive: true });
  const logger = createLogger('hub');
  logger.info({ config: loaded.source, roles: roles.map((r) => r.name), upstreams: Object.keys(loaded.config.upstreams) }, 'starting hub');
  // `serve` starts serving after hub.startupWaitMs; a one-shot command wants the whole catalogue.
  return Hub.start({
    loaded,
    roles,
    logger,
    selfCommand,
    ...(options.waitForAllUpstreams ? { startupWaitMs: Number.POSITIVE_INFINITY } : {}),
  });
}
