import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SOURCE = join(import.meta.dirname, 'mock-cluster.c');

/** librdkafka's mock cluster (test/mock-cluster.c), started on loopback for one test file. */
export interface MockCluster {
  /** Bootstrap servers, host:port[,host:port]. */
  brokers: string[];
  /** Creates a topic (the mock has no CreateTopics API). */
  createTopic(name: string, partitions: number): Promise<void>;
  /** Ends the process (closing its stdin) and waits for it. */
  stop(): Promise<void>;
}

let built: { path?: string; reason?: string } | undefined;

/**
 * Compiles the mock cluster once per source version (cached in the temp dir). Answers the binary, or
 * why it cannot be built: no C compiler, or no librdkafka headers (`apt-get install -y librdkafka-dev`).
 */
export function buildMockCluster(): { path?: string; reason?: string } {
  if (built !== undefined) return built;
  const source = readFileSync(SOURCE);
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'switchboard-kafka-mock');
  const path = join(dir, `mock-cluster-${digest}`);
  if (existsSync(path)) {
    built = { path };
    return built;
  }
  const compiler = ['cc', 'gcc'].find((cc) => spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0);
  if (compiler === undefined) {
    built = { reason: 'no C compiler (cc/gcc) to build the librdkafka mock cluster' };
    return built;
  }
  mkdirSync(dir, { recursive: true });
  // Build beside the target and rename: test files compiling at the same moment never see half a binary.
  const partial = `${path}.${process.pid}.tmp`;
  const result = spawnSync(compiler, ['-O1', '-o', partial, SOURCE, '-lrdkafka'], { encoding: 'utf8' });
  if (result.status !== 0) {
    rmSync(partial, { force: true });
    const missing = /rdkafka.*(No such file|not found)|cannot find -lrdkafka/.test(result.stderr);
    built = {
      reason: missing
        ? 'librdkafka is not installed (apt-get install -y librdkafka-dev)'
        : `the librdkafka mock cluster does not compile: ${result.stderr.split('\n')[0]}`,
    };
    return built;
  }
  renameSync(partial, path);
  built = { path };
  return built;
}

export async function startMockCluster(brokerCount = 1): Promise<MockCluster> {
  const { path, reason } = buildMockCluster();
  if (path === undefined) throw new Error(reason);
  const child: ChildProcessWithoutNullStreams = spawn(path, [String(brokerCount)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const nextLine = async (): Promise<string> => {
    const line = await Promise.race([lines.next(), exited.then(() => ({ done: true, value: undefined }))]);
    if (line.done || line.value === undefined) throw new Error(`the mock cluster exited: ${stderr.trim() || 'no output'}`);
    return line.value as string;
  };
  let queue = Promise.resolve();
  const brokers = (await nextLine()).split(',');
  return {
    brokers,
    createTopic(name, partitions) {
      // One command at a time: answers come back in order on stdout.
      const answer = queue.then(async () => {
        child.stdin.write(`topic ${name} ${partitions}\n`);
        const line = await nextLine();
        if (line !== 'ok') throw new Error(`mock cluster: creating topic '${name}' failed: ${line}`);
      });
      queue = answer.catch(() => {});
      return answer;
    },
    async stop() {
      if (child.exitCode === null) {
        child.stdin.end();
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}
