import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { createLogger } from '@switchboard/kit';
import { parseHubConfig } from '../hub/src/config/index.ts';
import {
  type AuditStore,
  CallGate,
  MemoryAuditStore,
  Policy,
  type Principal,
  QuotaLimiter,
  SqliteAuditStore,
  systemClock,
} from '../hub/src/policy/index.ts';
import { type BenchFigure, median, percentile } from './stats.ts';

const config = parseHubConfig(
  `
policy:
  roles:
    dev:
      tools: { allow: ["fs__*"], deny: [fs__delete] }
      arguments: [{ tools: "fs__*", where: { path: { glob: "src/**" } } }]
quotas: [{ name: default, callsPerMinute: 100000000, concurrent: 64, bytesPerMinute: 100000000000 }]
`,
  'bench.yaml',
  {},
);
const principal: Principal = { id: 'key:bench', role: 'dev', kind: 'api-key' };
const result: CallToolResult = {
  content: [{ type: 'text', text: 'Hello from Switchboard.\n' }],
  structuredContent: { path: 'src/a.ts', content: 'x' },
};
/** Stands in for the upstream round trip, so the figure is what the gate adds to one. */
const dispatch = async () => result;

function gateOver(audit: AuditStore): CallGate {
  return new CallGate({
    policy: Policy.fromConfig(config, [], 'bench.yaml'),
    quotas: new QuotaLimiter(config.quotas, systemClock),
    audit,
    clock: systemClock,
    logger: createLogger('bench', 'silent'),
  });
}

async function timeGate(gate: CallGate, i: number): Promise<number> {
  const started = performance.now();
  await gate.run({ principal, tool: 'fs__read_file', args: { path: `src/file-${i % 50}.ts` }, correlationId: `b${i}`, depth: 0 }, dispatch);
  return (performance.now() - started) * 1000;
}

/**
 * What the policy → quota → audit pipeline costs per call, in process: with the durable SQLite audit
 * log (the default) against the same pipeline over the in-memory store (policy and quota work only).
 * Blocks alternate so machine noise hits both alike.
 */
export async function run(calls = Number(process.env.BENCH_CALLS ?? 20000)): Promise<BenchFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-gate-bench-'));
  const sqlite = new SqliteAuditStore(join(dir, 'audit.db'));
  const memoryGate = gateOver(new MemoryAuditStore());
  const sqliteGate = gateOver(sqlite);
  try {
    for (let i = 0; i < 500; i++) {
      await timeGate(memoryGate, i);
      await timeGate(sqliteGate, i);
    }
    const memoryUs: number[] = [];
    const sqliteUs: number[] = [];
    const block = 500;
    for (let done = 0; done < calls; done += block) {
      for (let i = 0; i < block; i++) memoryUs.push(await timeGate(memoryGate, done + i));
      for (let i = 0; i < block; i++) sqliteUs.push(await timeGate(sqliteGate, done + i));
    }
    return {
      name: 'policy-gate (policy + quota + audit per call, in process)',
      ratioOf: 'sqlite audit median / memory audit median',
      ratio: median(sqliteUs) / median(memoryUs),
      figures: {
        calls: memoryUs.length,
        memoryMedianUs: median(memoryUs),
        sqliteMedianUs: median(sqliteUs),
        memoryP99Us: percentile(memoryUs, 99),
        sqliteP99Us: percentile(sqliteUs, 99),
      },
    };
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
