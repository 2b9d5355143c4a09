// deploy/prometheus: the scrape config and alert rules pass promtool (Debian's `prometheus` package),
// every alert has a unit test that makes it fire (alerts.test.yml, run by `promtool test rules`),
// every metric the rules read is one the hub really exports, and every run-book they link exists.
// Without promtool the promtool checks skip with a reason; with REQUIRE_SERVICES=1 (CI) they fail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HubMetrics } from '@switchboard/hub';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'deploy/prometheus');
const promtool = process.env.PROMTOOL ?? 'promtool';
const probe = spawnSync(promtool, ['--version'], { encoding: 'utf8' });
const havePromtool = probe.error === undefined && probe.status === 0;
const skip =
  !havePromtool && process.env.REQUIRE_SERVICES !== '1'
    ? `${promtool} is not installed (apt-get install --no-install-recommends prometheus); set REQUIRE_SERVICES=1 to make this a failure`
    : false;
if (skip) console.log(`# promtool checks skipped: ${skip}`);

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  annotations?: Record<string, string>;
}
const rules = (parse(readFileSync(join(dir, 'alerts.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const alerts = rules.filter((r) => r.alert !== undefined);

function run(args: string[]): { status: number | null; out: string } {
  const result = spawnSync(promtool, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.error, undefined, `could not run ${promtool}: ${result.error?.message}`);
  return { status: result.status, out: `${result.stdout}\n${result.stderr}` };
}

describe('prometheus config and alert rules (promtool)', { skip }, () => {
  it('promtool is available', () => assert.ok(havePromtool, `${promtool} missing and REQUIRE_SERVICES=1`));

  it('the scrape config and the rules check', () => {
    const config = run(['check', 'config', 'deploy/prometheus/prometheus.yml']);
    assert.equal(config.status, 0, config.out);
    const checked = run(['check', 'rules', 'deploy/prometheus/alerts.yml']);
    assert.equal(checked.status, 0, checked.out);
    assert.match(checked.out, new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it('every alert fires in its unit test, and stays quiet on a healthy hub', () => {
    const tested = run(['test', 'rules', 'deploy/prometheus/alerts.test.yml']);
    assert.equal(tested.status, 0, tested.out);
  });
});

describe('prometheus sources', () => {
  it('every alert has a unit test expecting it to fire, and a run-book that exists', () => {
    const tests = parse(readFileSync(join(dir, 'alerts.test.yml'), 'utf8')) as {
      tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
    };
    const fired = new Set(
      tests.tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname)),
    );
    for (const alert of alerts) {
      assert.ok(fired.has(alert.alert as string), `no test makes ${alert.alert} fire`);
      const runbook = alert.annotations?.runbook;
      assert.ok(runbook && existsSync(join(root, runbook)), `${alert.alert}: run-book '${runbook}' does not exist`);
    }
  });

  it('every metric the rules read is exported by the hub', async () => {
    const exported = new Set(
      [...(await new HubMetrics().render()).body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name = '', type]) =>
        type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
      ),
    );
    const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
    for (const rule of rules) {
      const names = [...rule.expr.matchAll(/\b((?:switchboard|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1] as string);
      for (const name of names)
        assert.ok(exported.has(name) || recorded.has(name), `${rule.alert ?? rule.record}: the hub exports no '${name}'`);
    }
  });

  it('the Kubernetes scrape config keeps exactly the pods deploy/k8s annotates', () => {
    const config = parse(readFileSync(join(dir, 'prometheus.k8s.yml'), 'utf8')) as {
      scrape_configs: {
        job_name: string;
        relabel_configs: { source_labels?: string[]; action?: string; regex?: string; replacement?: string; target_label?: string }[];
      }[];
    };
    const job = config.scrape_configs[0];
    assert.ok(job);
    const keep = (label: string) => job.relabel_configs.find((r) => r.action === 'keep' && r.source_labels?.includes(label))?.regex;
    const deployment = parse(readFileSync(join(root, 'deploy/k8s/base/hub-deployment.yaml'), 'utf8')) as {
      spec: { template: { metadata: { annotations: Record<string, string>; labels: Record<string, string> } } };
    };
    const { annotations, labels } = deployment.spec.template.metadata;
    assert.equal(annotations['prometheus.io/scrape'], keep('__meta_kubernetes_pod_annotation_prometheus_io_scrape'));
    assert.equal(labels['app.kubernetes.io/component'], keep('__meta_kubernetes_pod_label_app_kubernetes_io_component'));
    assert.equal(annotations['prometheus.io/path'], '/metrics');
    assert.equal(
      job.relabel_configs.find((r) => r.target_label === 'job')?.replacement,
      'switchboard-hub',
      'the rules select job="switchboard-hub"',
    );
  });
});
