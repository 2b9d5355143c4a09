import { ToolError } from '@switchboard/kit';

export interface Target {
  bucket: string;
  key?: string | undefined;
  fields?: { bucket: string; key: string };
  maxBytes?: number;
}

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', 'TimeoutError']);

/**
 * S3 error codes (the SDK's and the mock's `name`) as domain errors about the object the caller
 * named. Messages never carry the endpoint's response body, request ids or credentials.
 */
export function s3ToolError(error: unknown, target: Target): unknown {
  if (error instanceof ToolError) return error;
  const fields = target.fields ?? { bucket: 'bucket', key: 'key' };
  const err = error as { name?: string; code?: string; size?: number; $metadata?: { httpStatusCode?: number } };
  const where = target.key === undefined ? `bucket '${target.bucket}'` : `'${target.key}' in bucket '${target.bucket}'`;
  switch (err.name) {
    case 'NoSuchKey':
    case 'NotFound':
      return new ToolError('NOT_FOUND', `${where} does not exist`, target.key === undefined ? fields.bucket : fields.key);
    case 'NoSuchBucket':
      return new ToolError('NOT_FOUND', `bucket '${target.bucket}' does not exist on the endpoint`, fields.bucket);
    case 'InvalidRange':
      return new ToolError('INVALID_ARGUMENT', `range starts past the end of ${where}`, 'range');
    case 'TooLarge':
      return new ToolError(
        'TOO_LARGE',
        `${where} is ${err.size} bytes; the limit is ${target.maxBytes}. Read it in parts with range: { start, end }`,
        fields.key,
      );
    case 'AccessDenied':
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
      return new ToolError(
        'ACL_DENIED',
        `the endpoint refused access to ${where} (${err.name}); check the server's credentials and bucket policy`,
      );
    case 'InvalidArgument':
      return new ToolError('INVALID_ARGUMENT', `the endpoint refused the request on ${where} (InvalidArgument)`);
  }
  if (NETWORK.has(err.code ?? '') || NETWORK.has(err.name ?? '') || (err.$metadata?.httpStatusCode ?? 0) >= 500)
    return new ToolError('UPSTREAM_UNAVAILABLE', `the S3 endpoint is unavailable (${err.code ?? err.name ?? 'error'}); try again later`);
  return new ToolError('INTERNAL', `S3 request on ${where} failed (${err.name ?? 'error'})`);
}

/** Runs `action`, turning S3 failures into errors about `target`. */
export async function onObject<T>(target: Target, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw s3ToolError(error, target);
  }
}
