import type { TaskRecord } from '../task-model.ts';

// The parameters of INSERT_FRESH (postgres-sql.ts): one array per column that varies per row, one value
// per column a submission's rows share. Built in one pass over the rows, with no JSON document around
// them that Postgres would have to take apart again.

/** Separates JSON texts in one parameter: JSON.stringify writes control characters escaped, never raw. */
const SEPARATOR = '\u001e';
const EMPTY_LIST = '[]';

const ESCAPED = /["\\]/;
/**
 * A text[] literal, as node-pg writes one from an array (each element quoted, `"` and `\` escaped), but
 * built here: node-pg runs two regex replaces and its value conversion on every element.
 */
function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    if (i > 0) out += ',';
    out += v === null ? 'NULL' : ESCAPED.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`;
  }
  return `${out}}`;
}

/** An int[] / bigint[] literal. */
const numberArray = (values: readonly (number | null)[]) => `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;

/** A JSON column's text as the other stores write it (sql-rows.ts); '' is string_to_array's null marker. */
const jsonText = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));
const listText = (list: readonly string[]) => (list.length === 0 ? EMPTY_LIST : JSON.stringify(list));

/**
 * The rows of one fresh submission (planSubmission: one parent, principal, correlation id and time for
 * all, nothing run yet): anything else is a caller's mistake, refused rather than stored differently.
 */
function sharedOf(rows: readonly TaskRecord[]) {
  const first = rows[0];
  if (first === undefined) throw new Error('insertFresh: no rows');
  const parent = rows.find((r) => r.kind === 'task')?.parentId ?? null;
  const principal = jsonText(first.principal);
  for (const r of rows) {
    const fresh =
      r.parentId === (r.kind === 'task' ? parent : null) &&
      r.correlationId === first.correlationId &&
      (r.principal === first.principal || jsonText(r.principal) === principal) &&
      r.createdAt === first.createdAt &&
      r.updatedAt === first.createdAt &&
      r.runAt === first.createdAt &&
      r.attempts === 0 &&
      r.idempotencyScope === null &&
      r.idempotencyKey === null &&
      r.fingerprint === null &&
      r.result === null &&
      r.error === null &&
      r.leaseOwner === null &&
      r.leaseUntil === null &&
      r.startedAt === null &&
      r.finishedAt === null;
    if (!fresh) throw new Error(`insertFresh: row ${r.id} is not part of one fresh submission`);
  }
  return { parent, principal: principal === '' ? null : principal, correlationId: first.correlationId, time: first.createdAt };
}

/** INSERT_FRESH's parameters ($1 … $23, in its order) for these rows; arrays as Postgres array literals. */
export function freshParams(rows: readonly TaskRecord[], now: number): unknown[] {
  const shared = sharedOf(rows);
  const n = rows.length;
  const ids = new Array<string>(n);
  const kinds = new Array<string>(n);
  const stepIds = new Array<string | null>(n);
  const targets = new Array<string>(n);
  const roles = new Array<string>(n);
  const states = new Array<string>(n);
  const priorities = new Array<number>(n);
  const maxAttempts = new Array<number>(n);
  const deadlines = new Array<number | null>(n);
  const offsets = new Array<number | null>(n);
  const inputs = new Array<string>(n);
  const backoffs = new Array<string>(n);
  const dependsOn = new Array<string>(n);
  const members = new Array<string>(n);
  const edgeTasks: string[] = [];
  const edgeDeps: string[] = [];
  // Tasks per role: each gets its distance from the role's last position in this submission.
  const counts = new Map<string, number>();
  for (const r of rows) if (r.kind === 'task') counts.set(r.role, (counts.get(r.role) ?? 0) + 1);
  const seen = new Map<string, number>();
  // Rows mostly share one backoff object (the default): its text once.
  let lastBackoff: unknown;
  let lastBackoffText = '';
  for (let i = 0; i < n; i++) {
    const r = rows[i] as TaskRecord;
    ids[i] = r.id;
    kinds[i] = r.kind;
    stepIds[i] = r.stepId;
    targets[i] = r.target;
    roles[i] = r.role;
    states[i] = r.state;
    priorities[i] = r.priority;
    maxAttempts[i] = r.maxAttempts;
    deadlines[i] = r.deadline;
    if (r.kind === 'task') {
      const index = seen.get(r.role) ?? 0;
      seen.set(r.role, index + 1);
      offsets[i] = (counts.get(r.role) as number) - 1 - index;
    } else offsets[i] = null;
    inputs[i] = jsonText(r.input);
    if (r.backoff !== lastBackoff || i === 0) {
      lastBackoff = r.backoff;
      lastBackoffText = jsonText(r.backoff);
    }
    backoffs[i] = lastBackoffText;
    dependsOn[i] = listText(r.dependsOn);
    members[i] = listText(r.members);
    if (r.dependsOn.length > 0)
      for (const dep of new Set(r.dependsOn)) {
        edgeTasks.push(r.id);
        edgeDeps.push(dep);
      }
  }
  return [
    textArray(ids),
    textArray(kinds),
    textArray(stepIds),
    textArray(targets),
    textArray(roles),
    textArray(states),
    numberArray(priorities),
    numberArray(maxAttempts),
    numberArray(deadlines),
    numberArray(offsets),
    inputs.join(SEPARATOR),
    backoffs.join(SEPARATOR),
    dependsOn.join(SEPARATOR),
    members.join(SEPARATOR),
    textArray([...counts.keys()]),
    numberArray([...counts.values()]),
    textArray(edgeTasks),
    textArray(edgeDeps),
    shared.parent,
    shared.principal,
    shared.correlationId,
    shared.time,
    now,
  ];
}
