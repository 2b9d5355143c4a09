import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@switchboard/kit';
import { HubConfigSchema, type LoadedConfig } from '../../src/config/index.ts';
import { serveHubHttp } from '../../src/faces/index.ts';
import { Hub } from '../../src/hub.ts';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const probePath = join(import.meta.dirname, '..', 'fixtures', 'probe-server.ts');
export const selfCommand = [process.execPath, join(repoRoot, 'bin', 'switchboard.mjs')];
export const testLogger = () => createLogger('hub-test', process.env.HUB_TEST_LOG ?? 'silent');

/** The probe fixture as a stdio upstream (or `--transport http` with extra args). */
export function probeUpstream(extra: Record<string, unknown> = {}, args: string[] = []) {
  return { command: process.execPath, args: ['--import', 'tsx', probePath, ...args], cwd: repoRoot, env: { LOG_LEVEL: 'warn' }, ...extra };
}

export function loadedConfig(config: Record<string, unknown>, dir: string): LoadedConfig {
  const parsed = HubConfigSchema.parse({
    auth: 'none',
    audit: { store: 'memory' },
    ...config,
    hub: { name: 'hub-test', dataDir: dir, ...(config.hub as object) },
  });
  return { config: parsed, source: '<test>', baseDir: dir, rolesDir: undefined };
}

export interface RunningHub {
  hub: Hub;
  /** The `/mcp` URL of its HTTP face. */
  url: string;
  origin: string;
  dir: string;
  close(): Promise<void>;
}

/** An in-process hub on a free loopback port with `auth: none`, data in a temp dir. */
export async function startHub(config: Record<string, unknown>): Promise<RunningHub> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-test-'));
  const hub = await Hub.start({ loaded: loadedConfig(config, dir), roles: [], logger: testLogger(), selfCommand });
  const face = await serveHubHttp(hub, '127.0.0.1', 0);
  return {
    hub,
    url: face.url,
    origin: new URL(face.url).origin,
    dir,
    close: async () => {
      await face.close();
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (not undefined/false), or fails naming what it waited for. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type TextBlock = { type: 'text'; text: string };
export const firstText = (result: unknown) => ((result as { content: TextBlock[] }).content[0] as TextBlock).text;
