import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  type BatchSubmission,
  BatchSubmissionSchema,
  type DagSubmission,
  DagSubmissionSchema,
  type Submission,
  type TaskSubmission,
  TaskSubmissionSchema,
} from './contracts.ts';
import { DagError, validateDag } from './dag.ts';
import { TaskApiError } from './errors.ts';
import { fingerprintOf } from './fingerprint.ts';
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS, roleOf, type TaskPrincipal, type TaskRecord } from './task-model.ts';

export type ParsedSubmission =
  | { kind: 'task'; body: TaskSubmission }
  | { kind: 'dag'; body: DagSubmission }
  | { kind: 'batch'; body: BatchSubmission };

/** Picks the shape by its key (`steps` → DAG, `batch` → batch, else one task) so errors name the right fields. */
export function parseSubmission(raw: unknown): ParsedSubmission {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new TaskApiError(
      'INVALID_ARGUMENT',
      'the body must be a JSON object: a task { target, input }, a DAG { steps } or a batch { batch }',
    );
  if ('steps' in raw) return { kind: 'dag', body: check(DagSubmissionSchema, raw) };
  if ('batch' in raw) return { kind: 'batch', body: check(BatchSubmissionSchema, raw) };
  return { kind: 'task', body: check(TaskSubmissionSchema, raw) };
}

