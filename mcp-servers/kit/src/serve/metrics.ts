import { readdirSync } from 'node:fs';

/**
 * Prometheus text for a standalone server's `GET /metrics`, without a metrics library (the kit stays
 * small and every server gets it): MCP requests by JSON-RPC method, tool calls by tool, request
 * time, and the process figures the hub's alerts and the soak benchmark watch (RSS, CPU, heap, open
 * descriptors). Names follow the Prometheus conventions prom-client uses on the hub.
 */
export class ServerMetrics {
  private readonly requests = new Map<string, number>();
  private readonly toolCalls = new Map<string, number>();
  private durationSum = 0;
  private durationCount = 0;

  /** Counts one HTTP request to /mcp carrying `body` (a JSON-RPC message or a batch) that took `seconds`. */
  observe(body: unknown, seconds: number): void {
    for (const message of Array.isArray(body) ? body : [body]) {
      if (typeof message !== 'object' || message === null) continue;
      const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
      if (typeof method !== 'string' || method.length > 100) continue;
      this.requests.set(method, (this.requests.get(method) ?? 0) + 1);
      if (method === 'tools/call' && typeof params?.name === 'string' && params.name.length <= 128)
        this.toolCalls.set(params.name, (this.toolCalls.get(params.name) ?? 0) + 1);
    }
    this.durationSum += seconds;
    this.durationCount++;
  }

  render(): string {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const lines = [
      '# HELP switchboard_server_requests_total MCP messages received over HTTP, by JSON-RPC method.',
      '# TYPE switchboard_server_requests_total counter',
      ...[...this.requests].map(([method, n]) => `switchboard_server_requests_total{method="${escapeLabel(method)}"} ${n}`),
      '# HELP switchboard_server_tool_calls_total tools/call requests, by tool.',
      '# TYPE switchboard_server_tool_calls_total counter',
      ...[...this.toolCalls].map(([tool, n]) => `switchboard_server_tool_calls_total{tool="${escapeLabel(tool)}"} ${n}`),
      '# HELP switchboard_server_request_duration_seconds Time to answer an HTTP request to /mcp.',
      '# TYPE switchboard_server_request_duration_seconds summary',
      `switchboard_server_request_duration_seconds_sum ${this.durationSum}`,
      `switchboard_server_request_duration_seconds_count ${this.durationCount}`,
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${memory.rss}`,
      '# HELP process_cpu_user_seconds_total User CPU time spent in seconds.',
      '# TYPE process_cpu_user_seconds_total counter',
      `process_cpu_user_seconds_total ${cpu.user / 1e6}`,
      '# HELP process_cpu_system_seconds_total System CPU time spent in seconds.',
      '# TYPE process_cpu_system_seconds_total counter',
      `process_cpu_system_seconds_total ${cpu.system / 1e6}`,
      '# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.',
      '# TYPE process_start_time_seconds gauge',
      `process_start_time_seconds ${Math.round(Date.now() / 1000 - process.uptime())}`,
      '# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.',
      '# TYPE nodejs_heap_size_used_bytes gauge',
      `nodejs_heap_size_used_bytes ${memory.heapUsed}`,
    ];
    const fds = openDescriptors();
    if (fds !== undefined)
      lines.push('# HELP process_open_fds Number of open file descriptors.', '# TYPE process_open_fds gauge', `process_open_fds ${fds}`);
    return `${lines.join('\n')}\n`;
  }
}

/** Label values: backslash, quote and newline escaped, as the text format requires. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Linux only (/proc); elsewhere the gauge is left out rather than guessed. */
function openDescriptors(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}
