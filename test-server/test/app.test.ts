import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CaseReport, createApp, main, type RunReport } from '../src/index.ts';
import { type StandInHub, startStandInHub } from './stand-in-hub.ts';

const passingCase = `name: passing
description: reader reads, the hub lists, /health answers
steps:
  - name: hub is healthy
    http: { method: GET, path: /health }
    expect: { status: 200, json: { equals: { status: ok } } }
  - name: mcp lists the tools
    list: tools
    expect: { includes: [fs__read_file, agent__reader], excludes: [fs__delete] }
  - name: reader reads the seeded file
    tool: agent__reader
    arguments: { task: read hello.txt }
    save: reader
    expect:
      isError: false
      text: { contains: Hello from Switchboard. }
      structured: { schema: { type: object, required: [answer] }, equals: { role: reader } }
      maxMs: 60000
      idempotent: true
  - name: reader is refused a write
    tool: agent__reader
    arguments: { task: write, context: { steps: [{ tool: fs__write_file, arguments: { path: hello.txt } }] } }
    expect: { isError: true, errorCode: ACL_DENIED, text: { contains: fs__write_file } }
  - name: direct read agrees with the reader
    tool: fs__read_file
    arguments: { path: hello.txt }
    expect: { text: { equals: "{{reader.structured.answer}}" }, structured: { equals: { path: hello.txt } } }
`;

const brokenCase = `name: broken
steps:
  - name: reader reads the seeded file
    tool: agent__reader
    arguments: { task: read hello.txt }
    expect: { isError: false, text: { contains: Goodbye } }
  - name: hub is healthy
    http: { path: /health }
    expect: { status: 200 }
`;

const malformedCase = `name: malformed
steps:
  - name: typo
    tool: fs__read_file
    expect: { txt: { contains: x } }
`;

describe('test-server against a stand-in hub', () => {
  let hub: StandInHub;
  let casesDir: string;
  let app: ReturnType<typeof createApp>;

  before(async () => {
    hub = await startStandInHub();
    casesDir = await mkdtemp(join(tmpdir(), 'test-server-cases-'));
    await writeFile(join(casesDir, 'passing.yaml'), passingCase);
    await writeFile(join(casesDir, 'broken.yaml'), brokenCase);
    await writeFile(join(casesDir, 'malformed.yaml'), malformedCase);
    app = createApp({ casesDir, hub: { url: hub.url } });
  });

  after(async () => {
    await hub.close();
    await rm(casesDir, { recursive: true, force: true });
  });

  it('GET /health', async () => {
    const response = await app.request('/health');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('GET /cases lists cases, and a malformed file with its file and key', async () => {
    const body = (await (await app.request('/cases')).json()) as { cases: { name: string; steps: number; error?: string }[] };
    assert.deepEqual(
      body.cases.map((c) => [c.name, c.steps]),
      [
        ['broken', 2],
        ['malformed', 0],
        ['passing', 5],
      ],
    );
    assert.match(body.cases[1]?.error ?? '', /malformed\.yaml: steps\[0\]\.expect\.txt: unknown key/);
  });

  it('a passing case passes with every assertion passed', async () => {
    const response = await app.request('/run/passing', { method: 'POST' });
    assert.equal(response.status, 200);
    const report = (await response.json()) as CaseReport;
    const failures = report.steps.flatMap((step) => [
      ...(step.error ? [step.error] : []),
      ...step.assertions.filter((a) => !a.passed).map((a) => a.name),
    ]);
    assert.deepEqual(failures, []);
    assert.equal(report.passed, true);
    assert.equal(report.case, 'passing');
    assert.deepEqual(
      report.steps.map((step) => step.kind),
      ['http', 'list', 'tool', 'tool', 'tool'],
    );
    const names = report.steps.flatMap((step) => step.assertions.map((a) => a.name));
    assert.ok(names.includes('step "reader reads the seeded file": is idempotent (a second call answers the same)'));
    assert.ok(names.includes('step "reader is refused a write": errorCode is ACL_DENIED'));
    assert.equal(names.length, 16);
  });

  it('a broken expectation fails, naming the assertion, and later steps still run', async () => {
    const response = await app.request('/run/broken', { method: 'POST' });
    assert.equal(response.status, 200);
    const report = (await response.json()) as CaseReport;
    assert.equal(report.passed, false);
    const failed = report.steps.flatMap((step) => step.assertions.filter((a) => !a.passed));
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.name, 'step "reader reads the seeded file": text contains "Goodbye"');
    assert.equal(failed[0]?.expected, 'Goodbye');
    assert.equal(failed[0]?.actual, 'Hello from Switchboard.\n');
    assert.equal(report.steps[1]?.passed, true);
  });

  it('an unknown case is a 404 naming the known ones', async () => {
    const response = await app.request('/run/nope', { method: 'POST' });
    assert.equal(response.status, 404);
    const body = (await response.json()) as { error: string };
    assert.match(body.error, /unknown case 'nope' \(known: broken, malformed, passing\)/);
  });

  it('POST /run reports every case, the malformed one failed with its file and key', async () => {
    const report = (await (await app.request('/run', { method: 'POST' })).json()) as RunReport;
    assert.equal(report.passed, false);
    assert.deepEqual(report.summary, { cases: 3, passed: 1, failed: 2, assertions: 16 + 3 + 1, failedAssertions: 2 });
    const malformed = report.cases.find((c) => c.case === 'malformed');
    assert.equal(malformed?.passed, false);
    assert.match(malformed?.error ?? '', /malformed\.yaml: steps\[0\]\.expect\.txt/);
  });

  it('an unreachable hub fails each step with an error instead of crashing', async () => {
    const closed = await startStandInHub();
    await closed.close();
    const offline = createApp({ casesDir, hub: { url: closed.url, timeoutMs: 5000 } });
    const response = await offline.request('/run/broken', { method: 'POST' });
    assert.equal(response.status, 200);
    const report = (await response.json()) as CaseReport;
    assert.equal(report.passed, false);
    assert.deepEqual(
      report.steps.map((step) => [step.passed, typeof step.error]),
      [
        [false, 'string'],
        [false, 'string'],
      ],
    );
  });

  it('main() listens on a free port and serves the same routes', async () => {
    const running = await main(['--port', '0', '--hub', hub.url, '--cases', casesDir]);
    try {
      assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${running.url}/run/passing`, { method: 'POST' });
      assert.equal(((await response.json()) as CaseReport).passed, true);
    } finally {
      await running.close();
    }
  });
});
