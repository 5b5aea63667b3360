import type { PrismaClientExtends } from '@prisma/client/extension';
import type { Types } from '@prisma/client/runtime/client';

/**
 * What `Prisma.defineExtension(fn)` returns, spelled out so that `@prisma/client` stays a type-only dependency:
 * the runtime `defineExtension` returns its function argument unchanged. Query extensions add no types, so the
 * extended client keeps the generated client's types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the client type is the application's own
export type PrismaExtension = (client: any) => PrismaClientExtends<Types.Extensions.InternalArgs<{}, {}, {}, {}>>;

/** The arguments Prisma hands a `$allOperations` query callback. */
export interface QueryCall {
  model?: string;
  operation: string;
  args: Args;
  query: (args: Args) => Promise<unknown>;
}

export type Args = Record<string, unknown>;

/** A client whose model delegates can be reached by model name, as `client.message` for `Message`. */
export type ModelClient = Record<string, { findMany(args: Args): Promise<Args[]> } | undefined>;

/** Prisma's delegate for a model: `Message` is `client.message`, `SessionKey` is `client.sessionKey`. */
export function delegateName(model: string): string {
  return model.charAt(0).toLowerCase() + model.slice(1);
}

export function isRecord(value: unknown): value is Args {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
