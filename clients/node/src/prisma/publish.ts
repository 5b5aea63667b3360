import { checkPrefix, checkTarget, DEFAULT_PREFIX, type RowId } from '../key.js';
import { commandsOf, type RedisClient } from '../redis.js';
import {
  delegateName,
  isRecord,
  type Args,
  type ModelClient,
  type PrismaExtension,
  type QueryCall,
} from './extension.js';
import { selecting, unselected } from './fields.js';
import { KeyPublisher, type Expiry } from './key-publisher.js';

/** How one Prisma model maps to a Lethe target. */
export interface TargetMapping {
  /** The `<target>` of `lethe.targets.<target>.table`, e.g. `message`. */
  target: string;
  /** The model's expiry field; `expiresAt` by default, as Lethe's `expires-column`. */
  expiresField?: string;
  /** The model's id field; `id` by default, as Lethe's `id-column`. */
  idField?: string;
}

export interface LetheExtensionOptions {
  redis: RedisClient;
  /** By Prisma model name: `{ Message: { target: 'message' } }`. Other models pass through untouched. */
  targets: Readonly<Record<string, TargetMapping>>;
  /** Lethe's `lethe.key-prefix`; `lethe` by default. */
  prefix?: string;
  /**
   * Told when a key could not be published after its row was written (Redis down, an id Lethe cannot take). The
   * write stands and is returned: Lethe's look-ahead and sweep delete the row on time without its key. One line to
   * standard error by default; throw from here to fail the call instead.
   */
  onPublishError?: (error: Error) => void;
}

interface Mapping {
  target: string;
  expiresField: string;
  idField: string;
}

/**
 * A Prisma Client extension that publishes Lethe's key after each write of a mapped model that sets or changes its
 * expiry, and deletes the key when the expiry is set to NULL: `prisma.$extends(letheExtension({ redis, targets }))`.
 *
 * - `create`, `createManyAndReturn`: a key for each row written with an expiry.
 * - `update`, `updateManyAndReturn`, `upsert`: when the data names the expiry field, the key follows the row.
 * - `createMany` returns no rows, so it publishes from its data: each row with an expiry must carry its id there
 *   (an id Prisma or the database would generate is not known to the extension, and such a call is refused
 *   before it writes anything: use `createManyAndReturn`).
 * - `updateMany` returns no rows either: when its data names the expiry field, the ids matching its `where` are
 *   read first, and each gets the new expiry from the data.
 *
 * Keys are published once the write has returned: committed, or, inside an interactive `$transaction`, when the
 * call returns, before the transaction commits. Either is safe. A key that turns out early or stale (a rollback,
 * an expiry changed since) makes Lethe check a row that is not due, in PostgreSQL, and delete nothing; a key that
 * is never published leaves the row to Lethe's look-ahead and sweep. Apply it before `hideExpired`, so that the
 * reads of `updateMany` see expired rows too.
 */
export function letheExtension(options: LetheExtensionOptions): PrismaExtension {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  checkPrefix(prefix);
  const mappings = new Map<string, Mapping>();
  for (const [model, mapping] of Object.entries(options.targets)) {
    checkTarget(mapping.target);
    mappings.set(model, {
      target: mapping.target,
      expiresField: mapping.expiresField ?? 'expiresAt',
      idField: mapping.idField ?? 'id',
    });
  }
  const publisher = new KeyPublisher(commandsOf(options.redis), prefix, options.onPublishError ?? reportToStderr);

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the client type is the application's own
  return (client: any) => {
    const writes = new Writes(client as ModelClient, publisher);
    return client.$extends({
      name: 'lethe',
      query: {
        $allModels: {
          $allOperations(call: QueryCall) {
            const mapping = call.model === undefined ? undefined : mappings.get(call.model);
            return mapping === undefined ? call.query(call.args) : writes.run(call, mapping);
          },
        },
      },
    });
  };
}

/** Runs one write of a mapped model and publishes what it changed. */
class Writes {
  readonly #client: ModelClient;
  readonly #publisher: KeyPublisher;

  constructor(client: ModelClient, publisher: KeyPublisher) {
    this.#client = client;
    this.#publisher = publisher;
  }

