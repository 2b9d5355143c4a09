import type { RunEvent, ToolCallEvent } from '@switchboard/hub';

interface StepLine {
  id: string;
  role: string;
  state: string;
  round: number;
  via: string;
  tools: number;
  lastTool?: string;
  message?: string;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ICON: Record<string, string> = {
  succeeded: '✓',
  failed: '✗',
  cancelled: '⊘',
  timed_out: '⏱',
  queued: '·',
  blocked: '·',
  pending: '·',
};

function clip(text: string, max: number): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * What `switchboard run` shows while a run goes: on a terminal, a block redrawn in place (one line per
 * step with its state, the tool calls it made, a spinner); elsewhere, one timestamped line per event.
 */
export class RunProgress {
  private steps = new Map<string, StepLine>();
  private header = '';
  private notes: string[] = [];
  private drawn = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream & { columns?: number },
    private readonly live: boolean,
  ) {
    if (live) {
      this.timer = setInterval(() => this.draw(), 120);
      this.timer.unref();
    }
  }

  runEvent(event: RunEvent): void {
    switch (event.type) {
      case 'plan':
        this.header = `round ${event.round} · plan ${event.source}: ${event.steps.map((st) => `${st.id} (${st.role}${st.dependsOn.length ? `, after ${st.dependsOn.join(' + ')}` : ''})`).join(' · ')}`;
        for (const step of event.steps)
          this.steps.set(step.id, { id: step.id, role: step.role, state: 'pending', round: event.round, via: '', tools: 0 });
        this.line(this.header);
        break;
      case 'approval':
        this.note(`waiting for approval: ${event.steps.join(', ')}`);
        break;
      case 'step': {
        const line = this.steps.get(event.stepId) ?? {
          id: event.stepId,
          role: event.role,
          state: '',
          round: event.round,
          via: event.via,
          tools: 0,
        };
        Object.assign(line, { state: event.state, via: event.via, ...(event.message ? { message: event.message } : {}) });
        this.steps.set(event.stepId, line);
        this.line(
          `step ${event.stepId} (${event.role}${event.via === 'dag' ? ', scheduled' : ''}): ${event.state}${event.message ? ` — ${clip(event.message, 100)}` : ''}`,
        );
        break;
      }
      case 'review':
        this.note(`review (${event.by}): ${event.verdict}${event.feedback ? ` — ${clip(event.feedback, 100)}` : ''}`);
        break;
      case 'report':
        break;
    }
  }

  toolCall(call: ToolCallEvent): void {
    const role = call.principal.startsWith('agent:') ? call.principal.slice('agent:'.length) : undefined;
    if (role === undefined || call.tool.startsWith('agent__')) return;
    const step = [...this.steps.values()].find((s) => s.role === role && s.state === 'running');
    if (step) {
      step.tools++;
      step.lastTool = `${call.tool} ${call.outcome} ${Math.round(call.durationMs)} ms`;
    }
    this.line(`  ${role} → ${call.tool}: ${call.outcome} (${Math.round(call.durationMs)} ms)`);
  }

  /** Stops redrawing and leaves the final block on screen. */
  finish(): void {
    clearInterval(this.timer);
    if (this.live) this.draw(true);
  }

  private note(text: string): void {
    this.notes.push(text);
    if (this.notes.length > 4) this.notes.shift();
    this.line(text);
  }

  private line(text: string): void {
    if (!this.live) this.out.write(`[${new Date().toISOString().slice(11, 19)}] ${text}\n`);
  }

  private draw(final = false): void {
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    const spin = SPINNER[this.frame++ % SPINNER.length] as string;
    const lines = [clip(this.header || `${spin} planning…`, width)];
    for (const step of this.steps.values()) {
      const icon = step.state === 'running' ? (final ? '…' : spin) : (ICON[step.state] ?? '·');
      const detail = step.state === 'running' ? (step.lastTool ?? '') : (step.message ?? '');
      lines.push(
        clip(`  ${icon} ${step.id.padEnd(10)} ${step.role.padEnd(10)} ${step.state.padEnd(9)} ${step.tools} tool calls  ${detail}`, width),
      );
    }
    for (const note of this.notes) lines.push(clip(`  ${note}`, width));
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    this.out.write(`${up}\x1b[J${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}
