// Container packaging checks: the compose files validate with docker-compose 1.29 (offline, `config`),
// and the resolved configuration keeps the promises docs/operations.md makes (health checks, start
// order, restart, volumes, limits, log rotation, no secrets). Also checks the Dockerfile, .env.example,
// the container's hub config and the Claude Desktop example.
//
// Without docker-compose the compose checks skip with a reason; with REQUIRE_SERVICES=1 (CI) they fail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const composeBin = process.env.DOCKER_COMPOSE ?? 'docker-compose';
const envExample = join(root, '.env.example');
/** Stands in for the required secrets; never a real password. */
const testPassword = 'compose-test-only-not-a-secret';
/** Every secret the prod (and staging) stack requires; the operator API key's SHA-256 is any 64 hex digits. */
const prodSecrets: Record<string, string> = {
  POSTGRES_PASSWORD: testPassword,
  SQL_READER_PASSWORD: `${testPassword}-reader`,
  REDIS_PASSWORD: `${testPassword}-redis`,
  MINIO_ROOT_PASSWORD: `${testPassword}-minio`,
  MONGO_PASSWORD: `${testPassword}-mongo`,
  RABBITMQ_PASSWORD: `${testPassword}-rabbit`,
  SWITCHBOARD_API_KEY_SHA256: 'a'.repeat(64),
};
/** The backends of the prod stack: each is stateful, so each needs a named volume. */
const backends = ['postgres', 'redis', 'kafka', 'minio', 'mongo', 'rabbitmq'];
/** Variable names that hold secrets: they must be required (`${NAME:?message}`), never defaulted. */
const secretName = /PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY/;

type Mapping = Record<string, unknown>;
interface Service {
  image?: string;
  entrypoint?: string[];
  build?: { context?: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] | string; interval?: string };
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: Array<string | { published?: number | string; target?: number | string }>;
  volumes?: Array<string | { source?: string; target?: string; read_only?: boolean }>;
  restart?: string;
  logging?: { driver?: string; options?: Record<string, string> };
  deploy?: { resources?: { limits?: { cpus?: number | string; memory?: string } } };
}
interface Compose {
  version?: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}
interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function composeAvailable(): boolean {
  const probe = spawnSync(composeBin, ['version'], { encoding: 'utf8' });
  return probe.error === undefined && probe.status === 0;
}

const haveCompose = composeAvailable();
const requireServices = process.env.REQUIRE_SERVICES === '1';
const skipReason =
  !haveCompose && !requireServices
    ? `${composeBin} is not installed (apt-get install docker-compose); set REQUIRE_SERVICES=1 to make this a failure`
    : false;
if (skipReason) console.log(`# compose checks skipped: ${skipReason}`);

