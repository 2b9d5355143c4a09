import { ToolError } from '@switchboard/kit';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Kafka's own rule for topic names (kafka.common.Topic): 1–249 of letters, digits, '.', '_', '-'. */
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const HEADER_NAME = /^[A-Za-z0-9_][A-Za-z0-9._:-]{0,127}$/;
const MAX_GROUP = 255;
const MAX_HEADERS = 64;
const MAX_HEADER_VALUE = 4096;
const MAX_HEADERS_BYTES = 16 * 1024;

export type Direction = 'produce' | 'consume';

export function checkTopicName(topic: string, field = 'topic'): void {
  if (!TOPIC.test(topic) || topic === '.' || topic === '..')
    throw new ToolError('INVALID_ARGUMENT', "topic names are 1-249 of letters, digits, '.', '_' and '-'", field);
}

/** An allowlist entry is a name, or a prefix ending in `*` (`orders.*`); `*` alone allows every name. */
export function matchesAllowlist(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name));
}

/**
 * A topic well-formed and on the allowlist of each direction asked for (any of them, for
 * `describe`/`create`), else INVALID_ARGUMENT / ACL_DENIED naming what is allowed. Names starting
 * with `__` are the cluster's own (`__consumer_offsets`, `__transaction_state`) and always refused.
 */
export function checkTopic(
  lists: { produceTopics: readonly string[]; consumeTopics: readonly string[] },
  topic: string,
  directions: readonly Direction[],
  field = 'topic',
): void {
  checkTopicName(topic, field);
  if (topic.startsWith('__'))
    throw new ToolError('ACL_DENIED', `topic '${topic}': names starting with '__' are internal to the cluster`, field);
  const patterns = directions.flatMap((direction) => (direction === 'produce' ? lists.produceTopics : lists.consumeTopics));
  if (matchesAllowlist(patterns, topic)) return;
  const allowed = patterns.length === 0 ? 'none are allowed on this server' : `allowed: ${[...new Set(patterns)].join(', ')}`;
  const purpose = directions.length === 1 ? ` for ${directions[0]}` : '';
  throw new ToolError('ACL_DENIED', `topic '${topic}' is not allowed${purpose} (${allowed})`, field);
}

/** A consumer group: committing offsets for someone else's group would make it skip messages. */
export function checkGroup(patterns: readonly string[], group: string, field = 'group'): void {
  if (group === '' || group.length > MAX_GROUP || CONTROL.test(group))
    throw new ToolError('INVALID_ARGUMENT', `group names are 1-${MAX_GROUP} characters without control characters`, field);
  if (!matchesAllowlist(patterns, group))
    throw new ToolError('ACL_DENIED', `consumer group '${group}' is not allowed (allowed: ${patterns.join(', ') || 'none'})`, field);
}

/**
 * Message headers (string values; types are checked by the tool's schema): names of letters, digits
 * and `._:-`, values printable and at most 4096 characters, 64 headers and 16 KiB in all. Names
 * starting with `__` are refused: frameworks act on them (Spring's `__TypeId__` picks the class a
 * consumer deserialises into; Kafka Connect's `__connect.errors.*` drive its dead-letter handling).
 * `field` is the path of the headers object, e.g. `messages.0.headers`.
 */
export function checkHeaders(headers: Record<string, string> | undefined, field: string): number {
  if (headers === undefined) return 0;
  const entries = Object.entries(headers);
  if (entries.length > MAX_HEADERS) throw new ToolError('TOO_LARGE', `at most ${MAX_HEADERS} headers per message`, field);
  let bytes = 0;
  for (const [name, value] of entries) {
    const at = `${field}.${name}`;
    if (!HEADER_NAME.test(name))
      throw new ToolError(
        'INVALID_ARGUMENT',
        `header name '${name.slice(0, 40)}' must be 1-128 of letters, digits, '.', '_', ':' or '-'`,
        at,
      );
    if (name.startsWith('__'))
      throw new ToolError('INVALID_ARGUMENT', `header '${name}': names starting with '__' steer consumer frameworks and are refused`, at);
    if (value.length > MAX_HEADER_VALUE) throw new ToolError('TOO_LARGE', `header '${name}' is over ${MAX_HEADER_VALUE} characters`, at);
    if (CONTROL.test(value)) throw new ToolError('INVALID_ARGUMENT', `header '${name}' contains a control character`, at);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  if (bytes > MAX_HEADERS_BYTES) throw new ToolError('TOO_LARGE', `headers are ${bytes} bytes; the limit is ${MAX_HEADERS_BYTES}`, field);
  return bytes;
}
