import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { S3RVER_CREDENTIALS, startS3rver } from '../mcp-servers/s3/test/s3rver.ts';
import { type BenchFigure, median, percentile } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');
const BUCKET = 'bench';

/**
 * put_object + get_object round trips of random bytes through the s3 MCP server (spawned over stdio,
 * as the hub and Claude Desktop run it) vs. the AWS SDK directly, both against the same in-process
 * s3rver. Blocks alternate so drift on a noisy machine hits both sides alike.
 */
export async function run(): Promise<BenchFigure[]> {
  const s3rver = await startS3rver([BUCKET]);
  // The same client settings as the server's backend: without WHEN_REQUIRED the SDK streams bodies
  // aws-chunked with a trailing checksum, which s3rver stores verbatim.
  const sdk = new S3Client({
    endpoint: s3rver.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'server', 's3', '--endpoint', s3rver.endpoint, '--path-style', '--bucket', BUCKET],
      cwd: root,
      env: {
        ...(process.env as Record<string, string>),
        LOG_LEVEL: 'silent',
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stderr: 'ignore',
    }),
  );
  try {
    const scale = Number(process.env.BENCH_CALLS ?? 2000) / 2000;
    return [
      await compare(client, sdk, 1024, Math.max(20, Math.round(200 * scale))),
      await compare(client, sdk, 1024 * 1024, Math.max(6, Math.round(30 * scale))),
    ];
  } finally {
    await client.close();
    sdk.destroy();
    await s3rver.close();
  }
}

async function compare(client: Client, sdk: S3Client, size: number, rounds: number): Promise<BenchFigure> {
  const data = randomBytes(size);
  const base64 = data.toString('base64');
  const key = `obj-${size}`;

  const direct = async () => {
    const started = performance.now();
    await sdk.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: data, ContentType: 'application/octet-stream' }));
    const got = await sdk.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const body = await got.Body?.transformToByteArray();
    const elapsed = performance.now() - started;
    if (body?.byteLength !== size) throw new Error('direct round trip returned the wrong size');
    return elapsed;
  };
  const viaServer = async () => {
    const started = performance.now();
    const put = await client.callTool({ name: 'put_object', arguments: { bucket: BUCKET, key, contentBase64: base64 } });
    const got = await client.callTool({ name: 'get_object', arguments: { bucket: BUCKET, key, encoding: 'base64' } });
    const elapsed = performance.now() - started;
    if (put.isError || got.isError) throw new Error(`server round trip failed: ${JSON.stringify((put.isError ? put : got).content)}`);
    if ((got.structuredContent as { contentBase64?: string }).contentBase64 !== base64)
      throw new Error('server round trip returned other bytes');
    return elapsed;
  };

  for (let i = 0; i < Math.min(10, rounds); i++) {
    await direct();
    await viaServer();
  }
  const directMs: number[] = [];
  const serverMs: number[] = [];
  const block = Math.max(1, Math.min(20, Math.floor(rounds / 5)));
  for (let done = 0; done < rounds; done += block) {
    for (let i = 0; i < block; i++) directMs.push(await direct());
    for (let i = 0; i < block; i++) serverMs.push(await viaServer());
  }
  const directMedian = median(directMs);
  const serverMedian = median(serverMs);
  const label = size >= 1024 * 1024 ? `${size / (1024 * 1024)} MiB` : `${size / 1024} KiB`;
  return {
    name: `s3 put_object+get_object ${label} (stdio server vs SDK, s3rver)`,
    ratioOf: 'server median / SDK median',
    ratio: serverMedian / directMedian,
    figures: {
      rounds: directMs.length,
      sdkMedianMs: directMedian,
      serverMedianMs: serverMedian,
      sdkP99Ms: percentile(directMs, 99),
      serverP99Ms: percentile(serverMs, 99),
      addedMedianMs: serverMedian - directMedian,
    },
  };
}
