import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadedConfig, loadHubConfig, parseHubConfig } from '@switchboard/hub';
import { stringify } from 'yaml';

export const UP_DEFAULTS_SOURCE = '<switchboard up defaults>';

/**
 * What `switchboard up` runs without a config: every server that needs no outside service, on this
 * machine's disk. Files in ./work (fs, shell and rag's index_path see only that), the hub's state in
 * ./data (tasks.db, audit.db) and the RAG index in ./data/rag — never inside ./work, so no tool can
 * reach the audit log or the task store. Loopback without tokens, unless SWITCHBOARD_API_KEY_SHA256
 * names an admin key.
 */
export function upDefaults(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const keyHash = env.SWITCHBOARD_API_KEY_SHA256;
  return {
    hub: { name: 'switchboard', http: { host: '127.0.0.1', port: 7700 }, dataDir: './data' },
    upstreams: {
      fs: { server: 'fs', args: ['--root', './work'] },
      shell: { server: 'shell', args: ['--root', './work', '--allow', 'ls,cat,head,tail,wc,grep,find,git'] },
      rag: { server: 'rag', args: ['--data', './data/rag', '--root', './work'] },
    },
    auth: keyHash ? { apiKeys: [{ id: 'default', role: 'admin', sha256: keyHash }] } : 'none',
    tasks: { store: 'sqlite' },
    audit: { store: 'sqlite' },
  };
}

/** `--config FILE`, else ./switchboard.yaml, else the defaults above (creating ./work and ./data unless `create` is false). */
export function loadUpConfig(file: string | undefined, defaultRolesDir: string, cwd = process.cwd(), create = true): LoadedConfig {
  const loaded = loadHubConfig({ ...(file ? { file } : {}), cwd, defaultRolesDir });
  if (loaded.source !== '<embedded defaults>') return loaded;
  const config = parseHubConfig(stringify(upDefaults()), UP_DEFAULTS_SOURCE);
  if (create) for (const dir of ['work', 'data']) mkdirSync(join(cwd, dir), { recursive: true, mode: 0o700 });
  return { config, source: UP_DEFAULTS_SOURCE, baseDir: cwd, rolesDir: defaultRolesDir };
}
