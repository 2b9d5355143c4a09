import { UsageError } from './usage.ts';

type ServerMain = (argv: string[]) => Promise<unknown>;

/** Built-in servers, loaded on demand so one server's dependencies never load for another. */
const servers: Record<string, () => Promise<{ main: ServerMain }>> = {
  fs: () => import('@switchboard/server-fs/main'),
  shell: () => import('@switchboard/server-shell/main'),
  rag: () => import('@switchboard/server-rag/main'),
  redis: () => import('@switchboard/server-redis/main'),
  mongo: () => import('@switchboard/server-mongo/main'),
  s3: () => import('@switchboard/server-s3/main'),
  queue: () => import('@switchboard/server-queue/main'),
  kafka: () => import('@switchboard/server-kafka/main'),
  sql: () => import('@switchboard/server-sql/main'),
};

export const serverNames = Object.keys(servers);

export async function runBuiltinServer(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const load = name === undefined ? undefined : servers[name];
  if (load === undefined) throw new UsageError(`switchboard server <name>: name must be one of ${serverNames.join(', ')}`);
  const { main } = await load();
  await main(rest);
}
