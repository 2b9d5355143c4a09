import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import type { Client as ReferenceClient } from '@modelcontextprotocol/sdk/client/index.js';
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/server';
import { createDiskBackend, createServer, FsConfigSchema } from '@switchboard/server-fs';
import { startRacer } from './racer.ts';
import { REFERENCE_FS, startReferenceFs, toReference } from './reference-fs.ts';
import { createSandbox, type Sandbox, SECRET } from './sandbox.ts';

/**
 * The same hostile inputs against the reference filesystem server and ours, on the same sandbox:
 * whatever the reference refuses, ours must refuse too, and neither may change the surroundings.
 * Where ours refuses more, the test says how often (that is the hardening, not a failure).
 */
const inputs = (s: Sandbox): [string, Record<string, unknown>][] => [
  ['read_file', { path: '../outside/secret.txt' }],
  ['read_file', { path: '../../../../../../etc/passwd' }],
  ['read_file', { path: s.secret }],
  ['read_file', { path: `${s.root}/../outside/secret.txt` }],
  ['read_file', { path: `${s.root}-evil/secret.txt` }],
  ['read_file', { path: `${s.root}/notes.txt\0/../../outside/secret.txt` }],
  ['read_file', { path: '~/.bashrc' }],
  ['read_file', { path: 'C:\\Windows\\win.ini' }],
  ['read_file', { path: 'C:/Windows/win.ini' }],
  ['read_file', { path: `${s.root}/link-secret` }],
  ['read_file', { path: `${s.root}/link-out/secret.txt` }],
  ['read_file', { path: '/proc/self/root/etc/passwd' }],
  ['read_file', { path: `/proc/self/cwd/../../../../etc/passwd` }],
  ['read_file', { path: `${s.root}//..//outside/secret.txt` }],
  ['write_file', { path: `${s.root}/link-out/pwned.txt`, content: 'x', createParents: false }],
  ['write_file', { path: `${s.root}/../outside/pwned.txt`, content: 'x', createParents: false }],
  ['write_file', { path: `${s.root}/link-secret`, content: 'x', createParents: false }],
  ['write_file', { path: `${s.root}-evil/pwned.txt`, content: 'x', createParents: false }],
  ['edit_file', { path: `${s.root}/link-secret`, edits: [{ oldText: 'TOP', newText: 'X' }] }],
  ['mkdir', { path: `${s.root}/link-out/newdir` }],
  ['mkdir', { path: `${s.root}/../outside/newdir` }],
  ['list_dir', { path: `${s.root}/link-out` }],
  ['list_dir', { path: `${s.root}/..` }],
  ['stat', { path: `${s.root}/link-out/secret.txt` }],
  ['stat', { path: '/etc/passwd' }],
  ['move', { path: `${s.root}/notes.txt`, destination: `${s.root}/../outside/moved.txt` }],
  ['move', { path: `${s.root}/link-out/secret.txt`, destination: `${s.root}/stolen.txt` }],
  ['move', { path: `${s.root}/notes.txt`, destination: `${s.root}/link-out/moved.txt` }],
  // Where ours is stricter: credentials, git internals (code execution on the next git command),
  // names that break line-oriented tools.
  ['read_file', { path: `${s.root}/.env` }],
  ['write_file', { path: `${s.root}/.git/hooks/pre-commit`, content: '#!/bin/sh\nid', createParents: false }],
  ['write_file', { path: `${s.root}/a\nb.txt`, content: 'x', createParents: false }],
  ['write_file', { path: `${s.root}/a\\b.txt`, content: 'x', createParents: false }],
];

describe('fs server vs the reference filesystem server', {
  skip: existsSync(REFERENCE_FS) ? false : 'npm @modelcontextprotocol/server-filesystem is not installed',
}, () => {
  let sandbox: Sandbox;
  let reference: ReferenceClient;
  let ours: Client;

  before(async () => {
    sandbox = createSandbox('reference');
    writeFileSync(join(sandbox.root, 'notes.txt'), 'inside');
    writeFileSync(join(sandbox.root, '.env'), 'TOKEN=1');
    mkdirSync(join(sandbox.root, '.git', 'hooks'), { recursive: true });
    symlinkSync(sandbox.secret, join(sandbox.root, 'link-secret'));
    symlinkSync(sandbox.outside, join(sandbox.root, 'link-out'));
    reference = await startReferenceFs(sandbox.root);
    const config = FsConfigSchema.parse({ roots: [sandbox.root] });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await createServer(createDiskBackend(), config).server.connect(b);
    ours = new Client({ name: 'compare', version: '1' });
    await ours.connect(a);
  });

  after(async () => {
    await reference?.close();
    await ours?.close();
    sandbox?.remove();
  });

  it('refuses every hostile input the reference refuses, and changes nothing outside', async () => {
    const before = sandbox.surroundings();
    const rows: string[] = [];
    let referenceRefused = 0;
    let onlyOurs = 0;
    for (const [tool, args] of inputs(sandbox)) {
      const theirs = (await reference.callTool(toReference(tool, args))) as CallToolResult;
      const mine = (await ours.callTool({ name: tool, arguments: args })) as CallToolResult;
      const label = `${tool} ${JSON.stringify(args).slice(0, 90)}`;
      if (theirs.isError) {
        referenceRefused++;
        assert.equal(mine.isError, true, `the reference refuses ${label}, ours did not: ${JSON.stringify(mine.content).slice(0, 200)}`);
      } else if (mine.isError) onlyOurs++;
      assert.doesNotMatch(JSON.stringify(mine), new RegExp(SECRET), label);
      rows.push(`${theirs.isError ? 'refused' : 'allowed'} / ${mine.isError ? 'refused' : 'allowed'}  ${label}`);
      // Restore what an allowed move may have moved, so every input meets the same sandbox.
      if (!existsSync(join(sandbox.root, 'notes.txt'))) writeFileSync(join(sandbox.root, 'notes.txt'), 'inside');
    }
    process.stderr.write(`reference / ours:\n  ${rows.join('\n  ')}\n`);
    process.stderr.write(
      `${inputs(sandbox).length} hostile inputs: the reference refused ${referenceRefused}; ours refused all of those, and ${onlyOurs} more\n`,
    );
    assert.ok(referenceRefused > 0);
    assert.equal(sandbox.surroundings(), before);
  });

  it('under a live symlink-swap race, ours never leaks; the reference is measured, not judged', async () => {
    mkdirSync(join(sandbox.root, 'cmp'), { recursive: true });
    const racer = startRacer(join(sandbox.root, 'cmp'), 'race', sandbox.outside);
    let referenceLeaks = 0;
    let ourLeaks = 0;
    try {
      for (let i = 0; i < 150; i++) {
        const path = join(sandbox.root, 'cmp', 'race', 'secret.txt');
        const theirs = await reference.callTool({ name: 'read_text_file', arguments: { path } });
        if (JSON.stringify(theirs).includes(SECRET)) referenceLeaks++;
        const mine = await ours.callTool({ name: 'read_file', arguments: { path } });
        if (JSON.stringify(mine).includes(SECRET)) ourLeaks++;
      }
    } finally {
      await racer.stop();
    }
    process.stderr.write(`live race, 150 reads each: the reference leaked the secret ${referenceLeaks} times, ours ${ourLeaks}\n`);
    assert.equal(ourLeaks, 0);
  });
});
