import { ToolError } from '@switchboard/kit';
import { RedisBackendError } from './backend.ts';

/** Store failures as domain errors naming the argument at fault; what to do is in the message. */
export function redisToolError(error: unknown, field = 'key'): unknown {
  if (!(error instanceof RedisBackendError)) return error;
  switch (error.failure) {
    case 'WRONGTYPE':
      return new ToolError(
        'INVALID_ARGUMENT',
        'the key holds another type of value; use the tool for its type (get/set, h*, lpush/rpop/lrange)',
        field,
      );
    case 'NOT_INTEGER':
      return new ToolError('INVALID_ARGUMENT', 'the value is not an integer (or out of the 64-bit range)', field);
    case 'OVERFLOW':
      return new ToolError('INVALID_ARGUMENT', 'the increment would overflow a 64-bit integer', 'by');
    case 'UNAVAILABLE':
      return new ToolError('UPSTREAM_UNAVAILABLE', `Redis is unreachable (${error.message}); check that it runs at the configured URL`);
    case 'TIMEOUT':
      return new ToolError('TIMEOUT', 'Redis did not answer in time');
    case 'REPLY':
      return new ToolError('INVALID_ARGUMENT', `Redis refused the command: ${error.message}`, field);
  }
}

/** Runs a store call, turning its failures into tool errors about `field`. */
export async function onRedis<T>(action: () => Promise<T>, field = 'key'): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw redisToolError(error, field);
  }
}
