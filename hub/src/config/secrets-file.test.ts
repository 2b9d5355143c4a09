// `${NAME}` in switchboard.yaml reads the file NAME_FILE names when NAME is unset (Docker and
// Kubernetes mount secrets as files), and no error ever carries the secret.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from './errors.ts';
import { parseHubConfig } from './load-config.ts';

const text = `
upstreams:
  queue: { server: queue, env: { AMQP_URL: "\${AMQP_URL}" } }
`;

describe('${NAME} from NAME_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-secret-file-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const planted = 'amqp://svc:pl4nted-S3cret@mq:5672';

  it('interpolates the file contents (one trailing newline dropped) where the variable is unset', () => {
    const file = join(dir, 'amqp-url');
    writeFileSync(file, `${planted}\n`);
    const config = parseHubConfig(text, 'sw.yaml', { AMQP_URL_FILE: file });
    assert.deepEqual((config.upstreams.queue as { env: Record<string, string> }).env, { AMQP_URL: planted });
  });

  it('a missing file, or both NAME and NAME_FILE, is an error naming the key and variable, never the value', () => {
    const missing = join(dir, 'nope');
    assert.throws(
      () => parseHubConfig(text, 'sw.yaml', { AMQP_URL_FILE: missing }),
      (e: ConfigError) => e instanceof ConfigError && e.key === 'upstreams.queue.env.AMQP_URL' && e.message.includes('AMQP_URL_FILE'),
    );
    const file = join(dir, 'both');
    writeFileSync(file, planted);
    assert.throws(
      () => parseHubConfig(text, 'sw.yaml', { AMQP_URL: planted, AMQP_URL_FILE: file }),
      (e: ConfigError) => /set only one/.test(e.message) && !e.message.includes('pl4nted'),
    );
  });
});
