// The Cytoscape side of the DAG view, in its own chunk (loaded on a task's page only).
import cytoscape, { type Core } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import type { TaskState } from '../types.ts';
import { type DagEdge, type DagNode, STATE_COLOURS } from './dag-model.ts';

cytoscape.use(dagre);

// Cytoscape adds an inline <style> (its container is `position: relative`) unless an element with this
// id exists. The hub's CSP refuses inline styles, and style.css holds the same rule: mark it present.
const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';
function markStylesheetPresent(): void {
  if (document.getElementById(CYTOSCAPE_STYLESHEET_ID) !== null) return;
  const marker = document.createElement('meta');
  marker.id = CYTOSCAPE_STYLESHEET_ID;
  document.head.prepend(marker);
}

export interface DagGraph {
  setState(stepId: string, state: TaskState): void;
  /** What the graph shows now, read back from Cytoscape: node id → [state, rendered colour]. */
  rendered(): Record<string, { state: string; colour: string }>;
  destroy(): void;
}

export function createGraph(container: HTMLElement, elements: (DagNode | DagEdge)[], onSelect: (stepId: string) => void): DagGraph {
  markStylesheetPresent();
  const cy: Core = cytoscape({
    container,
    elements,
    userZoomingEnabled: true,
    boxSelectionEnabled: false,
    autoungrabify: true,
    minZoom: 0.3,
    maxZoom: 2,
    style: [
      {
        selector: 'node',
        style: {
          shape: 'round-rectangle',
          width: 170,
          height: 46,
          'background-color': 'data(colour)',
          label: 'data(label)',
          'text-wrap': 'wrap',
          'text-max-width': '160px',
          'text-valign': 'center',
          'text-halign': 'center',
          color: '#ffffff',
          'font-size': 12,
          'font-family': 'system-ui, sans-serif',
          'border-width': 0,
          'transition-property': 'background-color',
          'transition-duration': 250,
        },
      },
      { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#1f2933' } },
      {
        selector: 'edge',
        style: {
          width: 2,
          'line-color': '#9aa5b1',
          'target-arrow-color': '#9aa5b1',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
        },
      },
    ],
    layout: { name: 'dagre', rankDir: 'LR', nodeSep: 24, rankSep: 60, padding: 16 } as cytoscape.LayoutOptions,
  });
  cy.on('tap', 'node', (event) => onSelect(event.target.id()));
  return {
    setState(stepId, state) {
      cy.getElementById(stepId).data({ state, colour: STATE_COLOURS[state] });
    },
    rendered() {
      const out: Record<string, { state: string; colour: string }> = {};
      cy.nodes().forEach((node) => {
        out[node.id()] = { state: node.data('state'), colour: node.data('colour') };
      });
      return out;
    },
    destroy() {
      cy.destroy();
    },
  };
}