  run(call: QueryCall, mapping: Mapping): Promise<unknown> {
    const { args } = call;
    switch (call.operation) {
      case 'create':
      case 'createManyAndReturn':
        return this.#returning(call, mapping, (expiresAt) => expiresAt !== null);
      case 'update':
      case 'updateManyAndReturn':
        return names(args.data, mapping.expiresField) ? this.#returning(call, mapping, () => true) : call.query(args);
      case 'upsert':
        return names(args.create, mapping.expiresField) || names(args.update, mapping.expiresField)
          ? this.#returning(call, mapping, () => true)
          : call.query(args);
      case 'createMany':
        return this.#createMany(call, mapping);
      case 'updateMany':
        return names(args.data, mapping.expiresField) ? this.#updateMany(call, mapping) : call.query(args);
      default:
        return call.query(args);
    }
  }

  /** A write that returns its rows: they carry the id and the expiry as the database stored them. */
  async #returning(call: QueryCall, mapping: Mapping, wanted: (expiresAt: Date | null) => boolean): Promise<unknown> {
    const selected = selecting(call.args, [mapping.idField, mapping.expiresField]);
    const result = await call.query(selected.args);
    const rows = (Array.isArray(result) ? result : [result]).filter(isRecord);
    const expiries: Expiry[] = [];
    const missing: string[] = [];
    for (const row of rows) {
      const id = row[mapping.idField];
      const expiresAt = row[mapping.expiresField];
      if (!isRowId(id) || !(expiresAt === null || expiresAt instanceof Date)) {
        missing.push(isRowId(id) ? String(id) : '?');
      } else if (wanted(expiresAt)) {
        expiries.push({ id, expiresAt });
      }
    }
    await this.#publisher.publish(mapping.target, expiries);
    if (missing.length > 0) {
      this.#publisher.report(
        new Error(
          `Lethe key for ${call.model}.${call.operation} not published: the result has no ` +
            `"${mapping.idField}" or "${mapping.expiresField}" (a global omit?)`,
        ),
      );
    }
    return unselected(result, selected.added);
  }

  /** createMany returns a count only, so the keys come from the data, which must name the ids. */
  async #createMany(call: QueryCall, mapping: Mapping): Promise<unknown> {
    const rows = (Array.isArray(call.args.data) ? call.args.data : [call.args.data]).filter(isRecord);
    const expiries: Expiry[] = [];
    for (const row of rows) {
      const expiresAt = literalExpiry(row[mapping.expiresField]);
      if (expiresAt === null || expiresAt === undefined) continue;
      const id = row[mapping.idField];
      if (!isRowId(id)) {
        throw new Error(
          `letheExtension: ${call.model}.createMany cannot know the "${mapping.idField}" Prisma or the database ` +
            `generates for a row with "${mapping.expiresField}"; pass the ids in data, or use createManyAndReturn`,
        );
      }
      expiries.push({ id, expiresAt });
    }
    const result = await call.query(call.args);
    await this.#publisher.publish(mapping.target, expiries);
    return result;
  }

  /**
   * updateMany returns a count only: the ids its `where` matches are read before it runs, on the client the
   * extension was applied to (outside an interactive transaction the call may be part of), and each gets the
   * expiry the data sets. A row the read misses keeps its old key, and Lethe's look-ahead deletes it on time.
   */
  async #updateMany(call: QueryCall, mapping: Mapping): Promise<unknown> {
    const expiresAt = literalExpiry(call.args.data && (call.args.data as Args)[mapping.expiresField]);
    const delegate = call.model === undefined ? undefined : this.#client[delegateName(call.model)];
    if (expiresAt === undefined || delegate === undefined) return call.query(call.args);
    const before = await delegate.findMany({ where: call.args.where ?? {}, select: { [mapping.idField]: true } });
    const result = await call.query(call.args);
    const expiries: Expiry[] = [];
    for (const row of before) {
      const id = row[mapping.idField];
      if (isRowId(id)) expiries.push({ id, expiresAt });
    }
    await this.#publisher.publish(mapping.target, expiries);
    return result;
  }
}

/** Whether a write's data sets the field (to a value or to null); undefined leaves a Prisma field unchanged. */
function names(data: unknown, field: string): boolean {
  return isRecord(data) && data[field] !== undefined;
}

/** The expiry a write's data sets: a Date, an ISO-8601 string, null, or `{ set: ... }`; undefined if none. */
function literalExpiry(value: unknown): Date | null | undefined {
  if (value === null) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'string') return new Date(value);
  if (isRecord(value) && 'set' in value) return literalExpiry(value.set);
  return undefined;
}

function isRowId(value: unknown): value is RowId {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint';
}

function reportToStderr(error: Error): void {
  console.error(`[lethe] ${error.message}`);
}
