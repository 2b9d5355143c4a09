import { BSON, BSONRegExp, ObjectId } from 'bson';
import { aggregate, find, Query, updateMany, updateOne } from 'mingo';
import type { Options } from 'mingo/types';
import { type Doc, type FindOptions, type MongoBackend, MongoBackendError, type UpdateOutcome } from './backend.ts';
import { isPlainObject } from './guard.ts';
import { operandTypeProblem } from './update-types.ts';
import { upsertSeed } from './upsert-seed.ts';

type Modifier = Parameters<typeof updateOne>[2];

/** Deep copy through BSON, keeping ObjectIds and dates: nothing stored is shared with a caller. */
const clone = (doc: Doc): Doc => BSON.deserialize(BSON.serialize(doc, { ignoreUndefined: true }));

/**
 * MongoDB in memory, one database, with the query language of `mingo` (filters, projections, sorts,
 * update operators and pipelines, aggregation with $lookup/$unionWith across our collections).
 * Server-side JavaScript is switched off in mingo too, beneath the guard.
 */
export class MemoryMongoBackend implements MongoBackend {
  readonly kind = 'memory';
  private readonly collections = new Map<string, Doc[]>();
  /** Collections a $merge wrote into that did not exist before the pipeline ran. */
  private readonly created = new Map<string, Doc[]>();
  private readonly options: Partial<Options> = {
    scriptEnabled: false,
    collectionResolver: (name: string) => {
      const existing = this.collections.get(name) ?? this.created.get(name);
      if (existing) return existing;
      const fresh: Doc[] = [];
      this.created.set(name, fresh);
      return fresh;
    },
  };

  constructor(readonly db = 'switchboard') {}

  async find(collection: string, filter: Doc, { projection, sort, skip, limit }: FindOptions) {
    return this.attempt(() => {
      const cursor = find(this.docs(collection), mingoQuery(filter), mingoQuery(projection ?? {}), this.options);
      if (sort && Object.keys(sort).length > 0) cursor.sort(sort as Record<string, 1 | -1>);
      if (skip) cursor.skip(skip);
      return cursor.limit(limit).all().map(clone);
    });
  }

  async count(collection: string, filter: Doc) {
    return this.attempt(() => find(this.docs(collection), mingoQuery(filter), {}, this.options).all().length);
  }

  async insertOne(collection: string, document: Doc) {
    const [id] = await this.insertMany(collection, [document]);
    return id;
  }

  async insertMany(collection: string, documents: Doc[]) {
    const target = this.collections.get(collection) ?? [];
    this.collections.set(collection, target);
    const ids: unknown[] = [];
    for (const document of documents) {
      const doc = document._id === undefined ? { _id: new ObjectId(), ...clone(document) } : clone(document);
      if (Array.isArray(doc._id)) throw new MongoBackendError('INVALID', "can't use an array for _id");
      if (this.matches(target, { _id: doc._id }).length > 0) {
        const inserted = ids.length > 0 ? ` (${ids.length} document(s) before it were inserted)` : '';
        throw new MongoBackendError(
          'DUPLICATE_KEY',
          `E11000 duplicate key error collection: ${this.db}.${collection} index: _id_${inserted}`,
        );
      }
      target.push(doc);
      ids.push(doc._id);
    }
    return ids;
  }

  async update(
    collection: string,
    filter: Doc,
    update: Doc | Doc[],
    { many, upsert }: { many: boolean; upsert: boolean },
  ): Promise<UpdateOutcome> {
    refuseIdChange(update);
    const docs = this.collections.get(collection) ?? [];
    const snapshot = docs.map(clone);
    const { modifier, onInsert } = splitSetOnInsert(update);
    const query = mingoQuery(filter);
    const outcome = this.attempt(
      () => {
        const matched = this.matches(docs, query).slice(0, many ? undefined : 1);
        if (modifier === undefined) return { matchedCount: matched.length, modifiedCount: 0 };
        if (!Array.isArray(modifier)) {
          const problem = matched.map((doc) => operandTypeProblem(doc, modifier)).find(Boolean);
          if (problem !== undefined) throw new MongoBackendError('INVALID', problem);
        }
        return (many ? updateMany : updateOne)(docs, query, mingoQuery(modifier) as Modifier, { cloneMode: 'deep' }, this.options);
      },
      () => docs.splice(0, docs.length, ...snapshot),
    );
    if (outcome.matchedCount > 0 || !upsert) return { matchedCount: outcome.matchedCount, modifiedCount: outcome.modifiedCount };
    const fresh = [{} as Doc];
    this.attempt(() => {
      const seed = upsertSeed(filter);
      if (Object.keys(seed).length > 0) updateOne(fresh, {}, { $set: seed } as Modifier, {}, this.options);
      const insertModifier = Array.isArray(modifier)
        ? modifier
        : { ...modifier, $set: { ...onInsert, ...(modifier?.$set as Doc | undefined) } };
      if (Array.isArray(insertModifier) || Object.keys(insertModifier.$set).length > 0 || Object.keys(insertModifier).length > 1) {
        updateOne(fresh, {}, mingoQuery(insertModifier) as Modifier, { cloneMode: 'deep' }, this.options);
      }
    });
    const upsertedId = await this.insertOne(collection, fresh[0] as Doc);
    return { matchedCount: 0, modifiedCount: 0, upsertedId };
  }