function check<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path =
    issue?.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') ?? '';
  const field = path || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
  const what = issue?.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map((k) => `'${k}'`).join(', ')}` : issue?.message;
  throw new TaskApiError('INVALID_ARGUMENT', `${field ? `${field}: ` : ''}${what}`, field || undefined);
}

export interface SubmitContext {
  principal: TaskPrincipal | null;
  correlationId: string;
  now: number;
  /** Says why a target cannot be called (unknown tool, …), or undefined when it can. */
  checkTarget?: (target: string, principal: TaskPrincipal | null) => string | undefined;
}

/** The rows a submission becomes, before dependencies on existing tasks and idempotency are resolved. */
export interface SubmissionPlan {
  root: TaskRecord;
  /** Rows to insert; `root` is among them unless it is deduplicated away. */
  rows: TaskRecord[];
  /** For batches: per-member idempotency keys, resolved inside the transaction. */
  memberKeys: { index: number; key: string; fingerprint: string }[];
  /** Ids of existing tasks the rows depend on (single tasks' dependsOn). */
  externalDeps: string[];
}

const newId = () => randomUUID();

function deadlineOf(body: { deadline?: string; timeoutMs?: number }, now: number, field: string): number | null {
  const candidates: number[] = [];
  if (body.deadline !== undefined) candidates.push(Date.parse(body.deadline));
  if (body.timeoutMs !== undefined) candidates.push(now + body.timeoutMs);
  if (candidates.length === 0) return null;
  const deadline = Math.min(...candidates);
  if (deadline <= now)
    throw new TaskApiError('INVALID_ARGUMENT', `the deadline ${new Date(deadline).toISOString()} has already passed`, field);
  return deadline;
}

/** A new row with the defaults, as one literal (keys in one order: every row has the same shape). */
function baseRow(ctx: SubmitContext, kind: TaskRecord['kind']): TaskRecord {
  return {
    id: newId(),
    parentId: null,
    stepId: null,
    target: '',
    input: {},
    role: 'default',
    state: 'queued',
    priority: 0,
    fairSeq: 0,
    attempts: 0,
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    backoff: DEFAULT_BACKOFF,
    deadline: null,
    runAt: ctx.now,
    dependsOn: [],
    members: [],
    idempotencyScope: null,
    idempotencyKey: null,
    fingerprint: null,
    result: null,
    error: null,
    principal: ctx.principal,
    correlationId: ctx.correlationId,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    startedAt: null,
    finishedAt: null,
    kind,
  };
}

/** A task's row; `body` may carry dependsOn and idempotencyKey, which the callers resolve. */
function taskRow(body: Omit<TaskSubmission, 'dependsOn' | 'idempotencyKey'>, ctx: SubmitContext, field: string): TaskRecord {
  const problem = ctx.checkTarget?.(body.target, ctx.principal);
  if (problem !== undefined) throw new TaskApiError('INVALID_ARGUMENT', problem, `${field}target`);
  const deadline = deadlineOf(body, ctx.now, `${field}${body.deadline !== undefined ? 'deadline' : 'timeoutMs'}`);
  const row = baseRow(ctx, 'task');
  row.target = body.target;
  row.input = body.input;
  row.role = roleOf(body.target, ctx.principal);
  row.priority = body.priority ?? 0;
  row.maxAttempts = body.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  row.backoff = body.backoff ?? DEFAULT_BACKOFF;
  row.deadline = deadline;
  return row;
}

const scopeOf = (principal: TaskPrincipal | null) => principal?.id ?? '';

/** Turns a validated submission into rows (ids assigned, DAG checked, deadlines resolved). */
export function planSubmission(parsed: ParsedSubmission, ctx: SubmitContext): SubmissionPlan {
  if (parsed.kind === 'task') {
    const { idempotencyKey, dependsOn = [], ...rest } = parsed.body;
    const row = taskRow(rest, ctx, '');
    row.dependsOn = [...new Set(dependsOn)];
    if (idempotencyKey !== undefined) Object.assign(row, keyed(ctx, idempotencyKey, parsed.body));
    return { root: row, rows: [row], memberKeys: [], externalDeps: row.dependsOn };
  }
  if (parsed.kind === 'dag') {
    let ordered: DagSubmission['steps'];
    try {
      ordered = validateDag(parsed.body.steps);
    } catch (error) {
      if (error instanceof DagError) throw new TaskApiError('INVALID_ARGUMENT', error.message, error.field);
      throw error;
    }
    const group = baseRow(ctx, 'dag');
    if (parsed.body.idempotencyKey !== undefined) Object.assign(group, keyed(ctx, parsed.body.idempotencyKey, parsed.body));
    const ids = new Map(parsed.body.steps.map((s) => [s.id, newId()]));
    const steps = ordered.map((step) => {
      const index = parsed.body.steps.indexOf(step);
      const { id, dependsOn = [], ...rest } = step;
      const row = taskRow({ ...rest, priority: rest.priority ?? parsed.body.priority }, ctx, `steps[${index}].`);
      return Object.assign(row, {
        id: ids.get(id) as string,
        parentId: group.id,
        stepId: id,
        dependsOn: [...new Set(dependsOn)].map((dep) => ids.get(dep) as string),
      });
    });
    group.members = parsed.body.steps.map((s) => ids.get(s.id) as string);
    group.priority = parsed.body.priority ?? 0;
    return { root: group, rows: [group, ...steps], memberKeys: [], externalDeps: [] };
  }
  const group = baseRow(ctx, 'batch');
  const memberKeys: SubmissionPlan['memberKeys'] = [];
  const members = parsed.body.batch.map((body, index) => {
    const { idempotencyKey, dependsOn = [] } = body;
    const row = taskRow(body, ctx, `batch[${index}].`);
    row.parentId = group.id;
    row.dependsOn = [...new Set(dependsOn)];
    if (idempotencyKey !== undefined) {
      const stamp = keyed(ctx, idempotencyKey, body);
      Object.assign(row, stamp);
      memberKeys.push({ index, key: idempotencyKey, fingerprint: stamp.fingerprint });
    }
    return row;
  });
  group.members = members.map((m) => m.id);
  return { root: group, rows: [group, ...members], memberKeys, externalDeps: [...new Set(members.flatMap((m) => m.dependsOn))] };
}

function keyed(ctx: SubmitContext, key: string, body: unknown) {
  return { idempotencyScope: scopeOf(ctx.principal), idempotencyKey: key, fingerprint: fingerprintOf(body) };
}

export type { Submission };
