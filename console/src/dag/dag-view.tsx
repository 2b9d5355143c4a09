import { useEffect, useRef, useState } from 'preact/hooks';
import type { StepDetail, TaskState } from '../types.ts';
import { elementsOf, STATE_COLOURS } from './dag-model.ts';
import type { DagGraph } from './graph.ts';

type StepShape = Pick<StepDetail, 'id' | 'taskId' | 'target' | 'dependsOn'>;

/**
 * The plan as a graph (Cytoscape + dagre, loaded on demand), nodes coloured by state. Beside it, the
 * same nodes as a list for screen readers (and tests), with the state and colour Cytoscape holds.
 */
export function DagView(props: { steps: StepShape[]; states: Record<string, TaskState>; onSelect(stepId: string): void }) {
  const container = useRef<HTMLDivElement>(null);
  const graph = useRef<DagGraph | null>(null);
  const [rendered, setRendered] = useState<Record<string, { state: string; colour: string }>>({});
  const [failed, setFailed] = useState<string | null>(null);
  const shape = JSON.stringify(props.steps.map((s) => [s.id, s.dependsOn]));
  const statesRef = useRef(props.states);
  statesRef.current = props.states;
  // Rebuilt only when the graph's shape changes; states are applied by the effect below.
  useEffect(() => {
    let cancelled = false;
    import('./graph.ts')
      .then(({ createGraph }) => {
        if (cancelled || !container.current) return;
        const steps = props.steps.map((s) => ({ ...s, state: statesRef.current[s.id] ?? 'queued' }));
        graph.current = createGraph(container.current, elementsOf(steps), props.onSelect);
        setRendered(graph.current.rendered());
      })
      .catch((error: Error) => setFailed(error.message));
    return () => {
      cancelled = true;
      graph.current?.destroy();
      graph.current = null;
    };
  }, [shape]);

  useEffect(() => {
    if (!graph.current) return;
    for (const [id, state] of Object.entries(props.states)) graph.current.setState(id, state);
    setRendered(graph.current.rendered());
  }, [props.states]);

  return (
    <div class="dag">
      <div class="dag-canvas" ref={container} data-testid="dag-canvas" />
      {failed && <p class="error">The graph could not be drawn: {failed}</p>}
      <ul class="dag-nodes" aria-label="steps and their states" data-testid="dag-nodes">
        {Object.entries(rendered).map(([id, node]) => (
          <li key={id} data-step={id} data-state={node.state} data-colour={node.colour}>
            <span class="swatch" style={{ background: node.colour }} /> {id}: {node.state.replace('_', ' ')}
          </li>
        ))}
      </ul>
      <div class="legend" aria-hidden="true">
        {Object.entries(STATE_COLOURS).map(([state, colour]) => (
          <span key={state}>
            <span class="swatch" style={{ background: colour }} /> {state.replace('_', ' ')}
          </span>
        ))}
      </div>
    </div>
  );
}
