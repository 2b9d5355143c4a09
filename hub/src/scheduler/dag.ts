import type { DagStepSubmission } from './contracts.ts';

export class DagError extends Error {
  override readonly name = 'DagError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Checks a DAG's steps: unique ids, dependencies that name steps of this DAG, no self-dependency and
 * no cycle. Returns the steps in a topological order. Errors name the field (steps[i].dependsOn …).
 */
export function validateDag(steps: DagStepSubmission[]): DagStepSubmission[] {
  const index = new Map<string, number>();
  steps.forEach((step, i) => {
    if (index.has(step.id))
      throw new DagError(`step id '${step.id}' is used twice (steps[${index.get(step.id)}] and steps[${i}])`, `steps[${i}].id`);
    index.set(step.id, i);
  });
  steps.forEach((step, i) => {
    for (const dep of step.dependsOn ?? []) {
      if (!index.has(dep))
        throw new DagError(`step '${step.id}' depends on '${dep}', which is not a step of this DAG`, `steps[${i}].dependsOn`);
      if (dep === step.id) throw new DagError(`step '${step.id}' depends on itself`, `steps[${i}].dependsOn`);
    }
  });
  // Kahn's algorithm: whatever cannot be ordered sits on a cycle.
  const indegree = new Map(steps.map((s) => [s.id, new Set(s.dependsOn ?? []).size]));
  const dependants = new Map<string, string[]>();
  for (const step of steps) for (const dep of new Set(step.dependsOn ?? [])) dependants.set(dep, [...(dependants.get(dep) ?? []), step.id]);
  const ready = steps.filter((s) => indegree.get(s.id) === 0).map((s) => s.id);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const next of dependants.get(id) ?? []) {
      const left = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < steps.length) {
    const cyclic = steps.filter((s) => !order.includes(s.id)).map((s) => s.id);
    throw new DagError(`the steps form a cycle: ${describeCycle(steps, new Set(cyclic))}`, 'steps');
  }
  return order.map((id) => steps[index.get(id) as number] as DagStepSubmission);
}

/** Walks dependencies inside the unordered set until a step repeats: `a → b → c → a`. */
function describeCycle(steps: DagStepSubmission[], cyclic: Set<string>): string {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const start = [...cyclic][0] as string;
  const path = [start];
  let current = start;
  for (;;) {
    const next = (byId.get(current)?.dependsOn ?? []).find((dep) => cyclic.has(dep)) as string;
    const seen = path.indexOf(next);
    if (seen >= 0) return [...path.slice(seen), next].join(' → ');
    path.push(next);
    current = next;
  }
}