/** Runs docker-compose with a minimal environment, so the caller's shell (and a local .env) cannot change the result. */
function compose(args: string[], extraEnv: Record<string, string> = {}, cwd = root): Run {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...extraEnv };
  const result = spawnSync(composeBin, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw new Error(`could not run ${composeBin}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function composeFiles(stack: string): string[] {
  const files = ['-f', 'docker-compose.yml'];
  if (stack === 'base') return files;
  // staging is an override of prod
  if (stack === 'staging') return [...files, '-f', 'docker-compose.prod.yml', '-f', 'docker-compose.staging.yml'];
  return [...files, '-f', `docker-compose.${stack}.yml`];
}

/** One-shot jobs (restart "no", awaited with service_completed_successfully): no health check, no restart. */
function oneShots(config: Compose): Set<string> {
  const awaited = Object.values(config.services).flatMap((svc) =>
    svc.depends_on && !Array.isArray(svc.depends_on)
      ? Object.entries(svc.depends_on)
          .filter(([, dep]) => dep.condition === 'service_completed_successfully')
          .map(([name]) => name)
      : [],
  );
  return new Set(awaited.filter((name) => config.services[name]?.restart === 'no'));
}

/** What docs/operations.md promises of the prod stack, and of staging, which overrides it. */
function assertProductionProperties(config: Compose, stack: string): void {
  const named = Object.keys(config.volumes ?? {});
  const jobs = oneShots(config);
  const hub = service(config, 'hub');
  for (const backend of backends) {
    assert.ok(dependsHealthy(hub, backend), `${stack}: hub must wait for a healthy ${backend}`);
    const svc = service(config, backend);
    assert.ok(
      mounts(svc).some((m) => named.includes(m.source)),
      `${stack}: ${backend} is stateful and keeps no named volume`,
    );
  }
  for (const [name, svc] of Object.entries(config.services)) {
    if (jobs.has(name)) {
      assert.equal(svc.restart, 'no', `${stack}: one-shot ${name} must not restart`);
    } else {
      assert.equal(svc.restart, 'unless-stopped', `${stack}: ${name}: restart`);
      assert.ok(svc.healthcheck?.test, `${stack}: ${name}: no healthcheck`);
    }
    assert.equal(svc.logging?.driver, 'json-file', `${stack}: ${name}: logging driver`);
    assert.ok(svc.logging?.options?.['max-size'] && svc.logging.options['max-file'], `${stack}: ${name}: json-file logs without rotation`);
    const limits = svc.deploy?.resources?.limits;
    assert.ok(limits?.cpus && limits.memory, `${stack}: ${name}: deploy.resources.limits needs cpus and memory`);
    for (const mount of mounts(svc).filter((m) => !m.source.startsWith('/') && !m.source.startsWith('.'))) {
      assert.ok(named.includes(mount.source), `${stack}: ${name}: '${mount.source}' is not a declared named volume`);
    }
  }
  for (const job of jobs) assert.ok(dependsOn(config, job), `${stack}: nothing waits for the one-shot ${job}`);
}

function dependsOn(config: Compose, name: string): boolean {
  return Object.values(config.services).some((svc) => svc.depends_on && !Array.isArray(svc.depends_on) && name in svc.depends_on);
}

/** Bytes of memory in a compose limit (512m, 1g, or a plain number). */
function memoryBytes(value: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(String(value ?? ''));
  if (!match) return Number.NaN;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(match[1]) * unit;
}

/** `docker-compose config` for a stack, asserted to exit 0, parsed. */
function resolved(stack: string, extraEnv: Record<string, string> = {}, envFile = envExample): Compose {
  const run = compose(['--env-file', envFile, ...composeFiles(stack), 'config'], extraEnv);
  assert.equal(run.status, 0, `docker-compose config for '${stack}' failed:\n${run.stderr}`);
  const config = parse(run.stdout) as Compose;
  assert.ok(config.services, `no services in the resolved '${stack}' config`);
  return config;
}

function service(config: Compose, name: string): Service {
  const found = config.services[name];
  assert.ok(found, `service '${name}' missing (have: ${Object.keys(config.services).join(', ')})`);
  return found;
}

function healthTest(svc: Service): string {
  const test = svc.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

function publishes(svc: Service, host: number, container: number): boolean {
  return (svc.ports ?? []).some((port) =>
    typeof port === 'string'
      ? new RegExp(`(^|:)${host}:${container}(/tcp)?$`).test(port)
      : Number(port.published) === host && Number(port.target) === container,
  );
}

function mounts(svc: Service): Array<{ source: string; target: string; readOnly: boolean }> {
  return (svc.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string')
      return { source: volume.source ?? '', target: volume.target ?? '', readOnly: volume.read_only === true };
    const [source = '', target = '', mode = ''] = volume.split(':');
    return { source, target, readOnly: mode.split(',').includes('ro') };
  });
}

function dependsHealthy(svc: Service, on: string): boolean {
  const deps = svc.depends_on;
  return deps !== undefined && !Array.isArray(deps) && deps[on]?.condition === 'service_healthy';
}

/** Every string in a parsed YAML document (values only: comments are not part of the config). */
function strings(node: unknown, found: string[] = []): string[] {
  if (typeof node === 'string') found.push(node);
  else if (Array.isArray(node)) for (const item of node) strings(item, found);
  else if (node !== null && typeof node === 'object') for (const value of Object.values(node)) strings(value, found);
  return found;
}

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}` references in a string ($$ is a literal $). */
function references(text: string): Array<{ name: string; operator: string }> {
  const unescaped = text.replaceAll('$$', '');
  return [...unescaped.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])?/g)].map((m) => ({ name: m[1] ?? '', operator: m[2] ?? '' }));
}

