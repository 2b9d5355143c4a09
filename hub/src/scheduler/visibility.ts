import type { TaskPrincipal, TaskRecord } from './task-model.ts';

/**
 * Who may see and cancel a task: its submitter, or the `admin` role (which sees every tool already).
 * Another caller is told there is no such task, so ids of others' work leak nothing, not even existence.
 * No viewer means the hub itself (sweeps, the planner, the console's admin-checked routes).
 */
export interface TaskViewer {
  id: string;
  role?: string | undefined;
}

export const ADMIN_VIEWER_ROLE = 'admin';

export function seesAll(viewer: TaskViewer | null | undefined): boolean {
  return viewer === undefined || viewer === null || viewer.role === ADMIN_VIEWER_ROLE;
}

export function visibleTo(task: Pick<TaskRecord, 'principal'>, viewer: TaskViewer | null | undefined): boolean {
  return seesAll(viewer) || (task.principal as TaskPrincipal | null)?.id === viewer?.id;
}

/** The store filter that narrows a listing to what `viewer` may see. */
export function ownerFilter(viewer: TaskViewer | null | undefined): { principalId?: string } {
  return seesAll(viewer) ? {} : { principalId: (viewer as TaskViewer).id };
}
