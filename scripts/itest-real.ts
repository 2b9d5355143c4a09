// `make itest-real`: the end-to-end case (cases/e2e-code-test-artifact.yaml) against real backends
// instead of mocks — fs on a real disk sandbox, shell really running `node --test`, s3 on s3rver,
// the run ledger in PostgreSQL — through the same hub, test-server and case as `make itest`.
//
// It makes what the case needs, and removes it afterwards: a temp dir (the fs/shell root and the
// hub's data), an s3rver on a free loopback port with the `artifacts` bucket, and in PostgreSQL
// (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) a fresh database holding the `runs`
// table and a login role that may only read and add rows there (the sql server refuses superusers).
// Then it writes a hub config for them and runs scripts/itest.ts with it.
//
// Without Postgres it skips and says why; with REQUIRE_SERVICES=1 (CI) that is a failure.
// Usage: node --import tsx scripts/itest-real.ts [--case NAME] (default: e2e-code-test-artifact)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { stringify } from 'yaml';
import { type RunningS3rver, startS3rver } from '../mcp-servers/s3/test/s3rver.ts';

const root = resolve(import.meta.dirname, '..');
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** config/switchboard.test.yaml's test-only keys (see the comment there): the itest signs in with the admin one. */
const testKeys = [
  { id: 'test-admin', role: 'admin', sha256: 'b3d4c4e0185ab20b75b82f29e698f30ede8349a7e02cc3059490ab906290f797' },
  { id: 'test-reader', role: 'reader', sha256: '3d638f7d809a6a96192228d7a5f9076cfc7fd701e873a4bbd5af8ba97dfa3596' },
];

interface Ledger {
  url: string;
  drop(): Promise<void>;
}

function safe(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return `${parsed.host}${parsed.pathname}`;
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh database with the `runs` table, and a role that may read it and add rows (nothing else). */
async function createLedger(): Promise<Ledger> {
  const name = `sb_itest_${randomBytes(5).toString('hex')}`;
  await admin(adminUrl, async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    await client.query(`CREATE ROLE ${name} LOGIN`);
  });
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  await admin(dbUrl.href, async (client) => {
    await client.query(readFileSync(join(root, 'cases/fixtures/sql/runs.sql'), 'utf8'));
    await client.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${name}`);
    await client.query(`GRANT SELECT, INSERT ON runs TO ${name}`);
    await client.query(`GRANT USAGE ON SEQUENCE runs_id_seq TO ${name}`);
  });
  const serverUrl = new URL(dbUrl.href);
  serverUrl.username = name;
  serverUrl.password = '';
  return {
    url: serverUrl.href,
    drop: () =>
      admin(adminUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`DROP ROLE IF EXISTS ${name}`);
      }),
  };
}

function hubConfig(dir: string, s3: RunningS3rver, ledger: Ledger): string {
  const work = join(dir, 'work');
  return stringify({
    hub: { name: 'switchboard-itest-real', http: { host: '127.0.0.1', port: 7700 }, dataDir: join(dir, 'data') },
    roles: join(root, 'roles'),
    upstreams: {
      fs: { server: 'fs', args: ['--root', work] },
      shell: { server: 'shell', args: ['--root', work, '--allow', 'node'] },
      s3: {
        server: 's3',
        args: ['--endpoint', s3.endpoint, '--path-style', '--region', 'us-east-1', '--bucket', 'artifacts:runs/'],
        env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
      },
      runsdb: { server: 'sql', args: ['--url', ledger.url, '--allow-writes', '--tables', 'runs'] },
    },
    auth: { apiKeys: testKeys },
    principals: { local: { role: 'admin' } },
  });
}

function runItest(config: string, caseName: string): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/itest.ts'), '--config', config, '--case', caseName], {
      cwd: root,
      stdio: 'inherit',
    });
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { case: { type: 'string', default: 'e2e-code-test-artifact' } }, strict: true });
  let ledger: Ledger;
  try {
    ledger = await createLedger();
  } catch (error) {
    const why = `no usable PostgreSQL at ${safe(adminUrl)} (${(error as Error).message})`;
    if (process.env.REQUIRE_SERVICES === '1') {
      console.error(`itest-real: REQUIRE_SERVICES=1 but ${why}`);
      console.log('0 passed, 1 failed');
      return 1;
    }
    console.log(`itest-real: skipped: ${why}; set DATABASE_URL, or REQUIRE_SERVICES=1 to make this a failure`);
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sb-itest-real-'));
  let s3: RunningS3rver | undefined;
  try {
    mkdirSync(join(dir, 'work'));
    s3 = await startS3rver(['artifacts']);
    const config = join(dir, 'switchboard.yaml');
    writeFileSync(config, hubConfig(dir, s3, ledger));
    console.log(`itest-real: fs + shell on ${join(dir, 'work')}, s3rver at ${s3.endpoint}, runs in ${safe(ledger.url)}`);
    return await runItest(config, values.case);
  } finally {
    await s3?.close().catch(() => {});
    await ledger.drop().catch((error: Error) => console.error(`itest-real: could not drop the ledger database: ${error.message}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
