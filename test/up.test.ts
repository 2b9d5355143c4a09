// `switchboard up` on a fresh directory: the embedded defaults (fs, shell, rag over ./work, SQLite
// tasks and audit in ./data) as separate processes; what it prints; the servers refusing callers
// without the hub's token; a crashed server restarted; Ctrl-C stopping everything; and no orphan
// server when `up` itself is SIGKILLed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { alive, startUp, type UpProcess, waitUntil } from './support/up-process.ts';

const text = (result: { content?: unknown }) => JSON.stringify(result.content);

describe('switchboard up (embedded defaults)', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-up-'));
    dirs.push(dir);
    return dir;
  };
  const started: UpProcess[] = [];
  after(() => {
    for (const up of started) up.kill();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('runs hub, fs, shell and rag as processes, serves calls and tasks, restarts a crashed server, stops on Ctrl-C', async () => {
    const cwd = fresh();
    const up = await startUp(['--port', '0'], cwd);
    started.push(up);
    assert.match(up.hubUrl, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.deepEqual([...up.servers.keys()].sort(), ['fs', 'rag', 'shell']);
    assert.match(up.stdout(), /tasks sqlite, audit sqlite/);
    for (const [name, server] of up.servers) {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/, name);
      assert.ok(alive(server.pid), `${name} runs as pid ${server.pid}`);
      assert.notEqual(server.pid, up.child.pid);
      // nobody but the hub can call a server: it wants the token only the hub was given
      const direct = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      assert.equal(direct.status, 401, `${name} answered a caller without the token`);
    }

    const client = new Client({ name: 'up-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(up.hubUrl)));
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const tool of ['fs__write_file', 'shell__run', 'rag__search', 'hub__submit_task']) assert.ok(names.includes(tool), tool);
    const wrote = await client.callTool({ name: 'fs__write_file', arguments: { path: 'notes/hello.md', content: 'switchboard up works' } });
    assert.equal(wrote.isError, undefined, text(wrote));
    assert.ok(existsSync(join(cwd, 'work', 'notes', 'hello.md')), 'fs writes under ./work');
    const listed = await client.callTool({ name: 'shell__run', arguments: { argv: ['ls', 'notes'] } });
    assert.match(text(listed), /hello\.md/);
    const created = await client.callTool({ name: 'rag__create_collection', arguments: { collection: 'notes' } });
    assert.equal(created.isError, undefined, text(created));
    const indexed = await client.callTool({
      name: 'rag__index',
      arguments: { collection: 'notes', documents: [{ id: 'hello', text: 'the quick brown fox jumps over the lazy dog' }] },
    });
    assert.equal(indexed.isError, undefined, text(indexed));
    const found = await client.callTool({ name: 'rag__search', arguments: { collection: 'notes', query: 'brown fox' } });
    assert.match(text(found), /hello#0/);

    const base = up.hubUrl.replace(/\/mcp$/, '');
    const submitted = await fetch(`${base}/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'fs__read_file', input: { path: 'notes/hello.md' } }),
    });
    assert.equal(submitted.status, 201);
    const { id } = (await submitted.json()) as { id: string };
    await waitUntil(
      async () => ((await (await fetch(`${base}/v1/tasks/${id}`)).json()) as { state: string }).state === 'succeeded',
      'the task',
    );
    for (const file of ['tasks.db', 'audit.db', 'rag/rag.sqlite']) assert.ok(existsSync(join(cwd, 'data', file)), `data/${file}`);

    // a server that crashes comes back (same port, same token) and the hub reconnects to it
    const fs = up.servers.get('fs');
    assert.ok(fs);
    process.kill(fs.pid, 'SIGKILL');
    await waitUntil(() => /"server":"fs".*server exited; restarting it/.test(up.stderr()), 'the restart');
    await waitUntil(
      async () => {
        const again = await client.callTool({ name: 'fs__read_file', arguments: { path: 'notes/hello.md' } }).catch(() => undefined);
        return again !== undefined && again.isError === undefined && text(again).includes('switchboard up works');
      },
      'fs to answer through the hub again',
      60_000,
    );
    await client.close();

    const pids = [...up.servers.values()].map((s) => s.pid).filter((pid) => pid !== fs.pid);
    process.kill(up.child.pid as number, 'SIGINT');
    assert.equal(await up.exit, 0, up.stderr());
    for (const pid of pids) assert.equal(alive(pid), false, `server pid ${pid} still runs after Ctrl-C`);
    assert.match(up.stderr(), /"msg":"stopped"/);
  });

  it('leaves no server behind when up itself is killed (SIGKILL)', async () => {
    const up = await startUp(['--port', '0'], fresh());
    started.push(up);
    const pids = [...up.servers.values()].map((s) => s.pid);
    assert.equal(pids.length, 3);
    process.kill(up.child.pid as number, 'SIGKILL');
    await up.exit;
    await waitUntil(() => pids.every((pid) => !alive(pid)), 'the servers to exit with their parent', 20_000);
  });
});
