// Kubernetes manifests: each overlay is rendered offline with `kubectl kustomize` (Debian's kubectl,
// kustomize 2.0 in kubectl 1.20, or a newer one) and checked for the objects and properties
// docs/operations.md promises: hub replicas on the shared Postgres store, probes, PDB, HPA, Services,
// ConfigMaps for switchboard.yaml and the roles (both valid for the hub), secrets only by reference.
// Without kubectl the rendering checks skip with a reason; with REQUIRE_SERVICES=1 (CI) they fail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { parseHubConfig, parseRole } from '@switchboard/hub';
import { parseAllDocuments } from 'yaml';

const root = join(import.meta.dirname, '..');
const kubectl = process.env.KUBECTL ?? 'kubectl';
const probe = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8' });
const haveKubectl = probe.error === undefined && probe.status === 0;
const skip =
  !haveKubectl && process.env.REQUIRE_SERVICES !== '1'
    ? `${kubectl} is not installed (apt-get install kubernetes-client); set REQUIRE_SERVICES=1 to make this a failure`
    : false;
if (skip) console.log(`# kubernetes checks skipped: ${skip}`);

// biome-ignore lint/suspicious/noExplicitAny: rendered Kubernetes objects, checked field by field below
type K8s = any;

function render(overlay: string): K8s[] {
  const run = spawnSync(kubectl, ['kustomize', join(root, 'deploy/k8s/overlays', overlay)], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.error, undefined, `could not run ${kubectl}: ${run.error?.message}`);
  assert.equal(run.status, 0, `kubectl kustomize ${overlay} failed:\n${run.stderr}`);
  return parseAllDocuments(run.stdout)
    .map((doc) => doc.toJSON())
    .filter(Boolean);
}

