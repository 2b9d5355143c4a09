// Node CPU per task (process.cpuUsage around each run) for the Switchboard Postgres store and pg-boss,
// interleaved in one process. `node --cpu-prof --import tsx bench/scheduler-cpu.ts` adds a profile.
// Env: CPU_WORKERS (default 4), CPU_ROUNDS (default 3), CPU_SYSTEMS (default postgres,pgBoss).
import { pgBoss, postgres } from './scheduler.bench.ts';

const TASKS = Number(process.env.BENCH_TASKS ?? 3000);
const workers = Number(process.env.CPU_WORKERS ?? 4);
const rounds = Number(process.env.CPU_ROUNDS ?? 3);
const systems = { postgres, pgBoss };
const names = (process.env.CPU_SYSTEMS ?? 'postgres,pgBoss').split(',') as (keyof typeof systems)[];
const out: Record<string, { rate: number; usPerTask: number }[]> = { postgres: [], pgBoss: [] };
for (let round = 0; round < rounds; round++)
  for (const name of names) {
    const before = process.cpuUsage();
    const rate = await systems[name](workers);
    const used = process.cpuUsage(before);
    out[name]?.push({ rate: Math.round(rate), usPerTask: Math.round((used.user + used.system) / TASKS) });
  }
console.log(JSON.stringify(out));
