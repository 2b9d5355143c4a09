import { EventEmitter } from 'node:events';
import { Command } from '@langchain/langgraph';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { PlannerConfig, PlanTemplate, Role } from '../../config/index.ts';
import type { Principal } from '../../policy/index.ts';
import type { Scheduler } from '../../scheduler/index.ts';
import type { ApprovalCheck } from '../agent/types.ts';
import { failureResult } from '../agent/types.ts';
import type { ModelProvider } from '../llm/model-factory.ts';
import { type OpenCheckpointer, openCheckpointer } from './checkpointer.ts';
import type { RunDeps, RunEvent } from './deps.ts';
import type { ApprovalDecision, RunInput } from './plan-model.ts';
import { compileRunGraph, type RunGraph } from './run-graph.ts';
import { RunApiError, type RunView, viewOf } from './run-view.ts';
import { dagRunner } from './schedule-dag.ts';

/** The hub__ tool that plans and runs a task: also the scheduler target of every run. */
export const RUN_TOOL = 'hub__run_task';

/** What the planner needs from the hub. */
export interface PlannerHost {
  callTool(
    name: string,
    args: Record<string, unknown>,
    options: { principal: Principal; correlationId: string; signal?: AbortSignal },
  ): Promise<CallToolResult>;
  readonly scheduler: Scheduler;
  roles(): readonly Role[];
  plans(): readonly PlanTemplate[];
  models: ModelProvider;
}

interface Logger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** What the scheduler hands a run's execution (a start, a resume after a crash, or after a decision). */
export interface ExecuteInput extends RunInput {
  runId?: string;
  resume?: ApprovalDecision;
}

/**
 * Planner runs: each run is a scheduler task (target hub__run_task, so it is stored, leased and
 * recovered like any task) whose execution drives the LangGraph run graph on the thread `runId`
 * (= the first task's id). Progress is checkpointed; a re-execution after a crash continues from the
 * last checkpoint; an approval submits another task that resumes the interrupted graph.
 */
export class PlannerService {
  readonly events = new EventEmitter<{ event: [RunEvent] }>();
  private readonly graph: RunGraph;
  /** Runs a decision was submitted for and whose resume task has not run yet (this hub). */
  private readonly resuming = new Map<string, string>();

  private constructor(
    private readonly config: PlannerConfig,
    private readonly host: PlannerHost,
    private readonly checkpoints: OpenCheckpointer,
    readonly logger: Logger,
  ) {
    this.events.setMaxListeners(0);
    const deps: RunDeps = {
      roles: () => host.roles(),
      plans: () => host.plans(),
      settings: { mode: config.mode, maxSteps: config.maxSteps, maxPlanAttempts: config.maxPlanAttempts },
      plannerModel: () => host.models(undefined),
      callAgent: (role, input, call) =>
        host.callTool(`agent__${role}`, input, {
          principal: call.principal,
          correlationId: call.correlationId,
          ...(call.signal ? { signal: call.signal } : {}),
        }),
      runDag: dagRunner(host.scheduler),
      emit: (event) => this.events.emit('event', event),
    };
    this.graph = compileRunGraph(deps, checkpoints.saver);
  }

