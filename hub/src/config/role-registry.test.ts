import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadPlans, loadRoles } from './load-roles.ts';
import { RoleRegistry, type RoleSet } from './role-registry.ts';

const role = (name: string, tools: string) => `name: ${name}\ndescription: ${name} role\ntools: { allow: [${tools}] }\n`;
const plan = "name: p\nsteps: [{ id: a, role: coder, task: 'do it' }]\n";

function logger() {
  const warnings: { object: Record<string, unknown>; message: string }[] = [];
  return {
    warnings,
    info: () => {},
    warn: (object: object, message: string) => warnings.push({ object: object as Record<string, unknown>, message }),
  };
}

function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}

describe('roles hot reload', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  function fixture(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sb-roles-reload-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'plans'));
    writeFileSync(join(dir, 'coder.yaml'), role('coder', 'fs__write_file'));
    writeFileSync(join(dir, 'reader.yaml'), role('reader', 'fs__read_file'));
    writeFileSync(join(dir, 'plans', 'p.yaml'), plan);
    return dir;
  }
  const initial = (dir: string): RoleSet => ({ roles: loadRoles(dir), plans: loadPlans(dir) });

  it('picks up a changed, a new and a deleted role, and plans', () => {
    const dir = fixture();
    const registry = new RoleRegistry(dir, logger(), initial(dir));
    writeFileSync(join(dir, 'coder.yaml'), role('coder', 'fs__write_file, fs__edit_file'));
    writeFileSync(join(dir, 'ops.yaml'), role('ops', 'shell__run'));
    unlinkSync(join(dir, 'reader.yaml'));
    writeFileSync(join(dir, 'plans', 'q.yaml'), plan.replace('name: p', 'name: q'));
    const report = registry.reload();
    assert.deepEqual(report, { errors: [], changed: true });
    assert.deepEqual(
      registry.set.roles.map((r) => [r.name, r.tools.allow]),
      [
        ['coder', ['fs__write_file', 'fs__edit_file']],
        ['ops', ['shell__run']],
      ],
    );
    assert.deepEqual(
      registry.set.plans.map((p) => p.name),
      ['p', 'q'],
    );
    assert.equal(registry.reload().changed, false, 'nothing changed since');
  });

  it('a broken file keeps its previous version, and says why (file and key)', () => {
    const dir = fixture();
    const log = logger();
    const registry = new RoleRegistry(dir, log, initial(dir));
    writeFileSync(join(dir, 'coder.yaml'), `${role('coder', 'fs__write_file')}limits: { maxSteps: -1 }\n`);
    writeFileSync(join(dir, 'tester.yaml'), 'name: tester\n  bad: [yaml\n');
    const report = registry.reload();
    assert.equal(report.errors.length, 2);
    assert.match(report.errors[0]?.message ?? '', /coder\.yaml: limits\.maxSteps: /);
    assert.deepEqual(
      registry.set.roles.map((r) => [r.name, r.tools.allow]),
      [
        ['coder', ['fs__write_file']],
        ['reader', ['fs__read_file']],
      ],
    );
    assert.deepEqual(
      log.warnings.map((w) => [w.message, w.object.kept]),
      [
        ['role file invalid; keeping its previous version', true],
        ['role file invalid; not loaded', false],
      ],
    );
  });

  it('watches the directory and calls back with the new set', async () => {
    const dir = fixture();
    const registry = new RoleRegistry(dir, logger(), initial(dir));
    const seen: RoleSet[] = [];
    registry.watch((set) => seen.push(set), 20);
    try {
      writeFileSync(join(dir, 'analyst.yaml'), role('analyst', 'sql__query'));
      await until(() => seen.some((set) => set.roles.some((r) => r.name === 'analyst')), 'the new role');
      writeFileSync(join(dir, 'plans', 'p.yaml'), plan.replace("task: 'do it'", "task: 'do it twice'"));
      await until(() => seen.at(-1)?.plans[0]?.steps[0]?.task === 'do it twice', 'the changed plan');
    } finally {
      registry.close();
    }
  });
});
