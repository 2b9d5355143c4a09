import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolError } from '@switchboard/kit';
import { kafkaError } from './backend.ts';
import { kafkaToolError } from './errors.ts';

const subject = { what: "topic 'orders'", field: 'topic' };
const mapped = (error: unknown) => kafkaToolError(error, subject) as ToolError;

/** Shaped as kafkajs throws them: a protocol error wrapped by the retrier. */
function wrapped(inner: Record<string, unknown>): Error {
  const cause = Object.assign(new Error('inner'), inner);
  return Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause });
}

describe('kafka errors', () => {
  it('maps Kafka error types, found anywhere in kafkajs’s wrapping, to domain errors', () => {
    assert.deepEqual(
      [mapped(kafkaError('UNKNOWN_TOPIC_OR_PARTITION', 'x')).code, mapped(kafkaError('UNKNOWN_TOPIC_OR_PARTITION', 'x')).field],
      ['NOT_FOUND', 'topic'],
    );
    assert.equal(mapped(wrapped({ type: 'UNKNOWN_TOPIC_OR_PARTITION' })).code, 'NOT_FOUND');
    assert.equal(mapped({ name: 'KafkaJSAggregateError', errors: [{ type: 'TOPIC_ALREADY_EXISTS' }] }).code, 'ALREADY_EXISTS');
    assert.equal(mapped(wrapped({ type: 'TOPIC_AUTHORIZATION_FAILED' })).code, 'ACL_DENIED');
    assert.equal(mapped(wrapped({ type: 'MESSAGE_TOO_LARGE' })).code, 'TOO_LARGE');
    assert.equal(mapped(wrapped({ type: 'INVALID_REPLICATION_FACTOR' })).code, 'INVALID_ARGUMENT');
    assert.match(mapped(wrapped({ type: 'REBALANCE_IN_PROGRESS' })).message, /nothing was committed/);
    assert.equal(mapped(kafkaError('NO_CONTROLLER', 'x')).code, 'UPSTREAM_UNAVAILABLE');
    assert.equal(mapped(Object.assign(new Error('t'), { name: 'KafkaJSTimeout' })).code, 'TIMEOUT');
    assert.match(mapped(Object.assign(new Error('c'), { name: 'AbortError' })).message, /cancelled; nothing was committed/);
  });

  it('reports an unreachable cluster or refused credentials as UPSTREAM_UNAVAILABLE, without echoing details', () => {
    const refused = mapped(
      wrapped({ name: 'KafkaJSConnectionError', message: 'Connection error: connect ECONNREFUSED 10.0.0.5:9092', broker: '10.0.0.5:9092' }),
    );
    assert.equal(refused.code, 'UPSTREAM_UNAVAILABLE');
    assert.doesNotMatch(refused.message, /10\.0\.0\.5/);
    const sasl = mapped(
      Object.assign(new Error('SASL SCRAM-SHA-512 authentication failed for user svc:hunter2'), { name: 'KafkaJSSASLAuthenticationError' }),
    );
    assert.equal(sasl.code, 'UPSTREAM_UNAVAILABLE');
    assert.doesNotMatch(sasl.message, /hunter2/);
  });

  it('keeps tool errors, and turns anything else into INTERNAL without its message', () => {
    const own = new ToolError('ACL_DENIED', 'no', 'topic');
    assert.equal(kafkaToolError(own, subject), own);
    const other = mapped(new Error('password=hunter2 in some stack'));
    assert.equal(other.code, 'INTERNAL');
    assert.doesNotMatch(other.message, /hunter2/);
  });
});
