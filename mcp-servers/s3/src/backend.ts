/**
 * The port every s3 tool works through. Buckets and keys are already checked by the guard.
 * Failures are thrown as errors whose `name` is the S3 error code (NoSuchKey, NoSuchBucket,
 * NotFound, InvalidRange, AccessDenied, …), as the AWS SDK does; `errors.ts` maps them.
 */
export interface ObjectInfo {
  size: number;
  etag: string;
  lastModified: string;
  contentType: string;
  metadata: Record<string, string>;
}

export interface ObjectBody extends ObjectInfo {
  data: Uint8Array;
  /** Size of the whole object (differs from `data.byteLength` for a range). */
  totalSize: number;
}

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: string;
}

export interface ListRequest {
  bucket: string;
  prefix: string;
  delimiter?: string | undefined;
  continuationToken?: string | undefined;
  limit: number;
}

export interface ListPage {
  objects: ListedObject[];
  commonPrefixes: string[];
  nextContinuationToken?: string | undefined;
}

export interface PutRequest {
  bucket: string;
  key: string;
  data: Uint8Array;
  contentType?: string | undefined;
  metadata?: Record<string, string> | undefined;
}

export interface PresignRequest {
  method: 'get' | 'put';
  bucket: string;
  key: string;
  expiresInSeconds: number;
  /** put only: the exact body size the URL admits (signed as Content-Length). */
  size?: number | undefined;
  contentType?: string | undefined;
}

export interface S3Backend {
  readonly kind: 's3' | 'memory';
  /** Bucket names the endpoint reports, or undefined when the credentials may not list buckets. */
  listBuckets(): Promise<string[] | undefined>;
  listObjects(request: ListRequest): Promise<ListPage>;
  /**
   * Reads an object (or the inclusive byte range `start`–`end`). Throws a `TooLarge` error, without
   * reading the body, when the answer would exceed `maxBytes`.
   */
  getObject(bucket: string, key: string, options: { start?: number; end?: number; maxBytes: number }): Promise<ObjectBody>;
  headObject(bucket: string, key: string): Promise<ObjectInfo>;
  putObject(request: PutRequest): Promise<{ etag: string }>;
  deleteObject(bucket: string, key: string): Promise<void>;
  copyObject(source: { bucket: string; key: string }, target: { bucket: string; key: string }): Promise<{ etag: string }>;
  presign(request: PresignRequest): Promise<string>;
  close(): Promise<void>;
}

/** An error shaped like the SDK's: `name` is the S3 error code. */
export function s3Error(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}
