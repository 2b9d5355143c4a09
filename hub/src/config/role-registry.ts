import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { PLANS_SUBDIR, parsePlan, parseRole, yamlFiles } from './load-roles.ts';
import type { PlanTemplate } from './plan-schema.ts';
import type { Role } from './role-schema.ts';

export interface RoleSet {
  roles: Role[];
  plans: PlanTemplate[];
}

export interface ReloadReport {
  /** Files that failed to parse; their previous version (if any) is still in use. */
  errors: { file: string; message: string }[];
  changed: boolean;
}

interface Logger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * The roles and plan templates of a roles directory, kept current: `reload()` re-reads every file,
 * and a file that no longer parses keeps its last good version (the error is logged and reported),
 * so a typo in one role never takes the others — or that role — away. `watch()` reloads on change.
 */
export class RoleRegistry {
  private good = new Map<string, Role | PlanTemplate>();
  private current: RoleSet;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
    initial: RoleSet,
  ) {
    for (const role of initial.roles) this.good.set(join(dir, `${role.name}.yaml`), role);
    for (const plan of initial.plans) this.good.set(join(dir, PLANS_SUBDIR, `${plan.name}.yaml`), plan);
    this.current = initial;
  }

  get set(): RoleSet {
    return this.current;
  }

  /** Re-reads the directory now. Deleted files drop their role; broken ones keep the previous version. */
  reload(): ReloadReport {
    const errors: ReloadReport['errors'] = [];
    const next = new Map<string, Role | PlanTemplate>();
    const read = (file: string, parseOne: (text: string, source: string) => Role | PlanTemplate) => {
      try {
        next.set(file, parseOne(readFileSync(file, 'utf8'), file));
      } catch (error) {
        const message = (error as Error).message;
        errors.push({ file, message });
        const previous = this.good.get(file);
        if (previous !== undefined) next.set(file, previous);
        this.logger.warn(
          { file, error: message, kept: previous !== undefined },
          previous ? 'role file invalid; keeping its previous version' : 'role file invalid; not loaded',
        );
      }
    };
    try {
      for (const file of yamlFiles(this.dir)) read(file, parseRole);
      for (const file of yamlFiles(join(this.dir, PLANS_SUBDIR), true)) read(file, parsePlan);
    } catch (error) {
      // The directory itself went away or became unreadable: keep everything as it was.
      errors.push({ file: this.dir, message: (error as Error).message });
      this.logger.warn({ dir: this.dir, error: (error as Error).message }, 'roles directory unreadable; keeping the loaded roles');
      return { errors, changed: false };
    }
    const roles = [...next.values()].filter((item): item is Role => 'tools' in item).sort((a, b) => a.name.localeCompare(b.name));
    const plans = [...next.values()]
      .filter((item): item is PlanTemplate => !('tools' in item))
      .sort((a, b) => a.name.localeCompare(b.name));
    const changed = JSON.stringify({ roles, plans }) !== JSON.stringify(this.current);
    this.good = next;
    this.current = { roles, plans };
    return { errors, changed };
  }

  /** Reloads (debounced) whenever a file in the directory or its plans/ folder changes. */
  watch(onChange: (set: RoleSet) => void, debounceMs = 150): void {
    const trigger = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        const report = this.reload();
        if (report.changed) {
          this.logger.info(
            { roles: this.current.roles.map((r) => r.name), plans: this.current.plans.map((p) => p.name) },
            'roles reloaded',
          );
          onChange(this.current);
        }
      }, debounceMs);
      this.timer.unref();
    };
    for (const dir of [this.dir, join(this.dir, PLANS_SUBDIR)]) {
      try {
        const watcher = watch(dir, { persistent: false }, trigger);
        watcher.on('error', () => {});
        this.watchers.push(watcher);
      } catch {
        // plans/ may not exist; the roles directory itself was read at start.
      }
    }
  }

  close(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers.splice(0)) watcher.close();
  }
}