  static async open(config: PlannerConfig, dataDir: string, host: PlannerHost, logger: Logger): Promise<PlannerService> {
    const checkpoints = await openCheckpointer(config.checkpoint, dataDir);
    logger.info({ checkpoints: checkpoints.location, mode: config.mode }, 'planner ready');
    return new PlannerService(config, host, checkpoints, logger);
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  /** Stores a new run (a task) and answers its view at once. */
  async start(input: RunInput, caller: { principal: Principal; correlationId: string }): Promise<RunView> {
    const { task } = await this.host.scheduler.submit(
      { target: RUN_TOOL, input: input as unknown as Record<string, unknown>, timeoutMs: this.config.runTimeoutMs, maxAttempts: 5 },
      { principal: caller.principal, correlationId: caller.correlationId },
    );
    return this.view(task.id);
  }

  /** The scheduler's execution of a run task: start, continue after a crash, or resume with a decision. */
  async execute(
    input: ExecuteInput,
    call: { taskId: string; principal: Principal; correlationId: string; signal?: AbortSignal },
  ): Promise<CallToolResult> {
    const runId = input.runId ?? call.taskId;
    const config = { configurable: { thread_id: runId }, recursionLimit: 500, ...(call.signal ? { signal: call.signal } : {}) };
    const snapshot = await this.graph.getState(config);
    const started = snapshot.createdAt !== undefined;
    let state: Awaited<ReturnType<RunGraph['invoke']>>;
    if (input.resume) {
      this.resuming.delete(runId);
      state = await this.graph.invoke(new Command({ resume: input.resume }), config);
    } else if (started && snapshot.next.length > 0 && !snapshot.tasks.some((t) => t.interrupts.length > 0)) {
      this.logger.info({ runId, next: snapshot.next }, 'resuming run from its checkpoint');
      state = await this.graph.invoke(null, config);
    } else if (started) {
      state = snapshot.values as typeof state;
    } else {
      const { runId: _r, resume: _d, ...runInput } = input;
      state = await this.graph.invoke(
        { runId, task: input.task, input: runInput, principal: call.principal, correlationId: call.correlationId },
        config,
      );
    }
    const view = await this.view(runId);
    if (view.status === 'awaiting_approval' || view.status === 'succeeded')
      return { content: [{ type: 'text', text: view.summary }], structuredContent: view as unknown as Record<string, unknown> };
    const error = state.finalReport?.error ?? { code: 'RUN_FAILED', message: view.summary };
    return failureResult({ code: 'RUN_FAILED', message: `run ${runId} ${view.status}: ${error.code}: ${error.message.split('\n')[0]}` });
  }

  /** The run as it stands: from its checkpoint (plan, outcomes, approval, report) and its task. */
  async view(runId: string): Promise<RunView> {
    const [snapshot, task] = await Promise.all([
      this.graph.getState({ configurable: { thread_id: runId } }),
      this.host.scheduler.get(runId).catch(() => undefined),
    ]);
    if (task === undefined && snapshot.createdAt === undefined) throw new RunApiError('NOT_FOUND', `no run '${runId}'`, 'runId');
    if (task !== undefined && task.target !== RUN_TOOL)
      throw new RunApiError('NOT_FOUND', `'${runId}' is a task, not a run (see hub__task_status)`, 'runId');
    return viewOf(runId, snapshot, task, this.resuming.has(runId));
  }

  /** Waits up to `waitMs` for the run to finish or to wait for a person. */
  async wait(runId: string, waitMs: number, signal?: AbortSignal): Promise<RunView> {
    const until = Date.now() + waitMs;
    for (;;) {
      const view = await this.view(runId);
      if (view.final || view.status === 'awaiting_approval' || Date.now() >= until || signal?.aborted) return view;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(250, Math.max(1, until - Date.now())));
        const off = this.onEvent((event) => event.runId === runId && done());
        function done() {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    }
  }

  /** A person's decision on a waiting run: stored as a resume task (idempotent per approval request). */
  async decide(runId: string, decision: ApprovalDecision): Promise<RunView> {
    const view = await this.view(runId);
    if (view.status !== 'awaiting_approval' || view.approval === undefined)
      throw new RunApiError('CONFLICT', `run '${runId}' is ${view.status}, not waiting for approval`, 'runId');
    const snapshot = await this.graph.getState({ configurable: { thread_id: runId } });
    const values = snapshot.values as { principal: Principal; correlationId: string; input: RunInput };
    const { task } = await this.host.scheduler.submit(
      {
        target: RUN_TOOL,
        input: { ...values.input, runId, resume: decision } as unknown as Record<string, unknown>,
        idempotencyKey: `run:${runId}:decision:${view.approval.id}`,
        timeoutMs: this.config.runTimeoutMs,
        maxAttempts: 5,
      },
      // The run goes on as the person who started it; the decision records who decided.
      { principal: values.principal, correlationId: values.correlationId },
    );
    this.resuming.set(runId, task.id);
    return this.view(runId);
  }

  /** For role agents: was this step of this run approved, for this role, on behalf of the run's owner? */
  readonly isApproved: ApprovalCheck = async (run, role, onBehalfOf) => {
    const snapshot = await this.graph.getState({ configurable: { thread_id: run.id } });
    const values = snapshot.values as { principal?: Principal; approvals?: { stepId: string; role: string }[] };
    if (values.principal === undefined || values.principal.id !== onBehalfOf) return false;
    return (values.approvals ?? []).some((grant) => grant.stepId === run.step && grant.role === role);
  };

  async close(): Promise<void> {
    this.events.removeAllListeners();
    await this.checkpoints.close();
  }
}
