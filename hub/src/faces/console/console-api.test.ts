// The console's /v1 endpoints on a real Hub over a real (counting) upstream, through the real HTTP face
// and its auth middleware, with real API keys: who sees what, paging, filters, confirmations.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@switchboard/kit';
import { hashApiKey } from '../../auth/index.ts';
import { loadRoles, parseHubConfig } from '../../config/index.ts';
import { Hub } from '../../hub.ts';
import { createHttpFace } from '../http.ts';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const KEYS = { admin: 'sb_console_test_admin_key_0123456789', viewer: 'sb_console_test_viewer_key_012345' };
type Json = Record<string, unknown> & { error?: { code: string; message: string; field?: string } };

describe('console API (/v1) on a real hub', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-console-api-'));
  let hub: Hub;
  let face: ReturnType<typeof createHttpFace>;

  before(async () => {
    mkdirSync(join(dir, 'roles'));
    mkdirSync(join(dir, 'ui'));
    writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(
      join(dir, 'roles', 'scribe.yaml'),
      'name: scribe\ndescription: writes notes\ntools: { allow: [count__echo] }\nlimits: { maxSteps: 4, timeoutMs: 5000 }\nplaybooks:\n  - { name: note, description: "note <path>", match: "^note (?<path>\\\\S+)$", steps: [{ tool: count__echo, arguments: { path: "{{path}}" } }] }\n',
    );
    // A role that needs a person's approval: a planner run with it waits (awaiting_approval).
    writeFileSync(
      join(dir, 'roles', 'ops.yaml'),
      'name: ops\ndescription: changes things\ntools: { allow: [count__hits] }\nrequiresApproval: true\nplaybooks:\n  - { name: poke, match: "^poke$", steps: [{ tool: count__hits, arguments: {} }] }\n',
    );
    const fixture = join(repoRoot, 'test/fixtures/counting-server.ts');
    const yaml = `
hub: { name: console-test, dataDir: ./data }
roles: ./roles
upstreams:
  count: { command: ${JSON.stringify(process.execPath)}, args: [--import, tsx, ${JSON.stringify(fixture)}], cwd: ${JSON.stringify(repoRoot)} }
tasks: { store: memory, pollMs: 50, sweepMs: 50 }
auth:
  apiKeys:
    - { id: admin, role: admin, sha256: ${hashApiKey(KEYS.admin)} }
    - { id: viewer, role: viewer, sha256: ${hashApiKey(KEYS.viewer)} }
policy:
  roles:
    viewer: { tools: { allow: [count__hits, count__echo, hub__list_tasks, hub__task_status], deny: [count__echo] } }
quotas:
  - { name: viewer-rate, roles: [viewer], callsPerMinute: 1000 }
`;
    const config = parseHubConfig(yaml, join(dir, 'switchboard.yaml'), {});
    const loaded = { config, source: 'console-test.yaml', baseDir: dir, rolesDir: join(dir, 'roles') };
    hub = await Hub.start({
      loaded,
      roles: loadRoles(loaded.rolesDir),
      logger: createLogger('test', 'silent'),
      selfCommand: [process.execPath],
    });
    hub.tasks.start();
    process.env.SWITCHBOARD_CONSOLE_DIR = join(dir, 'ui');
    face = createHttpFace(hub, '127.0.0.1');
    delete process.env.SWITCHBOARD_CONSOLE_DIR;
  });

  after(async () => {
    await face?.close();
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, key?: keyof typeof KEYS, body?: unknown) => {
    const headers = new Headers({ host: '127.0.0.1' });
    if (key) headers.set('authorization', `Bearer ${KEYS[key]}`);
    if (body !== undefined) headers.set('content-type', 'application/json');
    const init: RequestInit = {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    };
    const response = await face.app.fetch(new Request(`http://127.0.0.1${path}`, init));
    const text = await response.text();
    let json: Json = {};
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: response.status, json, text, headers: response.headers };
  };

  it('serves the bundle without a token, and refuses every /v1 endpoint without one', async () => {
    const page = await call('GET', '/ui/tasks');
    assert.equal(page.status, 200);
    assert.match(page.text, /<title>console<\/title>/);
    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/overview'],
      ['GET', '/v1/catalog'],
      ['GET', '/v1/roles'],
      ['GET', '/v1/audit'],
      ['GET', '/v1/audit/export'],
      ['POST', '/v1/tools/count__hits/call'],
      ['GET', '/v1/tasks/x/detail'],
    ] as const) {
      const answer = await call(method, path);
      assert.equal(answer.status, 401, `${method} ${path}`);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer /);
    }
  });

  it('says who the caller is', async () => {
    assert.deepEqual((await call('GET', '/v1/me', 'admin')).json.principal, { id: 'key:admin', role: 'admin', kind: 'api-key' });
    assert.equal((await call('GET', '/v1/me', 'viewer')).json.admin, false);
  });

  it('overview: the hub and each upstream with its state, tool count and traffic', async () => {
    const { status, json } = await call('GET', '/v1/overview', 'viewer');
    assert.equal(status, 200);
    const body = json as {
      hub: { name: string; stores: object; version: string };
      upstreams: { name: string; state: string; tools: number; traffic: object }[];
    };
    assert.equal(body.hub.name, 'console-test');
    assert.deepEqual(body.hub.stores, { tasks: 'memory', audit: 'sqlite' });
    assert.match(body.hub.version, /^\d+\.\d+\.\d+/);
    assert.equal(body.upstreams[0]?.name, 'count');
    assert.equal(body.upstreams[0]?.state, 'connected');
    assert.equal(body.upstreams[0]?.tools, 4);
    assert.ok('now' in (body.upstreams[0]?.traffic ?? {}) && 'series' in (body.upstreams[0]?.traffic ?? {}));
  });

  it('catalogue: admins see every tool and the roles that may call it; others only their own tools', async () => {
    const admin = (await call('GET', '/v1catalog'.replace('v1', 'v1/'), 'admin')).json.tools as Json[];
    const echo = admin.find((t) => t.name === 'count__echo');
    assert.deepEqual(echo?.roles, ['admin', 'scribe'], 'viewer denies count__echo');
    assert.equal(echo?.kind, 'upstream');
    assert.equal(echo?.upstream, 'count');
    assert.equal(echo?.destructive, true, 'no annotations: MCP says it may be destructive');
    assert.equal(admin.find((t) => t.name === 'hub__list_tasks')?.destructive, false);
    assert.equal(admin.find((t) => t.name === 'agent__scribe')?.kind, 'agent');
    assert.ok(admin.every((t) => t.callable === true));
    const viewer = (await call('GET', '/v1/catalog', 'viewer')).json.tools as Json[];
    assert.deepEqual(
      viewer.map((t) => t.name),
      ['count__hits', 'hub__list_tasks', 'hub__task_status'],
    );
    assert.ok(viewer.every((t) => !('roles' in t)));
    assert.equal((viewer[0] as Json).inputSchema && ((viewer[0] as Json).inputSchema as { type: string }).type, 'object');
  });

  it('roles: every role for admins (rules, limits, playbooks, quotas, effective tools); only its own for others', async () => {
    const roles = (await call('GET', '/v1/roles', 'admin')).json.roles as Json[];
    assert.deepEqual(
      roles.map((r) => r.name),
      ['admin', 'ops', 'scribe', 'viewer'],
    );
    const scribe = roles.find((r) => r.name === 'scribe') as Json;
    const limits = scribe.limits as { maxSteps: number; timeoutMs: number };
    assert.deepEqual([limits.maxSteps, limits.timeoutMs], [4, 5000]);
    assert.equal((scribe.playbooks as Json[])[0]?.name, 'note');
    assert.equal(scribe.origin, 'roles/scribe.yaml');
    assert.deepEqual(scribe.effectiveTools, ['count__echo']);
    const viewer = roles.find((r) => r.name === 'viewer') as Json;
    assert.deepEqual(viewer.tools, {
      allow: ['count__hits', 'count__echo', 'hub__list_tasks', 'hub__task_status'],
      deny: ['count__echo'],
    });
    assert.equal((viewer.quotas as Json[])[0]?.name, 'viewer-rate');
    const own = (await call('GET', '/v1/roles', 'viewer')).json.roles as Json[];
    assert.deepEqual(
      own.map((r) => r.name),
      ['viewer'],
    );
  });

  it('try it: calls a tool as the caller, through policy and audit; destructive tools need confirm', async () => {
    const ok = await call('POST', '/v1/tools/count__hits/call', 'viewer', { arguments: {}, confirm: true });
    assert.equal(ok.status, 200);
    assert.equal((ok.json.result as { isError?: boolean }).isError, undefined);
    const [audited] = await hub.auditStore.query({ correlationId: ok.json.correlationId as string });
    assert.equal(audited?.principal, 'key:viewer');
    assert.equal(audited?.tool, 'count__hits');

    const before = await call('POST', '/v1/tools/count__hits/call', 'admin', { confirm: true });
    const unconfirmed = await call('POST', '/v1/tools/count__echo/call', 'admin', { arguments: { path: 'x' } });
    assert.equal(unconfirmed.status, 428);
    assert.equal(unconfirmed.json.error?.code, 'CONFIRMATION_REQUIRED');
    assert.equal(unconfirmed.json.error?.field, 'confirm');
    const afterwards = await call('POST', '/v1/tools/count__hits/call', 'admin', { confirm: true });
    const hits = (r: Json) => JSON.parse(((r.result as { content: { text: string }[] }).content[0] as { text: string }).text).hits;
    assert.equal(hits(afterwards.json), hits(before.json), 'the unconfirmed call never reached the upstream');

    const denied = await call('POST', '/v1/tools/count__echo/call', 'viewer', { arguments: {}, confirm: true });
    assert.equal(denied.status, 200);
    const result = denied.json.result as { isError: boolean; _meta: Record<string, { code: string }> };
    assert.equal(result.isError, true);
    assert.equal(result._meta['switchboard/error']?.code, 'ACL_DENIED');
    assert.equal((await hub.auditStore.query({ correlationId: denied.json.correlationId as string }))[0]?.outcome, 'denied');

    assert.equal((await call('POST', '/v1/tools/nope__nothing/call', 'admin', {})).status, 404);
    const notObject = await call('POST', '/v1/tools/hub__list_tasks/call', 'admin', { arguments: [1] });
    assert.equal(notObject.status, 400);
    assert.equal(notObject.json.error?.field, 'arguments');
    assert.equal((await call('POST', '/v1/tools/hub__list_tasks/call', 'admin', '[]')).status, 400);
  });

  it('audit: admin only; pages newest first with offset, pinned by until; filters; bad filters name the field', async () => {
    const refused = await call('GET', '/v1/audit', 'viewer');
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error?.code, 'ACL_DENIED');
    assert.match(refused.json.error?.message ?? '', /'admin' role; principal 'key:viewer' has role 'viewer'/);
    assert.equal((await call('GET', '/v1/audit/export', 'viewer')).status, 403);

    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 250; i++) {
      const start = {
        id: `seed-${i}`,
        instance: 't',
        startedAt: base + i,
        principal: 'key:seed',
        role: 'r',
        tool: i % 2 ? 'seed__odd' : 'seed__even',
        argsDigest: 'sha256:x',
        argKeys: [],
        correlationId: `c-${i}`,
        depth: 0,
      };
      await hub.auditStore.record(start, { finishedAt: base + i + 1, outcome: i % 10 === 0 ? 'error' : 'ok', durationMs: 1 });
    }
    const seen: string[] = [];
    let offset: number | null = 0;
    let until = '';
    let pages = 0;
    while (offset !== null) {
      const page = await call('GET', `/v1/audit?principal=key:seed&limit=100&offset=${offset}${until ? `&until=${until}` : ''}`, 'admin');
      assert.equal(page.status, 200);
      until = page.json.until as string;
      seen.push(...(page.json.records as { id: string }[]).map((r) => r.id));
      offset = page.json.nextOffset as number | null;
      pages++;
      if (pages === 1) {
        const late = {
          id: 'late',
          instance: 't',
          startedAt: Date.now() + 1000,
          principal: 'key:seed',
          role: 'r',
          tool: 'seed__even',
          argsDigest: 'sha256:x',
          argKeys: [],
          correlationId: 'late',
          depth: 0,
        };
        await hub.auditStore.record(late, { finishedAt: late.startedAt, outcome: 'ok', durationMs: 1 });
      }
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 250);
    assert.equal(new Set(seen).size, 250);
    assert.equal(seen[0], 'seed-249', 'newest first');
    assert.ok(!seen.includes('late'), 'pages pinned to the first page’s until');

    const q = async (query: string) =>
      (await call('GET', `/v1/audit?principal=key:seed&limit=500&${query}`, 'admin')).json.records as { tool: string; outcome: string }[];
    assert.equal((await q('tool=seed__odd')).length, 125);
    assert.equal((await q('tool=seed__*')).length, 250, 'without until: up to now (the late record is in the future)');
    assert.equal((await q(`tool=seed__*&until=${Date.now() + 60_000}`)).length, 251);
    assert.equal((await q('outcome=error')).length, 25);
    assert.equal((await q(`since=${new Date(base + 200).toISOString()}&until=${new Date(base + 209).toISOString()}`)).length, 10);
    assert.equal((await q(`since=${base + 240}&until=${base + 249}`)).length, 10);
    for (const [query, field] of [
      ['outcome=maybe', 'outcome'],
      ['since=yesterday', 'since'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['offset=-1', 'offset'],
      ['colour=red', 'colour'],
    ]) {
      const bad = await call('GET', `/v1/audit?${query}`, 'admin');
      assert.equal(bad.status, 400, query);
      assert.equal(bad.json.error?.field, field, query);
    }
  });

  it('audit export: every matching record as JSON lines, beyond one page', async () => {
    const answer = await call('GET', `/v1/audit/export?principal=key:seed&tool=seed__*&until=${Date.now() + 60_000}`, 'admin');
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /application\/x-ndjson/);
    assert.match(answer.headers.get('content-disposition') ?? '', /attachment; filename="switchboard-audit-.*\.jsonl"/);
    const lines = answer.text.trim().split('\n');
    assert.equal(lines.length, 251);
    assert.equal(JSON.parse(lines[0] as string).principal, 'key:seed');
    assert.equal((await call('GET', '/v1/audit/export?limit=5', 'admin')).json.error?.field, 'limit');
  });

  it('tasks: list by created time; a DAG’s detail has each step’s input, result, events and calls', async () => {
    const submitted = await call('POST', '/v1/tasks', 'admin', {
      steps: [
        { id: 'first', target: 'count__echo', input: { path: 'a.txt' } },
        { id: 'second', target: 'count__echo', input: { path: 'b.txt' }, dependsOn: ['first'] },
      ],
    });
    assert.equal(submitted.status, 201);
    const id = submitted.json.id as string;
    await hub.tasks.scheduler.waitFor(id, 60_000);
    const created = submitted.json.createdAt as string;
    assert.ok(((await call('GET', `/v1/tasks?since=${created}`, 'admin')).json.tasks as Json[]).some((t) => t.id === id));
    const future = new Date(Date.now() + 60_000).toISOString();
    assert.deepEqual((await call('GET', `/v1/tasks?since=${future}`, 'admin')).json.tasks, []);
    assert.equal((await call('GET', '/v1/tasks?since=soon', 'admin')).status, 400);

    const detail = (await call('GET', `/v1/tasks/${id}/detail`, 'admin')).json as {
      task: Json;
      steps: Json[];
      actions: Record<string, Json>;
    };
    assert.equal(detail.task.state, 'succeeded');
    assert.deepEqual(
      detail.steps.map((s) => [s.id, s.state, s.dependsOn]),
      [
        ['first', 'succeeded', []],
        ['second', 'succeeded', ['first']],
      ],
    );
    assert.deepEqual(detail.steps[1]?.input, { path: 'b.txt' });
    assert.equal(((detail.steps[0] as Json).calls as Json[]).length, 1);
    assert.equal(((detail.steps[0] as Json).calls as Json[])[0]?.tool, 'count__echo');
    assert.ok(((detail.steps[0] as Json).events as Json[]).some((e) => e.state === 'succeeded'));
    assert.equal(typeof detail.steps[0]?.durationMs, 'number');
    assert.equal(detail.actions.cancel?.allowed, false);
    assert.equal(detail.actions.approve?.allowed, false);
    assert.match(detail.actions.approve?.reason as string, /^not a planner run/);
    assert.equal(detail.actions.approve?.runId, undefined);

    const other = (await call('GET', `/v1/tasks/${id}/detail`, 'viewer')).json as { steps: Json[]; calls: Json };
    assert.equal(other.steps[1]?.input, null, 'not the submitter, not an admin: no inputs');
    assert.deepEqual(other.steps[0]?.calls, []);
    assert.equal(other.calls.hidden, true);
    assert.equal((await call('GET', '/v1/tasks/nope/detail', 'admin')).status, 404);
  });

  it('tasks: a planner run waiting for approval offers approve / reject to whoever may decide, and resumes when approved', async () => {
    const started = await call('POST', '/v1/runs', 'admin', { task: 'poke', waitMs: 60_000 });
    assert.equal(started.status, 201, started.text);
    assert.equal(started.json.status, 'awaiting_approval', started.text);
    const runId = started.json.runId as string;
    const actionsOf = async (id: string, key: keyof typeof KEYS) =>
      ((await call('GET', `/v1/tasks/${id}/detail`, key)).json as { actions: Record<string, Json> }).actions;

    const waiting = await actionsOf(runId, 'admin');
    for (const verb of ['approve', 'reject']) {
      assert.equal(waiting[verb]?.allowed, true, JSON.stringify(waiting[verb]));
      assert.equal(waiting[verb]?.reason, null);
      assert.equal(waiting[verb]?.runId, runId);
    }
    const approval = waiting.approve?.approval as { steps: { id: string; why: string }[]; text: string };
    assert.deepEqual(
      approval.steps.map((st) => [st.id, st.why]),
      [['ops', "role 'ops' requires approval"]],
    );
    assert.match(approval.text, /^waiting for approval: ops/);

    // A round's DAG (key run:<id>:round:<n>) and its steps belong to the run, when the run is really
    // theirs (same correlation id); the same key under another correlation id is anyone's DAG.
    const admin = { id: 'key:admin', role: 'admin', kind: 'api-key' as const };
    const runTask = await hub.tasks.scheduler.store.getTask(runId);
    const dagOf = async (round: number, correlationId: string) =>
      (
        await hub.tasks.scheduler.submit(
          { idempotencyKey: `run:${runId}:round:${round}`, steps: [{ id: 'h', target: 'count__hits', input: {} }] },
          { principal: admin, correlationId },
        )
      ).task;
    const roundDag = await dagOf(8, runTask?.correlationId as string);
    for (const id of [roundDag.id, roundDag.steps?.[0]?.taskId as string]) {
      const actions = await actionsOf(id, 'admin');
      assert.equal(actions.approve?.allowed, true, `${id}: ${JSON.stringify(actions.approve)}`);
      assert.equal(actions.approve?.runId, runId);
    }
    const forged = await actionsOf((await dagOf(9, 'someone-else')).id, 'admin');
    assert.equal(forged.approve?.allowed, false);
    assert.match(forged.approve?.reason as string, /^not a planner run/);

    // The viewer's role may not call hub__approve: the button says so, and the route agrees.
    const viewer = await actionsOf(runId, 'viewer');
    assert.equal(viewer.approve?.allowed, false);
    assert.match(viewer.approve?.reason as string, /hub__approve/);
    assert.equal(viewer.approve?.runId, runId);
    assert.equal((await call('POST', `/v1/runs/${runId}/approve`, 'viewer', {})).status, 403);

    const hitsBefore = (await hub.auditStore.query({ tool: 'count__hits', principal: 'agent:ops' })).length;
    const approved = await call('POST', `/v1/runs/${runId}/approve`, 'admin', { note: 'from the console' });
    assert.equal(approved.status, 200, approved.text);
    assert.ok(['resuming', 'running', 'succeeded'].includes(approved.json.status as string), approved.text);
    // waitMs returns early on awaiting_approval, and the run reads so again for a moment while its
    // resume task replays the interrupted node: ask until it is final.
    let done = await call('GET', `/v1/runs/${runId}?waitMs=60000`, 'admin');
    for (let i = 0; i < 100 && done.json.final !== true; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      done = await call('GET', `/v1/runs/${runId}?waitMs=60000`, 'admin');
    }
    assert.equal(done.json.status, 'succeeded', done.text);
    const report = done.json.report as { approvals: { stepId: string; by: string; note: string }[] };
    assert.deepEqual(
      report.approvals.map((g) => [g.stepId, g.by, g.note]),
      [['ops', 'key:admin', 'from the console']],
    );
    const hitsAfter = (await hub.auditStore.query({ tool: 'count__hits', principal: 'agent:ops' })).length;
    assert.equal(hitsAfter, hitsBefore + 1, 'the approved step ran');

    const approvalId = (waiting.approve?.approval as { id: string } | undefined)?.id;
    assert.ok(approvalId, 'the waiting run names its approval request');
    const { tasks: recent } = await hub.tasks.scheduler.store.listTasks({ kind: 'task', topLevel: true, limit: 50 });
    const resume = recent.find((t) => t.idempotencyKey === `run:${runId}:decision:${approvalId}`);
    assert.ok(resume !== undefined && resume.id !== runId, 'the decision ran as a resume task');
    for (const id of [runId, resume.id]) {
      const after = await actionsOf(id, 'admin');
      assert.equal(after.approve?.allowed, false);
      assert.equal(after.approve?.reason, 'the run is succeeded, not waiting for approval');
      assert.equal(after.reject?.runId, runId, id);
    }
  });
});
