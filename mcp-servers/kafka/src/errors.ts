import { ToolError } from '@switchboard/kit';

export interface Subject {
  /** What the call was about, as the caller named it, e.g. "topic 'orders'". */
  what: string;
  field?: string;
}

interface Found {
  types: Set<string>;
  names: Set<string>;
}

const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSRequestTimeoutError',
]);
const REBALANCE = ['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'];
const INVALID = ['INVALID_PARTITIONS', 'INVALID_REPLICATION_FACTOR', 'INVALID_TOPIC_EXCEPTION', 'INVALID_CONFIG', 'POLICY_VIOLATION'];

/**
 * kafkajs errors (and the mock's, which carry the same `type`) as domain errors. kafkajs wraps the
 * cause of a failure in retry and aggregate errors, so the whole chain is searched. Messages never
 * carry broker credentials.
 */
export function kafkaToolError(error: unknown, subject: Subject): unknown {
  if (error instanceof ToolError) return error;
  const { types, names } = collect(error);
  const has = (...wanted: string[]) => wanted.some((type) => types.has(type));
  if (has('UNKNOWN_TOPIC_OR_PARTITION'))
    return new ToolError('NOT_FOUND', `${subject.what} does not exist; topics are not created implicitly`, subject.field);
  if (has('TOPIC_ALREADY_EXISTS')) return new ToolError('ALREADY_EXISTS', `${subject.what} already exists`, subject.field);
  if (
    has('TOPIC_AUTHORIZATION_FAILED', 'GROUP_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED')
  )
    return new ToolError('ACL_DENIED', `the cluster refused access to ${subject.what}; check the server's Kafka ACLs`, subject.field);
  if (has('MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE'))
    return new ToolError('TOO_LARGE', `the cluster refused the messages for ${subject.what} as too large`, 'messages');
  if (has(...INVALID)) {
    const type = INVALID.find((t) => types.has(t));
    return new ToolError('INVALID_ARGUMENT', `the cluster refused ${subject.what} (${type})`, subject.field);
  }
  if (has('NO_CONTROLLER'))
    return new ToolError(
      'UPSTREAM_UNAVAILABLE',
      `the cluster has no reachable controller, which creating ${subject.what} needs; create it with the cluster's own tools`,
      subject.field,
    );
  if (has(...REBALANCE))
    return new ToolError(
      'UPSTREAM_UNAVAILABLE',
      `the consumer group rebalanced during the call on ${subject.what}; nothing was committed, try again`,
      subject.field,
    );
  if (names.has('AbortError')) return new ToolError('TIMEOUT', `the call on ${subject.what} was cancelled; nothing was committed`);
  if (has('REQUEST_TIMED_OUT') || names.has('KafkaJSTimeout') || names.has('KafkaJSLockTimeout'))
    return new ToolError('TIMEOUT', `Kafka did not answer in time for ${subject.what}; try again`);
  if (names.has('KafkaJSSASLAuthenticationError') || has('SASL_AUTHENTICATION_FAILED'))
    return new ToolError('UPSTREAM_UNAVAILABLE', 'the Kafka cluster refused the server’s credentials; check KAFKA_SASL_*');
  if (names.has('KafkaJSServerDoesNotSupportApiKey'))
    return new ToolError('UPSTREAM_UNAVAILABLE', `the Kafka cluster does not support this operation on ${subject.what}`);
  if ([...names].some((name) => UNREACHABLE.has(name)) || has('LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'NOT_COORDINATOR'))
    return new ToolError(
      'UPSTREAM_UNAVAILABLE',
      `the Kafka cluster is unreachable or not ready (call on ${subject.what}); try again later`,
    );
  const type = [...types][0];
  return new ToolError('INTERNAL', `Kafka call on ${subject.what} failed${type === undefined ? '' : ` (${type})`}`);
}

function collect(error: unknown, found: Found = { types: new Set(), names: new Set() }, depth = 0): Found {
  if (error === null || typeof error !== 'object' || depth > 8) return found;
  const e = error as { type?: unknown; name?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.type === 'string') found.types.add(e.type);
  if (typeof e.name === 'string') found.names.add(e.name);
  collect(e.cause, found, depth + 1);
  collect(e.originalError, found, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) collect(inner, found, depth + 1);
  return found;
}

/** Runs `action`, turning cluster failures into errors about `subject`. */
export async function onCluster<T>(subject: Subject, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw kafkaToolError(error, subject);
  }
}
