import { z } from 'zod';

/** Per-upstream resilience settings (timeouts live beside them in `common`); all optional with defaults in code. */
export const upstreamResilienceFields = {
  restart: z
    .strictObject({
      initialDelayMs: z.number().int().positive().optional().describe('first reconnect delay (default 500)'),
      maxDelayMs: z.number().int().positive().optional().describe('cap on the exponential backoff (default 30000)'),
      maxAttempts: z.number().int().min(0).optional().describe('failed attempts in a row before giving up; 0 = never (default)'),
    })
    .optional()
    .describe('how a crashed or unreachable upstream is restarted / reconnected'),
  breaker: z
    .strictObject({
      failureThreshold: z.number().int().positive().optional().describe('consecutive failures that open the circuit (default 5)'),
      cooldownMs: z.number().int().positive().optional().describe('open time before one trial call (default 30000)'),
    })
    .optional()
    .describe('circuit breaker: while open, calls fail fast naming the server'),
  healthIntervalMs: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('ping interval that detects a hung or dropped upstream; 0 = off (default 30000)'),
  pinTools: z.boolean().optional().describe('override of hub.pinTools for this upstream'),
};

/** Hub-level settings for tool pinning and the HTTP face's sessions and DNS-rebinding guard. */
export const hubResilienceFields = {
  pinTools: z.boolean().optional().describe('block a tool whose description or schema changed since approval, until re-approved'),
  pinFile: z.string().min(1).optional().describe('approved tool definitions; default <dataDir>/tool-pins.json'),
  startupWaitMs: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('how long startup waits for upstreams before serving with those connected; the rest join when they connect (default 10000)'),
  listTtlMs: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('cache hint (ttlMs) on list results for 2026-07-28 callers; changes still reach them on their listen stream (default 60000)'),
};

export const httpFaceFields = {
  allowedHosts: z
    .array(z.string().min(1))
    .optional()
    .describe('Host header names accepted (DNS-rebinding guard); default: localhost names on a loopback bind, any otherwise'),
  allowedOrigins: z.array(z.string().min(1)).optional().describe('Origin host names accepted from browsers; default as allowedHosts'),
  sessionTtlMs: z.number().int().positive().optional().describe('idle time after which a 2025-era MCP session closes (default 1 h)'),
  sessions: z
    .strictObject({
      store: z
        .enum(['memory', 'redis', 'postgres', 'none'])
        .default('memory')
        .describe('where 2025-era sessions live: memory (one hub), redis or postgres (replicas share them), none (2025 leg stateless)'),
      url: z.string().min(1).optional().describe('redis:// or postgres:// URL (store: redis | postgres)'),
      keyPrefix: z.string().min(1).default('switchboard:mcp-session:').describe('Redis key prefix'),
      schema: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a Postgres schema name')
        .default('switchboard')
        .describe('Postgres schema holding the mcp_sessions table'),
    })
    .refine((s) => (s.store !== 'redis' && s.store !== 'postgres') || s.url !== undefined, {
      message: 'store: redis | postgres needs url',
      path: ['url'],
    })
    .optional()
    .describe('2025-era MCP sessions (Mcp-Session-Id): where they are kept so several hub replicas can serve them'),
};

export const TelemetrySchema = z
  .strictObject({
    tracing: z
      .strictObject({
        endpoint: z
          .url()
          .optional()
          .describe('OTLP/HTTP collector base URL, e.g. http://otel:4318; unset = tracing off (or OTEL_EXPORTER_OTLP_ENDPOINT)'),
        headers: z.record(z.string(), z.string()).default({}),
        serviceName: z.string().min(1).default('switchboard'),
      })
      .optional(),
  })
  .default({});

export type TelemetryConfig = z.infer<typeof TelemetrySchema>;
