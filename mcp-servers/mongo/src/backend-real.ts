import { type Document, MongoClient, MongoServerError } from 'mongodb';
import { type Doc, type MongoBackend, MongoBackendError } from './backend.ts';

export interface RealMongoOptions {
  /** Server-side time limit per operation (maxTimeMS). */
  timeoutMs?: number;
}

/** A MongoDB database through the official driver; connects lazily on the first call. */
export function createMongoBackend(url: string, db: string, options: RealMongoOptions = {}): MongoBackend {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000, appName: 'switchboard-mongo' });
  const database = client.db(db);
  const maxTimeMS = options.timeoutMs ?? 30_000;
  const run = async <T>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      throw classify(error);
    }
  };
  const coll = (name: string) => database.collection<Document>(name);
  return {
    kind: 'mongodb',
    find: (name, filter, { projection, sort, skip, limit }) =>
      run(() =>
        coll(name)
          .find(filter, {
            ...(projection ? { projection } : {}),
            ...(sort ? { sort: sort as never } : {}),
            skip: skip ?? 0,
            limit,
            maxTimeMS,
          })
          .toArray(),
      ),
    count: (name, filter) => run(() => coll(name).countDocuments(filter, { maxTimeMS })),
    insertOne: (name, document) => run(async () => (await coll(name).insertOne(document as Document)).insertedId),
    insertMany: (name, documents) =>
      run(async () => {
        const { insertedIds } = await coll(name).insertMany(documents as Document[], { ordered: true });
        return documents.map((_, index) => insertedIds[index]);
      }),
    update: (name, filter, update, { many, upsert }) =>
      run(async () => {
        const result = many
          ? await coll(name).updateMany(filter, update as Document, { upsert })
          : await coll(name).updateOne(filter, update as Document, { upsert });
        return {
          matchedCount: result.matchedCount,
          modifiedCount: result.modifiedCount,
          ...(result.upsertedId === null ? {} : { upsertedId: result.upsertedId }),
        };
      }),
    delete: (name, filter, { many }) =>
      run(async () => (many ? await coll(name).deleteMany(filter) : await coll(name).deleteOne(filter)).deletedCount),
    aggregate: (name, pipeline) => run(() => coll(name).aggregate<Doc>(pipeline, { maxTimeMS }).toArray()),
    listCollections: () => run(async () => (await database.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort()),
    close: () => client.close(),
  };
}

/** Driver errors as store failures; messages come from the server or driver, never with the URL. */
function classify(error: unknown): MongoBackendError {
  if (error instanceof MongoBackendError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof MongoServerError) {
    if (error.code === 11000) return new MongoBackendError('DUPLICATE_KEY', message);
    if (error.code === 13 || error.code === 18) return new MongoBackendError('DENIED', message);
    if (error.code === 50) return new MongoBackendError('TIMEOUT', message);
    return new MongoBackendError('INVALID', message);
  }
  const name = error instanceof Error ? error.name : '';
  if (/ServerSelection|Network|Topology|PoolCleared/.test(name)) return new MongoBackendError('UNAVAILABLE', 'MongoDB is unreachable');
  if (/Timeout/.test(name)) return new MongoBackendError('TIMEOUT', message);
  return new MongoBackendError('INVALID', message);
}
