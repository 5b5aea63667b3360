import { isRecord, type Args, type PrismaExtension, type QueryCall } from './extension.js';

/** How one model's expiry is read. */
export interface ExpiringModel {
  /** The expiry field; `expiresAt` by default. */
  expiresField?: string;
  /** Whether the field may be NULL (meaning "never"); true by default. Say false for a required `DateTime`, which
   * Prisma refuses to compare with null. */
  nullable?: boolean;
}

export interface HideExpiredOptions {
  /** By Prisma model name: `{ Message: { expiresField: 'expiresAt' } }`. Other models are read as they are. */
  models: Readonly<Record<string, ExpiringModel>>;
}

/** The reads that take a `where` over the model's own rows. */
const READS = new Set([
  'findMany',
  'findFirst',
  'findFirstOrThrow',
  'findUnique',
  'findUniqueOrThrow',
  'count',
  'aggregate',
  'groupBy',
]);

/** The argument that asks a read for expired rows too; see `includeExpired`. */
const OPT_OUT = 'includeExpired';

/**
 * Spread into a read's arguments to see expired rows as well: `prisma.message.findMany({ where, ...includeExpired })`.
 * It adds `includeExpired: true`, which `hideExpired` takes out before Prisma sees it; typed as an empty object so
 * the call type-checks against the generated argument types (Prisma itself refuses it where `hideExpired` is not
 * applied).
 */
export const includeExpired: Readonly<Record<never, never>> = Object.freeze({ [OPT_OUT]: true });

/** A `where` for rows that have not expired at `now`: no expiry (when nullable), or one still ahead. */
export type NotExpired<F extends string> = {
  OR: Array<{ [K in F]: null } | { [K in F]: { gt: Date } }>;
};

/**
 * The condition `hideExpired` adds, for a read it cannot reach: a relation's rows read through another model,
 * `include: { messages: { where: notExpired('expiresAt') } }`.
 */
export function notExpired<F extends string>(
  field: F,
  options: { nullable?: boolean; now?: Date } = {},
): NotExpired<F> {
  const ahead = { [field]: { gt: options.now ?? new Date() } } as { [K in F]: { gt: Date } };
  const never = { [field]: null } as { [K in F]: null };
  return { OR: options.nullable === false ? [ahead] : [never, ahead] };
}

/**
 * A Prisma Client extension that keeps expired rows from readers between their expiry and Lethe's deletion of
 * them (milliseconds, or longer while Lethe is down or a row is held by a guard). `findMany`, `findFirst`,
 * `findFirstOrThrow`, `findUnique`, `findUniqueOrThrow`, `count`, `aggregate` and `groupBy` of a listed model get
 * `expiry IS NULL OR expiry > now` added to their `where`; `findUnique` keeps its unique fields, Prisma taking
 * further conditions beside them, so it finds nothing for an expired row.
 *
 * `now` is this process's clock when the read is sent: with a clock N ms ahead of the database's, rows disappear
 * from reads up to N ms before Lethe (which uses the database's clock) deletes them; with one behind, they show up
 * to N ms after their expiry, until Lethe deletes them anyway. Writes, and rows read through a relation of another
 * model, are not filtered (use `notExpired` there).
 */
export function hideExpired(options: HideExpiredOptions): PrismaExtension {
  const models = new Map<string, Required<ExpiringModel>>();
  for (const [model, settings] of Object.entries(options.models)) {
    models.set(model, { expiresField: settings.expiresField ?? 'expiresAt', nullable: settings.nullable ?? true });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the client type is the application's own
  return (client: any) =>
    client.$extends({
      name: 'lethe-hide-expired',
      query: {
        $allModels: {
          $allOperations(call: QueryCall) {
            const model = call.model === undefined ? undefined : models.get(call.model);
            if (model === undefined || !READS.has(call.operation)) return call.query(call.args);
            const { [OPT_OUT]: optOut, ...args } = call.args;
            if (optOut === true) return call.query(args);
            const condition = notExpired(model.expiresField, { nullable: model.nullable });
            return call.query({ ...args, where: withCondition(args.where, condition) });
          },
        },
      },
    });
}

/** The caller's `where` with one more condition under AND, its own fields (a unique key among them) kept in place. */
function withCondition(where: unknown, condition: Args): Args {
  if (!isRecord(where)) return { AND: [condition] };
  const and = where.AND === undefined ? [] : Array.isArray(where.AND) ? where.AND : [where.AND];
  return { ...where, AND: [...and, condition] };
}
