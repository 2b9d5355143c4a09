import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ListPage, ObjectInfo, S3Backend } from './backend.ts';
import { s3Error } from './backend.ts';

export interface S3Connection {
  endpoint?: string | undefined;
  region: string;
  pathStyle: boolean;
  /** Absent: the SDK's default chain (env, profile, instance role…). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
}

/** Any S3-compatible endpoint through the AWS SDK v3. */
export function createS3Backend(connection: S3Connection): S3Backend {
  const client = new S3Client({
    region: connection.region,
    forcePathStyle: connection.pathStyle,
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
    ...(connection.credentials === undefined ? {} : { credentials: connection.credentials }),
    // Flexible checksums would sign an empty body's CRC into presigned PUT URLs, breaking uploads on
    // AWS, and are unknown to some S3-compatible stores.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    maxAttempts: 3,
  });
  const info = (response: {
    ContentLength?: number | undefined;
    ETag?: string | undefined;
    LastModified?: Date | undefined;
    ContentType?: string | undefined;
    Metadata?: Record<string, string> | undefined;
  }): ObjectInfo => ({
    size: response.ContentLength ?? 0,
    etag: response.ETag ?? '',
    lastModified: (response.LastModified ?? new Date(0)).toISOString(),
    contentType: response.ContentType ?? 'application/octet-stream',
    metadata: { ...response.Metadata },
  });
  return {
    kind: 's3',
    async listBuckets() {
      try {
        const { Buckets } = await client.send(new ListBucketsCommand({}));
        return (Buckets ?? []).map((bucket) => bucket.Name ?? '').filter(Boolean);
      } catch (error) {
        if ((error as Error).name === 'AccessDenied') return undefined;
        throw error;
      }
    },
    async listObjects({ bucket, prefix, delimiter, continuationToken, limit }): Promise<ListPage> {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          Delimiter: delimiter,
          ContinuationToken: continuationToken,
          MaxKeys: limit,
        }),
      );
      return {
        objects: (page.Contents ?? []).map((object) => ({
          key: object.Key ?? '',
          size: object.Size ?? 0,
          etag: object.ETag ?? '',
          lastModified: (object.LastModified ?? new Date(0)).toISOString(),
        })),
        commonPrefixes: (page.CommonPrefixes ?? []).map((common) => common.Prefix ?? ''),
        nextContinuationToken: page.IsTruncated ? page.NextContinuationToken : undefined,
      };
    },
    async getObject(bucket, key, { start, end, maxBytes }) {
      const range = start === undefined ? undefined : `bytes=${start}-${end ?? ''}`;
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
      const length = response.ContentLength ?? 0;
      if (length > maxBytes) {
        // Checked on the headers, so an oversized body is never read into memory.
        (response.Body as unknown as { destroy?: () => void } | undefined)?.destroy?.();
        throw s3Error('TooLarge', 'object too large', { size: length });
      }
      const data = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
      const total = /\/(\d+)$/.exec(response.ContentRange ?? '')?.[1];
      return { ...info(response), size: data.byteLength, totalSize: total === undefined ? data.byteLength : Number(total), data };
    },
    async headObject(bucket, key) {
      return info(await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
    },
    async putObject({ bucket, key, data, contentType, metadata }) {
      const response = await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: data,
          ContentLength: data.byteLength,
          ContentType: contentType ?? 'application/octet-stream',
          Metadata: metadata,
        }),
      );
      return { etag: response.ETag ?? '' };
    },
    async deleteObject(bucket, key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async copyObject(source, target) {
      const copySource = `${source.bucket}/${source.key.split('/').map(encodeURIComponent).join('/')}`;
      const response = await client.send(new CopyObjectCommand({ Bucket: target.bucket, Key: target.key, CopySource: copySource }));
      return { etag: response.CopyObjectResult?.ETag ?? '' };
    },
    async presign({ method, bucket, key, expiresInSeconds, size, contentType }) {
      if (method === 'get')
        return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
      // Content-Length is signed, so the URL admits exactly the declared size and no more.
      const command = new PutObjectCommand({ Bucket: bucket, Key: key, ContentLength: size, ContentType: contentType });
      const signed = new Set(['content-length', ...(contentType === undefined ? [] : ['content-type'])]);
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds, signableHeaders: signed });
    },
    close: async () => client.destroy(),
  };
}
