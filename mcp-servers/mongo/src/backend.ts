/** A document with BSON values (ObjectId, Date, …): Extended JSON is decoded before the port. */
export type Doc = Record<string, unknown>;

export interface FindOptions {
  projection?: Doc;
  sort?: Doc;
  skip?: number;
  limit: number;
}

export interface UpdateOutcome {
  matchedCount: number;
  modifiedCount: number;
  /** The new document's _id when an upsert inserted one. */
  upsertedId?: unknown;
}

/**
 * The port every mongo tool works through, bound to one database. Collection names, filters,
 * updates and pipelines are already checked by the guard.
 */
export interface MongoBackend {
  readonly kind: 'mongodb' | 'memory';
  find(collection: string, filter: Doc, options: FindOptions): Promise<Doc[]>;
  count(collection: string, filter: Doc): Promise<number>;
  /** Answers the _id (generated when the document has none). */
  insertOne(collection: string, document: Doc): Promise<unknown>;
  /** Ordered: stops at the first failure, keeping what was inserted before it. */
  insertMany(collection: string, documents: Doc[]): Promise<unknown[]>;
  update(collection: string, filter: Doc, update: Doc | Doc[], options: { many: boolean; upsert: boolean }): Promise<UpdateOutcome>;
  /** How many documents were deleted. */
  delete(collection: string, filter: Doc, options: { many: boolean }): Promise<number>;
  aggregate(collection: string, pipeline: Doc[]): Promise<Doc[]>;
  listCollections(): Promise<string[]>;
  close(): Promise<void>;
}

/** What went wrong in the store, independent of the driver. */
export type MongoFailure = 'DUPLICATE_KEY' | 'INVALID' | 'DENIED' | 'UNAVAILABLE' | 'TIMEOUT';

export class MongoBackendError extends Error {
  override readonly name = 'MongoBackendError';
  constructor(
    readonly failure: MongoFailure,
    message: string,
  ) {
    super(message);
  }
}
