import { randomBytes } from 'node:crypto';
import type { ContractBackend } from '@switchboard/kit/contract';
import { MongoClient } from 'mongodb';
import type { Doc, MongoBackend } from '../src/backend.ts';
import { MemoryMongoBackend } from '../src/backend-mock.ts';
import { createMongoBackend } from '../src/backend-real.ts';
import { type MongoConfig, MongoConfigSchema } from '../src/config.ts';
import { createServer } from '../src/server.ts';

/** What the suite needs from a backend: seed and read the store directly, bypassing the server. */
export interface MongoFixture {
  backend: MongoBackend;
  config: MongoConfig;
  seed(collection: string, documents: Doc[]): Promise<void>;
  /** The documents as stored (BSON types, not Extended JSON), sorted by _id as text. */
  peek(collection: string): Promise<Doc[]>;
}

export const allowed = ['users', 'orders', 'events', 'scratch', 'out'];
export const limits = { maxDocuments: 20, maxBytes: 2048 };
const byId = (a: Doc, b: Doc) => String(a._id).localeCompare(String(b._id));

function configFor(db: string, extra: Partial<MongoConfig>): MongoConfig {
  return MongoConfigSchema.parse({ db, collections: allowed, ...limits, ...extra });
}

export const mockBackend: ContractBackend<MongoFixture> = {
  name: 'mock',
  setup: async () => {
    const backend = new MemoryMongoBackend('app');
    const config = configFor('app', { mock: true });
    await backend.insertMany('secrets', [{ _id: 'root', password: 'hunter2' }]);
    return {
      factory: () => createServer(backend, config).server,
      fixture: {
        backend,
        config,
        seed: async (collection, documents) => void (await backend.insertMany(collection, documents)),
        peek: async (collection) => (await backend.find(collection, {}, { limit: 10_000 })).sort(byId),
      },
    };
  },
};

export const realBackend = (url: string): ContractBackend<MongoFixture> => ({
  name: 'mongodb',
  unavailable: () => mongoUnavailable(url),
  setup: async () => {
    // A database of our own, dropped afterwards: others may share the server.
    const db = `sbtest_${randomBytes(6).toString('hex')}`;
    const admin = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
    await admin.connect();
    const database = admin.db(db);
    await database.collection('secrets').insertOne({ _id: 'root' as never, password: 'hunter2' });
    const backend = createMongoBackend(url, db);
    const config = configFor(db, { url });
    return {
      factory: () => createServer(backend, config).server,
      teardown: async () => {
        await database.dropDatabase();
        await admin.close();
        await backend.close();
      },
      fixture: {
        backend,
        config,
        seed: async (collection, documents) => void (await database.collection(collection).insertMany(documents)),
        peek: async (collection) => ((await database.collection(collection).find({}).toArray()) as Doc[]).sort(byId),
      },
    };
  },
});

/**
 * The real-backend suites to run. MongoDB cannot be installed on these machines (no Debian package;
 * mongodb-memory-server downloads binaries), so without MONGODB_URL the real suite is skipped with
 * its reason, and that skip is not a failure even with REQUIRE_SERVICES=1: MongoDB is not one of
 * the services this machine has (DESIGN.md §6). With MONGODB_URL set, an unreachable server does fail
 * under REQUIRE_SERVICES=1, through the contract harness.
 */
export function realMongoBackends(env: NodeJS.ProcessEnv): { backends: ContractBackend<MongoFixture>[]; skipReason?: string } {
  const url = env.MONGODB_URL;
  if (url) return { backends: [realBackend(url)] };
  return {
    backends: [],
    skipReason:
      'MONGODB_URL is not set, and no MongoDB server can be installed on this machine (DESIGN.md §6); the real-backend suite runs where MONGODB_URL points at one. Not a failure under REQUIRE_SERVICES=1: MongoDB is not a service this machine has.',
  };
}

export async function mongoUnavailable(url: string): Promise<string | null> {
  const probe = new MongoClient(url, { serverSelectionTimeoutMS: 3_000 });
  try {
    await probe.connect();
    await probe.db('admin').command({ ping: 1 });
    return null;
  } catch (error) {
    return `no MongoDB answers at MONGODB_URL (${(error as Error).name})`;
  } finally {
    await probe.close();
  }
}