function rawCompose(file: string): Mapping {
  return parse(readFileSync(join(root, file), 'utf8')) as Mapping;
}

function envExampleVariables(file = envExample): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1]) vars.set(match[1], match[2] ?? '');
  }
  return vars;
}

describe('compose files (docker-compose 1.29, offline)', () => {
  it('docker-compose is available to validate them', { skip: skipReason }, () => {
    assert.ok(haveCompose, `${composeBin} is not installed, and REQUIRE_SERVICES=1 forbids skipping: apt-get install docker-compose`);
  });

  it('rejects a file with an invalid key (the validator really validates)', { skip: skipReason }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-broken-'));
    try {
      const good = 'version: "3.8"\nservices:\n  hub:\n    image: busybox\n';
      writeFileSync(join(dir, 'good.yml'), good);
      writeFileSync(join(dir, 'broken.yml'), `${good}    not_a_compose_key: true\n`);
      const control = compose(['-f', 'good.yml', 'config', '-q'], {}, dir);
      assert.equal(control.status, 0, `the control file should validate:\n${control.stderr}`);
      const broken = compose(['-f', 'broken.yml', 'config', '-q'], {}, dir);
      assert.notEqual(broken.status, 0, 'docker-compose accepted an invalid key');
      assert.match(broken.stderr, /not_a_compose_key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('base: hub is built from the Dockerfile, health-checked, restarted, with rotated JSON logs', { skip: skipReason }, () => {
    const hub = service(resolved('base'), 'hub');
    assert.equal(hub.image, 'switchboard:local');
    assert.equal(hub.build?.dockerfile, 'Dockerfile');
    assert.match(healthTest(hub), /node .*fetch\('http:\/\/127\.0\.0\.1:7700\/health'\)/);
    assert.ok(hub.restart && hub.restart !== 'no', `hub restart policy is '${hub.restart}'`);
    assert.equal(hub.logging?.driver, 'json-file');
    assert.ok(hub.logging?.options?.['max-size'] && hub.logging.options['max-file'], 'json-file logs need max-size and max-file');
    assert.ok(hub.environment && 'LOG_LEVEL' in hub.environment, 'hub environment has no LOG_LEVEL');
    assert.deepEqual(hub.ports ?? [], [], 'the base publishes no ports (the overrides choose them)');
  });

  it('test: hub on the mock config; test-server waits for a healthy hub and publishes 8080', { skip: skipReason }, () => {
    const config = resolved('test');
    const hub = service(config, 'hub');
    const testServer = service(config, 'test-server');
    assert.deepEqual(hub.command, ['serve', '--http', '--port', '7700', '--host', '0.0.0.0', '--config', 'config/switchboard.test.yaml']);
    assert.ok(hub.healthcheck, 'hub has no healthcheck');
    assert.ok(publishes(hub, 7700, 7700), 'hub does not publish 7700:7700');
    assert.equal(testServer.image, hub.image, 'test-server runs the image the hub service builds');
    assert.deepEqual(testServer.command, [
      'test-server',
      '--port',
      '8080',
      '--host',
      '0.0.0.0',
      '--hub',
      'http://hub:7700/mcp',
      '--cases',
      'cases',
      '--token',
      'sb-test-admin-key-not-a-secret',
    ]);
    assert.ok(dependsHealthy(testServer, 'hub'), 'test-server must depend on hub with condition service_healthy');
    assert.ok(publishes(testServer, 8080, 8080), 'test-server does not publish 8080:8080');
    assert.match(healthTest(testServer), /127\.0\.0\.1:8080\/health/);
    assert.equal(testServer.logging?.driver, 'json-file');
  });

  it('prod: restart, health checks, named volumes, limits, log rotation, health-gated start', { skip: skipReason }, () => {
    const config = resolved('prod', prodSecrets);
    const hub = service(config, 'hub');
    assert.deepEqual(hub.command?.slice(-2), ['--config', 'config/switchboard.prod.yaml']);
    const named = Object.keys(config.volumes ?? {});
    for (const [source, target] of [
      ['switchboard-work', '/srv/work'],
      ['switchboard-data', '/app/data'],
    ]) {
      assert.ok(named.includes(source ?? ''), `volume '${source}' is not a named volume`);
      assert.ok(
        mounts(hub).some((m) => m.source === source && m.target === target && !m.readOnly),
        `hub does not mount ${source} at ${target}`,
      );
    }
    const configMount = mounts(hub).find((m) => m.target === '/app/config/switchboard.prod.yaml');
    assert.ok(configMount?.readOnly, 'config/switchboard.prod.yaml must be mounted read-only');
    assert.ok(configMount.source.endsWith('config/switchboard.prod.yaml'));
    assert.match(healthTest(service(config, 'postgres')), /pg_isready/);
    assert.match(healthTest(service(config, 'redis')), /redis-cli ping/);
    assert.match(healthTest(service(config, 'kafka')), /kafka-broker-api-versions/);
    assert.match(healthTest(service(config, 'mongo')), /ping/);
    assert.match(healthTest(service(config, 'rabbitmq')), /rabbitmq-diagnostics/);
    // Kafka runs without ZooKeeper, as its own controller
    const kafka = service(config, 'kafka').environment ?? {};
    assert.equal(kafka.KAFKA_PROCESS_ROLES, 'broker,controller');
    assert.ok(!Object.keys(config.services).some((name) => /zookeeper/i.test(name)), 'KRaft needs no ZooKeeper');
    // the bucket the s3 upstream serves is created before the hub starts
    assert.equal(
      hub.depends_on && !Array.isArray(hub.depends_on) ? hub.depends_on['minio-init']?.condition : undefined,
      'service_completed_successfully',
    );
    assert.deepEqual([...oneShots(config)], ['minio-init']);
    assertProductionProperties(config, 'prod');
  });

  it('staging: the prod stack, smaller and louder, on its own port and project', { skip: skipReason }, () => {
    const staging = resolved('staging', prodSecrets, join(root, '.env.staging.example'));
    const prod = resolved('prod', prodSecrets);
    assertProductionProperties(staging, 'staging');
    assert.deepEqual(Object.keys(staging.services).sort(), Object.keys(prod.services).sort(), 'staging runs what prod runs');
    const hub = service(staging, 'hub');
    assert.equal(hub.environment?.LOG_LEVEL, 'debug');
    assert.ok(publishes(hub, 7710, 7700), 'staging publishes the hub on 7710, beside prod on 7700');
    assert.ok(!publishes(hub, 7700, 7700), "staging must not also take prod's port");
    for (const [name, svc] of Object.entries(staging.services)) {
      const mine = memoryBytes(svc.deploy?.resources?.limits?.memory);
      const theirs = memoryBytes(service(prod, name).deploy?.resources?.limits?.memory);
      assert.ok(mine <= theirs, `staging ${name} may use ${mine} bytes, more than prod's ${theirs}`);
    }
    assert.equal(envExampleVariables(join(root, '.env.staging.example')).get('COMPOSE_PROJECT_NAME'), 'switchboard-staging');
  });

  it('no image is `latest` or untagged', { skip: skipReason }, () => {
    for (const [stack, env, file] of [
      ['test', {}, join(root, '.env.test')],
      ['prod', prodSecrets, envExample],
      ['staging', prodSecrets, join(root, '.env.staging.example')],
    ] as const) {
      for (const [name, svc] of Object.entries(resolved(stack, env, file).services)) {
        const image = svc.image ?? '';
        const tag = /:([^/:]+)$/.exec(image)?.[1];
        assert.ok(tag && tag !== 'latest', `${stack}: ${name} uses image '${image}': pin a tag`);
      }
    }
  });

  it('prod: the passwords come only from the environment, and reach the hub inside its connection URLs', { skip: skipReason }, () => {
    const config = resolved('prod', prodSecrets);
    assert.equal(service(config, 'postgres').environment?.POSTGRES_PASSWORD, testPassword);
    const hub = service(config, 'hub').environment ?? {};
    assert.ok(hub.DATABASE_URL?.includes(`:${testPassword}@postgres:5432/`));
    assert.ok(hub.SQL_DATABASE_URL?.startsWith(`postgres://switchboard_reader:${prodSecrets.SQL_READER_PASSWORD}@postgres:5432/`));
    assert.ok(hub.REDIS_URL?.includes(`:${prodSecrets.REDIS_PASSWORD}@redis:6379`));
    assert.ok(hub.AMQP_URL?.includes(`:${prodSecrets.RABBITMQ_PASSWORD}@rabbitmq:5672`));
    assert.ok(hub.MONGODB_URL?.includes(`:${prodSecrets.MONGO_PASSWORD}@mongo:27017`));
    assert.equal(hub.AWS_SECRET_ACCESS_KEY, prodSecrets.MINIO_ROOT_PASSWORD);
    assert.equal(hub.KAFKA_BROKERS, 'kafka:9092');
  });

  it('prod and staging refuse to start without any one of their secrets, naming it', { skip: skipReason }, () => {
    for (const stack of ['prod', 'staging']) {
      for (const secret of Object.keys(prodSecrets)) {
        const { [secret]: _left, ...rest } = prodSecrets;
        const missing = compose(['--env-file', envExample, ...composeFiles(stack), 'config', '-q'], rest);
        assert.notEqual(missing.status, 0, `${stack} must refuse to start without ${secret}`);
        assert.match(missing.stderr, new RegExp(secret));
      }
    }
  });

  it('test: the .env.test profile resolves the test stack as it is', { skip: skipReason }, () => {
    const config = resolved('test', {}, join(root, '.env.test'));
    assert.deepEqual(Object.keys(config.services).sort(), ['hub', 'test-server']);
  });

  it('test and prod resolve with the built-in defaults alone (no .env)', { skip: skipReason }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-env-'));
    try {
      const empty = join(dir, 'empty.env');
      writeFileSync(empty, '');
      assert.equal(service(resolved('test', {}, empty), 'hub').environment?.LOG_LEVEL, 'info');
      const prod = resolved('prod', prodSecrets, empty);
      assert.ok(publishes(service(prod, 'hub'), 7700, 7700));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compose sources (no docker-compose needed)', () => {
  const files = ['docker-compose.yml', 'docker-compose.test.yml', 'docker-compose.prod.yml', 'docker-compose.staging.yml'];

  it('use the 3.8 format and none of the keys docker-compose 1.29 rejects', () => {
    for (const file of files) {
      const raw = rawCompose(file);
      assert.equal(raw.version, '3.8', `${file}: version`);
      for (const key of ['name', 'develop', 'include']) assert.ok(!(key in raw), `${file}: top-level '${key}' breaks docker-compose 1.29`);
    }
  });

  it('hold no literal secrets: secret variables are required (NAME:?message), never defaulted', () => {
    for (const file of files) {
      const raw = rawCompose(file);
      for (const text of strings(raw)) {
        for (const ref of references(text).filter((r) => secretName.test(r.name))) {
          assert.equal(ref.operator, ':?', `${file}: \${${ref.name}} must be written \${${ref.name}:?message}, with no default`);
        }
      }
      for (const [name, svc] of Object.entries((raw.services ?? {}) as Record<string, Service>)) {
        for (const [key, value] of Object.entries(svc.environment ?? {})) {
          if (!secretName.test(key)) continue;
          assert.match(
            String(value),
            /^\$\{[A-Z0-9_]+:\?[^}]*\}$/,
            `${file}: ${name}.environment.${key} must be only a required \${VAR:?…}`,
          );
        }
      }
    }
  });

  it('each env profile lists every variable its stack reads, each under a comment, secrets empty', () => {
    const profiles = [
      { file: '.env.example', stack: ['docker-compose.yml', 'docker-compose.prod.yml'] },
      { file: '.env.staging.example', stack: ['docker-compose.yml', 'docker-compose.prod.yml', 'docker-compose.staging.yml'] },
      { file: '.env.test', stack: ['docker-compose.yml', 'docker-compose.test.yml'] },
    ];
    for (const { file, stack } of profiles) {
      const documented = envExampleVariables(join(root, file));
      const used = new Set(stack.flatMap((f) => strings(rawCompose(f)).flatMap((text) => references(text).map((r) => r.name))));
      assert.ok(used.size > 0);
      for (const name of used) assert.ok(documented.has(name), `${file} does not list ${name}`);
      for (const [name, value] of documented) {
        if (secretName.test(name)) assert.equal(value, '', `${file} must not carry a value for the secret ${name}`);
      }
      let commented = false;
      for (const line of readFileSync(join(root, file), 'utf8')
        .split('\n')
        .map((l) => l.trim())) {
        if (line.startsWith('#')) commented = true;
        else if (line === '') commented = false;
        else assert.ok(commented, `${file}: '${line}' has no comment above it`);
      }
    }
    // the test profile is committed and used as is: it holds no secret at all
    assert.ok(![...envExampleVariables(join(root, '.env.test')).keys()].some((name) => secretName.test(name)));
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  // instructions, with continuation lines joined and comments dropped
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const argDefaults = new Map(
    instructions.flatMap((line) => {
      const match = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)/.exec(line);
      return match?.[1] && match[2] ? [[match[1], match[2]] as const] : [];
    }),
  );
  const froms = instructions.filter((line) => /^FROM\s/i.test(line));
  const lastFrom = instructions.lastIndexOf(froms.at(-1) ?? '');
  const finalStage = instructions.slice(lastFrom);
  const expand = (value: string) => value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => argDefaults.get(name) ?? '');

  it('is multi-stage, ending on node:20-bookworm-slim', () => {
    assert.ok(froms.length >= 2, `expected at least two FROM lines, found ${froms.length}`);
    assert.equal(expand(froms.at(-1)?.split(/\s+/)[1] ?? ''), 'node:20-bookworm-slim');
  });

  it('installs production dependencies only, with the project .npmrc', () => {
    assert.ok(
      instructions.some((line) => /^RUN\s.*npm ci\b.*--omit=dev/.test(line)),
      'no `npm ci --omit=dev`',
    );
    assert.match(text, /\.npmrc/, 'the .npmrc (strict-allow-scripts) must reach the npm ci stage');
  });

  it('runs as a non-root user, with health check, stop signal, ports and entry point', () => {
    const user = finalStage
      .filter((line) => /^USER\s/.test(line))
      .at(-1)
      ?.split(/\s+/)[1];
    assert.ok(user && !['root', '0', '0:0'].includes(user), `final stage USER is '${user}'`);
    assert.ok(
      finalStage.some((line) => /^HEALTHCHECK\s.*CMD.*node.*fetch\(.*127\.0\.0\.1:7700\/health/.test(line)),
      'no node-fetch HEALTHCHECK',
    );
    assert.ok(finalStage.includes('STOPSIGNAL SIGTERM'));
    assert.ok(finalStage.some((line) => /^EXPOSE\s+7700\s+8080$/.test(line)));
    assert.ok(finalStage.some((line) => /^ENV\s.*NODE_ENV=production/.test(line)));
    assert.ok(finalStage.includes('ENTRYPOINT ["node", "bin/switchboard.mjs"]'));
    assert.ok(finalStage.includes('CMD ["serve", "--http", "--port", "7700", "--host", "0.0.0.0"]'));
  });

  it('builds the web console in a stage of its own and ships only its bundle', () => {
    // Stages by name, each with its instructions: the console's dev dependencies (Vite, …) stay in its stage.
    const stages = new Map<string, string[]>();
    let current: string[] = [];
    for (const line of instructions) {
      const from = /^FROM\s+\S+\s+AS\s+(\S+)$/i.exec(line);
      if (/^FROM\s/i.test(line)) {
        current = [];
        stages.set(from?.[1] ?? `#${stages.size}`, current);
      } else current.push(line);
    }
    const consoleStage = stages.get('console');
    assert.ok(consoleStage, 'no `FROM … AS console` stage');
    assert.ok(
      consoleStage.some((line) => /^RUN\s.*npm ci\b.*--workspace[= ]@switchboard\/console\b/.test(line) && !/--omit=dev/.test(line)),
      'the console stage must install the console workspace with its dev dependencies (Vite)',
    );
    assert.ok(consoleStage.includes('COPY console/ ./console/'), 'the console stage does not copy the console sources');
    assert.ok(
      consoleStage.some((line) => /^RUN\s+node scripts\/build-console\.mjs\b/.test(line)),
      'the console stage does not run scripts/build-console.mjs',
    );
    assert.ok(finalStage.includes('COPY --from=console /app/console/dist/ ./console/dist/'), 'the image lacks the built console');
    assert.ok(finalStage.includes('COPY console/package.json ./console/'), 'the image lacks the console manifest the hub resolves');
    assert.ok(!finalStage.some((line) => /^COPY\s+console\/\s/.test(line)), 'the image must not carry the console sources');
    // The hub finds the bundle by resolving @switchboard/console, so the production install must link it.
    const hub = JSON.parse(readFileSync(join(root, 'hub', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    assert.ok(hub.dependencies?.['@switchboard/console'], 'hub/package.json does not declare @switchboard/console');
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dependencies?: Record<string, string> }>;
    };
    assert.ok(lock.packages.hub?.dependencies?.['@switchboard/console'], 'package-lock.json: hub lacks @switchboard/console');
  });

  it('copies the sources the CLI needs, and .dockerignore keeps local state out', () => {
    for (const dir of ['bin', 'cli', 'hub', 'mcp-servers', 'test-server', 'roles', 'config', 'cases']) {
      assert.ok(
        finalStage.some((line) => line.startsWith(`COPY ${dir}/ `)),
        `final stage does not copy ${dir}/`,
      );
    }
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const pattern of ['**/node_modules', '.git', '.tmp', '**/*.log', 'data', '.env', 'console/dist']) {
      assert.ok(ignored.includes(pattern), `.dockerignore lacks '${pattern}'`);
    }
  });
});

describe('example configs', () => {
  it('config/switchboard.prod.yaml runs the fs server on the work volume, away from config and roles', () => {
    const config = parse(readFileSync(join(root, 'config/switchboard.prod.yaml'), 'utf8')) as {
      hub?: { http?: { host?: string; port?: number } };
      roles?: string;
      upstreams?: Record<string, { server?: string; args?: string[] }>;
    };
    assert.deepEqual(config.hub?.http, { host: '0.0.0.0', port: 7700 });
    assert.equal(config.roles, '../roles');
    const fs = config.upstreams?.fs;
    assert.equal(fs?.server, 'fs');
    const args = fs?.args ?? [];
    const rootArg = args[args.indexOf('--root') + 1];
    assert.equal(rootArg, '/srv/work', 'the fs root must be the switchboard-work volume');
  });

  it('config/claude_desktop_config.example.json is JSON with stdio hub entries and a standalone server', () => {
    const config = JSON.parse(readFileSync(join(root, 'config/claude_desktop_config.example.json'), 'utf8')) as {
      mcpServers?: Record<string, { command?: string; args?: string[] }>;
    };
    const entries = Object.entries(config.mcpServers ?? {});
    const hubs = entries.filter(([, entry]) => entry.args?.includes('serve'));
    assert.ok(hubs.length >= 1, 'expected a hub entry');
    for (const [name, entry] of hubs) {
      assert.ok(entry.args?.includes('--stdio'), `${name}: Claude Desktop talks stdio`);
      assert.ok(entry.args?.includes('--config'), `${name}: --config`);
    }
    // Never `npx switchboard`: outside a checkout npx would fetch whatever the registry has under that name.
    for (const [name, entry] of entries) {
      assert.equal(entry.command, 'node', `${name}: runs node, not npx`);
      assert.match(entry.args?.[0] ?? '', /\/bin\/switchboard\.mjs$/, `${name}: the checkout's bin/switchboard.mjs`);
    }
    const standalone = entries.find(([, entry]) => entry.args?.join(' ').includes('server fs'));
    assert.ok(standalone?.[1].args?.includes('--read-only'), 'expected a standalone `server fs ... --read-only` entry');
  });
});
