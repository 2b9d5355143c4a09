import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { remoteCommand, shQuote } from './quote.ts';

const hostile = [
  "it's",
  "'",
  "''",
  '\\',
  '$(id)',
  '`id`',
  '${HOME}',
  '; id',
  '&& id',
  '| id',
  '\nid\n',
  '*',
  '~',
  '-n',
  '',
  ' ',
  '"',
  '!!',
  '\t',
  'é🙂',
];

describe('shQuote', () => {
  it('makes /bin/sh hand back every hostile string as one exact argument', () => {
    const line = `printf '%s\\0' ${hostile.map(shQuote).join(' ')}`;
    const output = execFileSync('/bin/sh', ['-c', line]).toString('utf8');
    assert.deepEqual(output.split('\0').slice(0, -1), hostile);
  });

  it('refuses NUL, which no shell can carry', () => {
    assert.throws(() => shQuote('a\0b'));
  });

  it('builds a remote line whose every word is quoted', () => {
    const line = remoteCommand({
      cwd: "/srv/it's",
      file: '/usr/bin/printf',
      args: ['%s|', '$(id)'],
      env: { A: "x'y" },
      timeout: { path: '/usr/bin/timeout', seconds: 1.5 },
    });
    assert.equal(
      line,
      `cd -- '/srv/it'\\''s' && exec /usr/bin/env -i 'A=x'\\''y' '/usr/bin/timeout' -s KILL 1.5 '/usr/bin/printf' '%s|' '$(id)'`,
    );
  });
});
