import crypto from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';
import FilesystemStore from 's3rver/lib/stores/filesystem.js';

/** s3rver's fixed credentials; it does not check signatures, but the SDK needs some. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface RunningS3rver {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * s3rver's continuation tokens use single DES, which OpenSSL 3 only has in its legacy provider, so
 * every truncated listing fails with InternalError. Triple DES with three equal keys is the same
 * cipher and is in the default provider: route s3rver's 'des' calls there (only those).
 */
function enableSingleDes(): void {
  const marker = Symbol.for('switchboard.s3rver.des');
  const patched = crypto as unknown as Record<symbol, boolean>;
  if (patched[marker]) return;
  patched[marker] = true;
  const tripled = (key: crypto.CipherKey) => Buffer.concat([key as Buffer, key as Buffer, key as Buffer]);
  const { createCipheriv, createDecipheriv } = crypto;
  crypto.createCipheriv = ((algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null, options?: never) =>
    algorithm === 'des'
      ? createCipheriv('des-ede3-cbc', tripled(key), iv, options)
      : createCipheriv(algorithm, key, iv, options)) as typeof crypto.createCipheriv;
  crypto.createDecipheriv = ((algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null, options?: never) =>
    algorithm === 'des'
      ? createDecipheriv('des-ede3-cbc', tripled(key), iv, options)
      : createDecipheriv(algorithm, key, iv, options)) as typeof crypto.createDecipheriv;
}

/**
 * s3rver answers a PUT once its hashing transform has seen the body, not once the file is written,
 * so a GET right after can read a partly written object (seen with 1 MiB bodies on a loaded
 * machine). This is its putObject, waiting for the write to finish.
 */
function awaitObjectWrites(): void {
  const store = FilesystemStore.prototype as unknown as Record<symbol, boolean> & { putObject: unknown };
  const marker = Symbol.for('switchboard.s3rver.put');
  if (store[marker]) return;
  store[marker] = true;
  store.putObject = async function putObject(
    this: FilesystemStore,
    object: { bucket: string; key: string; content: Buffer | NodeJS.ReadableStream; metadata: Record<string, string> },
  ) {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const md5 = crypto.createHash('md5');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    await pipeline(content, counter, createWriteStream(objectPath));
    const digest = md5.digest('hex');
    await this.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}

/** An s3rver in this process, on a free loopback port, storing in a temp dir removed at close. */
export async function startS3rver(buckets: string[]): Promise<RunningS3rver> {
  enableSingleDes();
  awaitObjectWrites();
  const directory = mkdtempSync(join(tmpdir(), 'sb-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
