import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { createBackend, parseKafkaArgs } from './main.ts';

describe('kafka server flags', () => {
  it('takes brokers, topic allowlists per direction, groups, creation and limits', () => {
    const { config, transport } = parseKafkaArgs(
      [
        '--brokers',
        'k1:9092, k2:9093',
        '--topic',
        'orders',
        '--produce-topic',
        'events.*',
        '--consume-topic',
        'audit',
        '--group',
        'agents-*',
        '--allow-create-topics',
        '--max-message-bytes',
        '10',
        '--session-timeout-ms',
        '6000',
        '--ssl',
      ],
      {},
    );
    assert.deepEqual(config.brokers, ['k1:9092', 'k2:9093']);
    assert.deepEqual(config.produceTopics, ['orders', 'events.*']);
    assert.deepEqual(config.consumeTopics, ['orders', 'audit']);
    assert.deepEqual(config.groups, ['agents-*']);
    assert.deepEqual([config.allowCreateTopics, config.maxMessageBytes, config.sessionTimeoutMs, config.ssl], [true, 10, 6000, true]);
    assert.equal(config.sasl, undefined);
    assert.equal(transport.transport, 'stdio');
  });

  it('reads brokers, allowlists and SASL credentials (or the password file) from env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-kafka-'));
    try {
      writeFileSync(join(dir, 'pw'), 'hunter2\n');
      const { config } = parseKafkaArgs([], {
        KAFKA_BROKERS: 'b1:9092,b2:9092',
        KAFKA_TOPICS: 'a',
        KAFKA_PRODUCE_TOPICS: 'p',
        KAFKA_CONSUME_TOPICS: 'c1, c2',
        KAFKA_GROUPS: 'g-*',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'svc',
        KAFKA_SASL_PASSWORD_FILE: join(dir, 'pw'),
      });
      assert.deepEqual(config.brokers, ['b1:9092', 'b2:9092']);
      assert.deepEqual([config.produceTopics, config.consumeTopics, config.groups], [['a', 'p'], ['a', 'c1', 'c2'], ['g-*']]);
      assert.deepEqual(config.sasl, { mechanism: 'scram-sha-512', username: 'svc', password: 'hunter2' });
      assert.deepEqual(parseKafkaArgs(['--mock', '--topic', 'x'], {}).config.groups, ['*'], 'any group unless limited');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses no brokers, no allowlist, --mock with --brokers and bad values, naming the flag and never the password', () => {
    assert.throws(
      () => parseKafkaArgs(['--topic', 'a'], {}),
      (e: ToolError) => e.code === 'INVALID_CONFIG' && e.field === 'brokers',
    );
    assert.throws(() => parseKafkaArgs(['--mock'], {}), /--topic: allow at least one topic/);
    assert.throws(() => parseKafkaArgs(['--mock', '--brokers', 'h:1', '--topic', 'a'], {}), /exclude each other/);
    assert.throws(() => parseKafkaArgs(['--brokers', 'no-port', '--topic', 'a'], {}), /--brokers: must be host:port/);
    assert.throws(() => parseKafkaArgs(['--mock', '--topic', 'a', '--max-message-bytes', '-1'], {}), /--max-message-bytes/);
    assert.throws(() => parseKafkaArgs(['--mock', '--topic', 'a', '--session-timeout-ms', '10'], {}), /--session-timeout-ms/);
    assert.throws(() => parseKafkaArgs(['--mock', '--topic', 'a', '--typo'], {}), /typo/);
    assert.throws(
      () =>
        parseKafkaArgs(['--brokers', 'h:1', '--topic', 'a'], {
          KAFKA_SASL_MECHANISM: 'gssapi',
          KAFKA_SASL_USERNAME: 'u',
          KAFKA_SASL_PASSWORD: 'hunter2',
        }),
      (e: ToolError) => /KAFKA_SASL_\*/.test(e.message) && !e.message.includes('hunter2'),
    );
  });

  it('starts the mock with every exactly named allowlisted topic, and never an internal one', async () => {
    const { config } = parseKafkaArgs(['--mock', '--topic', 'orders', '--consume-topic', 'audit', '--produce-topic', 'events.*'], {});
    const backend = await createBackend(config);
    assert.equal(backend.kind, 'memory');
    assert.deepEqual(await backend.listTopics(() => true), [
      { topic: 'audit', partitions: 1 },
      { topic: 'orders', partitions: 1 },
    ]);
  });
});
