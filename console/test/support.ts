// Helpers for the console's browser tests: a hub on the mock config with its own data dir, seeded
// data, the built bundle, and Debian's headless Chromium driven by playwright-core.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAuditStore } from '@switchboard/hub';
import { type BrowserContext, chromium } from 'playwright-core';
import { repoRoot, type Started, startListening } from '../../test/support/processes.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ADMIN_KEY = 'sb-test-admin-key-not-a-secret';
export const READER_KEY = 'sb-test-reader-key-not-a-secret';
export const screenshotDir = join(repoRoot, '.tmp', 'console-screenshots');

/** Why the browser tests cannot run here, or undefined. With REQUIRE_SERVICES=1 the caller fails instead of skipping. */
export function browserMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;
}

/** The hub serves console/dist: build it if this checkout has none yet (make install does this too). */
export function ensureBundle(): void {
  if (existsSync(join(repoRoot, 'console', 'dist', 'index.html'))) return;
  const built = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-console.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the console failed (node scripts/build-console.mjs)');
}

/** `rows` audit records from the past hour, written before the hub opens the file. */
export async function seedAudit(dataDir: string, rows: number): Promise<void> {
  const store = new SqliteAuditStore(join(dataDir, 'audit.db'));
  const start = Date.now() - 3_600_000;
  const tools = ['sql__query', 'redis__get', 'fs__stat', 's3__list_objects'];
  for (let i = 0; i < rows; i++) {
    const startedAt = start + Math.floor((i * 3_000_000) / rows);
    await store.record(
      {
        id: `seed-${i}`,
        instance: 'seed',
        startedAt,
        principal: i % 3 ? 'key:seed-batch' : 'key:seed-ci',
        role: 'admin',
        tool: tools[i % tools.length] as string,
        argsDigest: 'sha256:seed',
        argKeys: ['key'],
        correlationId: `seed-${i}`,
        depth: 0,
      },
      {
        finishedAt: startedAt + 3,
        outcome: i % 17 === 0 ? 'error' : 'ok',
        durationMs: 3,
        ...(i % 17 === 0 ? { errorCode: 'NOT_FOUND' } : {}),
      },
    );
  }
  await store.close();
}

export interface TestHub extends Started {
  base: string;
  dataDir: string;
}

export async function startHubOn(dataDir: string): Promise<Started & { base: string }> {
  const started = await startListening(['serve', '--http', '--port', '0', '--config', 'config/switchboard.test.yaml'], 120_000, {
    SWITCHBOARD_DATA_DIR: dataDir,
  });
  return { ...started, base: new URL(started.url).origin };
}

/** Submits `count` small tasks over the REST API, a few at a time. */
export async function seedTasks(base: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const response = await fetch(`${base}/v1/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ target: 'fs__stat', input: { path: 'hello.txt' }, priority: -1, idempotencyKey: `console-seed-${i}` }),
      });
      if (response.status >= 300) throw new Error(`seeding task ${i}: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Chromium with a fresh profile of its own, removed on close. */
export async function launch(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  mkdirSync(screenshotDir, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'sb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 120_000,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
