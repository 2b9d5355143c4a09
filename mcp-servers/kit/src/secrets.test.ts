import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ToolError } from './errors.ts';
import { secretFromEnv } from './secrets.ts';

describe('secretFromEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-secrets-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const planted = 'planted-secret-value-8c1f';

  it('reads NAME first, else the file NAME_FILE names, dropping one trailing newline', () => {
    const file = join(dir, 'pw');
    writeFileSync(file, `${planted}\n`);
    assert.equal(secretFromEnv({ DB_PASSWORD: 'direct' }, 'DB_PASSWORD'), 'direct');
    assert.equal(secretFromEnv({ DB_PASSWORD_FILE: file }, 'DB_PASSWORD'), planted);
    writeFileSync(file, ` ${planted} \n\n`);
    assert.equal(secretFromEnv({ DB_PASSWORD_FILE: file }, 'DB_PASSWORD'), ` ${planted} \n`, 'inner whitespace is part of the secret');
    assert.equal(secretFromEnv({}, 'DB_PASSWORD'), undefined);
    assert.equal(secretFromEnv({ DB_PASSWORD: '', DB_PASSWORD_FILE: '' }, 'DB_PASSWORD'), undefined);
  });

  it('refuses both at once, an unreadable file and an empty one, naming the variable but never the contents', () => {
    const file = join(dir, 'both');
    writeFileSync(file, planted);
    const both = () => secretFromEnv({ DB_PASSWORD: planted, DB_PASSWORD_FILE: file }, 'DB_PASSWORD');
    assert.throws(both, (e: ToolError) => e.code === 'INVALID_CONFIG' && /only one/.test(e.message) && !e.message.includes(planted));
    assert.throws(
      () => secretFromEnv({ DB_PASSWORD_FILE: join(dir, 'missing') }, 'DB_PASSWORD'),
      (e: ToolError) => e.field === 'DB_PASSWORD_FILE' && /ENOENT/.test(e.message),
    );
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    assert.throws(() => secretFromEnv({ DB_PASSWORD_FILE: empty }, 'DB_PASSWORD'), /is empty/);
  });
});