function one(objects: K8s[], kind: string, name: string): K8s {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  assert.equal(found.length, 1, `expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** Values for every ${NAME} switchboard.yaml reads, as the Secret's files would give them. */
const secretEnv = {
  DATABASE_URL: 'postgres://switchboard:x@postgres:5432/switchboard',
  SQL_DATABASE_URL: 'postgres://switchboard_reader:x@postgres:5432/switchboard',
  REDIS_URL: 'redis://:x@redis:6379/0',
  MONGODB_URL: 'mongodb://u:x@mongo:27017/',
  AMQP_URL: 'amqp://u:x@rabbitmq:5672',
  RAG_SERVER_TOKEN: 'x',
  SWITCHBOARD_API_KEY_SHA256: 'a'.repeat(64),
};

/** switchboard.yaml parsed as the pod would: every NAME_FILE of its env a file holding a stand-in secret. */
function parseWithSecretFiles(text: string, env: Record<string, string>) {
  const files = mkdtempSync(join(tmpdir(), 'k8s-secrets-'));
  try {
    const podEnv: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) {
      if (!name.endsWith('_FILE')) podEnv[name] = value;
      else {
        const path = join(files, basename(value));
        writeFileSync(path, secretEnv[name.slice(0, -'_FILE'.length) as keyof typeof secretEnv] ?? 'x');
        podEnv[name] = path;
      }
    }
    return parseHubConfig(text, 'switchboard.yaml (ConfigMap)', podEnv);
  } finally {
    rmSync(files, { recursive: true, force: true });
  }
}

for (const [overlay, expected] of [
  ['staging', { namespace: 'switchboard-staging', replicas: 2, maxReplicas: 4, minAvailable: 1, logLevel: 'debug' }],
  ['prod', { namespace: 'switchboard', replicas: 3, maxReplicas: 10, minAvailable: 2, logLevel: 'info' }],
] as const) {
  describe(`kubectl kustomize deploy/k8s/overlays/${overlay}`, { skip }, () => {
    it('kubectl is available to render it', () => assert.ok(haveKubectl, `${kubectl} missing and REQUIRE_SERVICES=1`));

    it('renders the hub Deployment, Services, PDB, HPA, NetworkPolicies, ConfigMaps and rag StatefulSet in its namespace', () => {
      const objects = render(overlay);
      const kinds = new Set(objects.map((o) => o.kind));
      for (const kind of [
        'Namespace',
        'ServiceAccount',
        'ConfigMap',
        'Service',
        'Deployment',
        'StatefulSet',
        'PodDisruptionBudget',
        'HorizontalPodAutoscaler',
        'NetworkPolicy',
      ])
        assert.ok(kinds.has(kind), `no ${kind}`);
      assert.equal(one(objects, 'Namespace', expected.namespace).kind, 'Namespace');
      for (const o of objects.filter((x) => x.kind !== 'Namespace'))
        assert.equal(o.metadata.namespace, expected.namespace, `${o.kind} ${o.metadata.name}`);
      assert.ok(!kinds.has('Secret'), 'no Secret may be rendered from the repository: it is created out of band');
    });

    it('runs several hub replicas on the shared Postgres task store, with probes, a drain window and no root', () => {
      const objects = render(overlay);
      const hub = one(objects, 'Deployment', 'switchboard-hub');
      assert.equal(hub.spec.replicas, expected.replicas);
      assert.ok(hub.spec.replicas >= 2, 'several replicas');
      assert.equal(hub.spec.strategy.rollingUpdate.maxUnavailable, 0);
      const pod = hub.spec.template.spec;
      const [container] = pod.containers;
      assert.match(container.image, /^registry\.example\.com\/switchboard:\d+\.\d+\.\d+$/);
      const port = container.ports.find((p: K8s) => p.name === 'http');
      assert.equal(port.containerPort, 7700);
      assert.deepEqual([container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path], ['/health', '/ready']);
      assert.equal(container.startupProbe.httpGet.path, '/health');
      const env = Object.fromEntries(container.env.map((e: K8s) => [e.name, e.value]));
      assert.equal(env.LOG_LEVEL, expected.logLevel);
      // the pod outlives preStop + drain
      const preStop = Number(container.lifecycle.preStop.exec.command.at(-1));
      assert.ok(
        pod.terminationGracePeriodSeconds > preStop + Number(env.SWITCHBOARD_DRAIN_MS) / 1000,
        'grace period too short for the drain',
      );
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(container.securityContext.readOnlyRootFilesystem, true);
      assert.equal(container.securityContext.allowPrivilegeEscalation, false);
      assert.equal(pod.automountServiceAccountToken, false);

      // secrets: files from the Secret, by reference; no literal value under a secret-looking name
      for (const e of container.env as K8s[]) {
        if (e.name.endsWith('_FILE')) assert.match(e.value, /^\/run\/secrets\/switchboard\//, e.name);
        else if (/PASSWORD|SECRET|TOKEN|API_KEY|DATABASE_URL|REDIS_URL|MONGODB_URL|AMQP_URL/.test(e.name))
          assert.fail(`env ${e.name} carries a value; secrets come from files (${e.name}_FILE)`);
      }
      const secretVolume = pod.volumes.find((v: K8s) => v.secret);
      assert.equal(secretVolume.secret.secretName, 'switchboard-secrets');
      assert.ok(
        container.volumeMounts.some((m: K8s) => m.name === secretVolume.name && m.mountPath === '/run/secrets/switchboard' && m.readOnly),
      );

      // the config the container is started with is the ConfigMap, valid for the hub, on Postgres
      const configArg = container.args[container.args.indexOf('--config') + 1];
      const configVolume = pod.volumes.find((v: K8s) => v.configMap?.name.startsWith('switchboard-config'));
      const configMount = container.volumeMounts.find((m: K8s) => m.name === configVolume.name);
      assert.equal(configArg, `${configMount.mountPath}/switchboard.yaml`);
      const configMap = one(objects, 'ConfigMap', configVolume.configMap.name);
      const config = parseWithSecretFiles(configMap.data['switchboard.yaml'], env);
      assert.equal(config.tasks.store, 'postgres', 'replicas share the task store: it must be Postgres');
      assert.equal(config.audit.store, 'postgres');
      for (const name of Object.keys(secretEnv).filter((n) => n !== 'RAG_SERVER_TOKEN'))
        assert.ok(env[`${name}_FILE`], `switchboard.yaml reads ${name}: the Deployment must give ${name}_FILE`);
      assert.ok(env.RAG_SERVER_TOKEN_FILE);

      // roles: the ConfigMap is mounted where the config's `roles:` points, and every role is valid
      const rolesVolume = pod.volumes.find((v: K8s) => v.configMap?.name.startsWith('switchboard-roles'));
      const rolesMount = container.volumeMounts.find((m: K8s) => m.name === rolesVolume.name);
      assert.equal(join(configMount.mountPath, config.roles ?? ''), rolesMount.mountPath);
      const roles = one(objects, 'ConfigMap', rolesVolume.configMap.name);
      assert.ok(Object.keys(roles.data).length >= 1);
      for (const [file, text] of Object.entries(roles.data as Record<string, string>)) parseRole(text, file);
    });

    it('Service, PDB and HPA point at the hub pods; the rag server is reachable from the hub only', () => {
      const objects = render(overlay);
      const hub = one(objects, 'Deployment', 'switchboard-hub');
      const labels = hub.spec.template.metadata.labels;
      const service = one(objects, 'Service', 'switchboard-hub');
      assert.ok(matches(service.spec.selector, labels));
      assert.equal(service.spec.ports[0].targetPort, 'http');
      const pdb = one(objects, 'PodDisruptionBudget', 'switchboard-hub');
      assert.ok(matches(pdb.spec.selector.matchLabels, labels));
      assert.equal(pdb.spec.minAvailable, expected.minAvailable);
      assert.ok(pdb.spec.minAvailable < expected.replicas, 'the PDB must leave room to drain a node');
      const hpa = one(objects, 'HorizontalPodAutoscaler', 'switchboard-hub');
      assert.deepEqual([hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name], ['Deployment', 'switchboard-hub']);
      assert.equal(hpa.spec.minReplicas, expected.replicas);
      assert.equal(hpa.spec.maxReplicas, expected.maxReplicas);
      const rag = one(objects, 'StatefulSet', 'switchboard-rag');
      assert.equal(rag.spec.replicas, 1);
      const ragEnv = rag.spec.template.spec.containers[0].env.map((e: K8s) => e.name);
      assert.ok(ragEnv.includes('SWITCHBOARD_SERVER_TOKEN_FILE'), 'the rag server wants the bearer token');
      const policy = one(objects, 'NetworkPolicy', 'switchboard-rag');
      assert.ok(matches(policy.spec.podSelector.matchLabels, rag.spec.template.metadata.labels));
      assert.ok(matches(policy.spec.ingress[0].from[0].podSelector.matchLabels, labels), 'only hub pods may reach rag');
    });
  });
}

describe('deploy/k8s sources', () => {
  it('every role file in the base is listed in the roles ConfigMap, and valid', () => {
    const dir = join(root, 'deploy/k8s/base/roles');
    const kustomization = readFileSync(join(root, 'deploy/k8s/base/kustomization.yaml'), 'utf8');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      assert.ok(kustomization.includes(`roles/${file}`), `deploy/k8s/base/roles/${file} is not in the switchboard-roles ConfigMap`);
      parseRole(readFileSync(join(dir, file), 'utf8'), file);
    }
  });

  it('no image is untagged or `latest`', () => {
    const dirs = ['base', 'overlays/staging', 'overlays/prod'].map((d) => join(root, 'deploy/k8s', d));
    for (const dir of dirs) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
        for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/^\s*(?:image|newTag):\s*(\S+)/gm)) {
          assert.ok(!/(^|:)latest$/.test(match[1] ?? ''), `${file}: ${match[0].trim()}`);
        }
      }
    }
  });
});
