import { createHash } from 'node:crypto';
import type { ListPage, ListRequest, ObjectBody, ObjectInfo, PresignRequest, PutRequest, S3Backend } from './backend.ts';
import { s3Error } from './backend.ts';

interface Stored extends ObjectInfo {
  data: Uint8Array;
}

/** S3 orders keys by their UTF-8 bytes, not by UTF-16 code units. */
const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * In-memory buckets with S3's contract: MD5 ETags, inclusive byte ranges, listings in UTF-8 key order
 * with delimiter grouping and continuation tokens, copy keeping content type and metadata.
 */
export class MemoryS3Backend implements S3Backend {
  readonly kind = 'memory';
  private readonly buckets = new Map<string, Map<string, Stored>>();

  constructor(bucketNames: readonly string[]) {
    for (const name of bucketNames) this.buckets.set(name, new Map());
  }

  async listBuckets(): Promise<string[]> {
    return [...this.buckets.keys()].sort();
  }

  async listObjects({ bucket, prefix, delimiter, continuationToken, limit }: ListRequest): Promise<ListPage> {
    const keys = [...this.bucket(bucket).keys()].filter((key) => key.startsWith(prefix)).sort(byUtf8);
    const after = continuationToken === undefined ? undefined : decodeToken(continuationToken);
    const page: ListPage = { objects: [], commonPrefixes: [] };
    let last: string | undefined;
    for (const key of keys) {
      if (after !== undefined && byUtf8(key, after) <= 0) continue;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      const common = cut === -1 ? undefined : key.slice(0, cut + (delimiter as string).length);
      if (common !== undefined && (common === last || after?.startsWith(common) === true)) continue;
      if (page.objects.length + page.commonPrefixes.length >= limit) {
        page.nextContinuationToken = encodeToken(last as string);
        break;
      }
      if (common !== undefined) {
        page.commonPrefixes.push(common);
        last = common;
      } else {
        const stored = this.bucket(bucket).get(key) as Stored;
        page.objects.push({ key, size: stored.size, etag: stored.etag, lastModified: stored.lastModified });
        last = key;
      }
    }
    return page;
  }

  async getObject(bucket: string, key: string, options: { start?: number; end?: number; maxBytes: number }): Promise<ObjectBody> {
    const stored = this.stored(bucket, key);
    let data = stored.data;
    if (options.start !== undefined) {
      if (options.start >= stored.size)
        throw s3Error('InvalidRange', 'The requested range is not satisfiable', { $metadata: { httpStatusCode: 416 } });
      data = data.subarray(options.start, Math.min(stored.size, (options.end ?? stored.size - 1) + 1));
    }
    if (data.byteLength > options.maxBytes) throw s3Error('TooLarge', 'object too large', { size: data.byteLength });
    const { data: _whole, ...info } = stored;
    return { ...info, metadata: { ...info.metadata }, size: data.byteLength, totalSize: stored.size, data: data.slice() };
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo> {
    const { data: _data, ...info } = this.stored(bucket, key, 'NotFound');
    return { ...info, metadata: { ...info.metadata } };
  }

  async putObject({ bucket, key, data, contentType, metadata }: PutRequest): Promise<{ etag: string }> {
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    this.bucket(bucket).set(key, {
      data: data.slice(),
      size: data.byteLength,
      etag,
      lastModified: new Date().toISOString(),
      contentType: contentType ?? 'application/octet-stream',
      metadata: { ...metadata },
    });
    return { etag };
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    this.bucket(bucket).delete(key);
  }

  async copyObject(source: { bucket: string; key: string }, target: { bucket: string; key: string }): Promise<{ etag: string }> {
    const stored = this.stored(source.bucket, source.key);
    this.bucket(target.bucket).set(target.key, { ...stored, data: stored.data.slice(), lastModified: new Date().toISOString() });
    return { etag: stored.etag };
  }

  /** Not fetchable: the mock has no HTTP face. The URL still says what it would grant, and for how long. */
  async presign({ method, bucket, key, expiresInSeconds }: PresignRequest): Promise<string> {
    this.bucket(bucket);
    const path = key.split('/').map(encodeURIComponent).join('/');
    return `memory://s3/${bucket}/${path}?X-Amz-Expires=${expiresInSeconds}&method=${method.toUpperCase()}`;
  }

  async close(): Promise<void> {}

  private bucket(name: string): Map<string, Stored> {
    const bucket = this.buckets.get(name);
    if (bucket === undefined) throw s3Error('NoSuchBucket', `The specified bucket does not exist`, { $metadata: { httpStatusCode: 404 } });
    return bucket;
  }

  private stored(bucket: string, key: string, missing = 'NoSuchKey'): Stored {
    const stored = this.bucket(bucket).get(key);
    if (stored === undefined) throw s3Error(missing, 'The specified key does not exist.', { $metadata: { httpStatusCode: 404 } });
    return stored;
  }
}

function encodeToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  return Buffer.from(token, 'base64url').toString('utf8');
}