  async delete(collection: string, filter: Doc, { many }: { many: boolean }) {
    const docs = this.collections.get(collection);
    if (docs === undefined) return 0;
    const doomed = new Set(this.attempt(() => this.matches(docs, mingoQuery(filter))).slice(0, many ? undefined : 1));
    const kept = docs.filter((doc) => !doomed.has(doc));
    docs.splice(0, docs.length, ...kept);
    return doomed.size;
  }

  async aggregate(collection: string, pipeline: Doc[]) {
    const last = pipeline.at(-1);
    // MongoDB's $out replaces its target and answers nothing; mingo's appends, so it is done here.
    const out = last?.$out;
    const stages = out === undefined ? pipeline : pipeline.slice(0, -1);
    this.created.clear();
    const result = this.attempt(() =>
      aggregate(this.docs(collection), mingoQuery(stages) as Doc[], this.options).map((doc) => clone(doc as Doc)),
    );
    for (const [name, docs] of this.created) if (docs.length > 0) this.collections.set(name, docs.map(clone));
    this.created.clear();
    if (out !== undefined) {
      const target = typeof out === 'string' ? out : String((out as Doc).coll);
      this.collections.set(target, result);
      return [];
    }
    return last?.$merge === undefined ? result : [];
  }

  async listCollections() {
    return [...this.collections.keys()].sort();
  }

  async close() {}

  private docs(collection: string): Doc[] {
    return this.collections.get(collection) ?? [];
  }

  private matches(docs: Doc[], filter: Doc): Doc[] {
    const query = new Query(filter, this.options);
    return docs.filter((doc) => query.test(doc));
  }

  /** Runs mingo, turning its complaints (unknown operator, bad $inc target…) into INVALID; `undo` restores state first. */
  private attempt<T>(action: () => T, undo?: () => void): T {
    try {
      return action();
    } catch (error) {
      undo?.();
      if (error instanceof MongoBackendError) throw error;
      throw new MongoBackendError('INVALID', (error as Error).message);
    }
  }
}

/** mingo wants JavaScript RegExps where BSON has BSONRegExp (from `{ "$regex": … }` in Extended JSON). */
function mingoQuery<T>(value: T): T {
  if (value instanceof BSONRegExp) {
    if (/[^imsu]/.test(value.options))
      throw new MongoBackendError('INVALID', `regex option(s) '${value.options}' are not supported by the mock`);
    return new RegExp(value.pattern, value.options) as T;
  }
  if (Array.isArray(value)) return value.map(mingoQuery) as T;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mingoQuery(v)])) as T;
  return value;
}

/** mingo has no $setOnInsert: it applies only when an upsert inserts, so it is split off. */
function splitSetOnInsert(update: Doc | Doc[]): { modifier: Doc | Doc[] | undefined; onInsert: Doc } {
  if (Array.isArray(update)) return { modifier: update, onInsert: {} };
  const { $setOnInsert, ...rest } = update;
  return { modifier: Object.keys(rest).length === 0 ? undefined : rest, onInsert: ($setOnInsert as Doc | undefined) ?? {} };
}

/** MongoDB refuses to change _id; so does the mock, before touching anything. */
function refuseIdChange(update: Doc | Doc[]): void {
  const operators = Array.isArray(update) ? update : [update];
  for (const op of operators) {
    for (const [name, fields] of Object.entries(op)) {
      if (name === '$setOnInsert' || !isPlainObject(fields)) continue;
      if (Object.keys(fields).some((path) => path === '_id' || path.startsWith('_id.'))) {
        throw new MongoBackendError('INVALID', "Performing an update on the path '_id' would modify the immutable field '_id'");
      }
    }
  }
}
