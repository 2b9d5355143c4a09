import { isAbsolute, resolve } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { ToolError, toolErrorResult } from '@switchboard/kit';
import type { TasksConfig } from '../config/tasks-schema.ts';
import { Scheduler } from './scheduler.ts';
import { openTaskStore } from './store/open-store.ts';
import type { TaskPrincipal } from './task-model.ts';
import { type HubTool, taskTools } from './tools/index.ts';

/** The narrow part of the hub the scheduler needs: call a tool as a principal, and know what exists. */
export interface TaskHost {
  callTool(
    name: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; correlationId: string; principal: never; taskId?: string },
  ): Promise<CallToolResult>;
  has(name: string): boolean;
  /** hub__ tools that may be task targets (a planner run: hub__run_task); the others never are. */
  isTaskTarget?(name: string): boolean;
  /** The configured upstreams, connected or not: a task may wait for one that is reconnecting. */
  readonly config: { upstreams: Record<string, unknown> };
  /** Runs tasks submitted without a principal (the CLI, stdio before auth resolves one). */
  readonly localPrincipal: TaskPrincipal;
}

interface Logger {
  error(object: object, message: string): void;
}

/**
 * The scheduler as the hub runs it: store from `tasks:` config, tasks executed through hub.callTool
 * under the submitting principal (policy, quotas and audit apply to every attempt), and the hub__ tools.
 */
export class TaskService {
  private readonly byName: Map<string, HubTool>;

  private constructor(
    readonly scheduler: Scheduler,
    readonly tools: HubTool[],
    /** `memory`, `sqlite` or `postgres`, as configured. */
    readonly storeKind: string,
  ) {
    this.byName = new Map(tools.map((tool) => [tool.definition.name, tool]));
  }

  static async open(config: TasksConfig, dataDir: string, host: TaskHost, logger: Logger): Promise<TaskService> {
    const store = await openTaskStore(
      config.store === 'postgres'
        ? { kind: 'postgres', url: config.url as string, schema: config.schema, poolSize: config.poolSize }
        : config.store === 'sqlite'
          ? { kind: 'sqlite', path: isAbsolute(config.path) ? config.path : resolve(dataDir, config.path) }
          : { kind: 'memory' },
      dataDir,
    );
    const configuredUpstream = (target: string) => {
      const split = target.indexOf('__');
      return split > 0 && Object.hasOwn(host.config.upstreams, target.slice(0, split));
    };
    const scheduler = new Scheduler({
      store,
      workers: config.workers,
      concurrency: config.concurrency,
      roleConcurrency: config.roleConcurrency,
      leaseMs: config.leaseMs,
      pollMs: config.pollMs,
      sweepMs: config.sweepMs,
      claimBatch: config.claimBatch,
      claimsInFlight: config.claimsInFlight,
      retryBudget: config.retryBudget,
      checkTarget: (target) => {
        if (target.startsWith('hub__') && !host.isTaskTarget?.(target)) return `'${target}': tasks cannot call the hub's own task tools`;
        if (host.has(target) || configuredUpstream(target)) return undefined;
        return `no tool '${target}' (tools/list shows what exists; an upstream's tools are named <upstream>__<tool>)`;
      },
      executor: async (target, input, context) => {
        const principal = (context.principal ?? host.localPrincipal) as never;
        try {
          return await host.callTool(target, input, {
            signal: context.signal,
            correlationId: context.correlationId,
            principal,
            taskId: context.taskId,
          });
        } catch (error) {
          // The hub throws only for a tool nobody serves (any more): a failed task, not worth a retry.
          if ((error as Error).name === 'UnknownToolError') {
            // Its upstream is configured but not connected (yet): worth another attempt after the backoff.
            if (configuredUpstream(target))
              return toolErrorResult(new ToolError('UPSTREAM_UNAVAILABLE', `${(error as Error).message}: its upstream is not connected`));
            return toolErrorResult(new ToolError('NOT_FOUND', (error as Error).message, 'target'));
          }
          throw error;
        }
      },
      onError: (error, where) => logger.error({ err: error, where }, 'scheduler error'),
    });
    return new TaskService(scheduler, taskTools(scheduler), config.store);
  }

  /** The hub__ tool of that name, if it is one of ours. */
  tool(name: string): HubTool | undefined {
    return this.byName.get(name);
  }

  /** Starts running tasks (serving hubs only; `switchboard tools` and friends just open the store). */
  start(): void {
    this.scheduler.start();
  }

  /** Whether the store answers, within `timeoutMs` (a hung database must not hang the probe). */
  async ready(timeoutMs = 2000): Promise<{ store: string; reachable: boolean }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const reachable = await Promise.race([this.scheduler.store.ping().catch(() => false), timeout]);
    clearTimeout(timer);
    return { store: this.storeKind, reachable };
  }

  /** Graceful shutdown, step one: claim no new tasks; running ones finish or are handed back by close(). */
  stopClaiming(): Promise<void> {
    return this.scheduler.stopClaiming();
  }

  async close(): Promise<void> {
    await this.scheduler.close();
    await this.scheduler.store.close();
  }
}
